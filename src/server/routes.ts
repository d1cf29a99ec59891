/** The routes of the service, as bounded labels: metrics must not grow with whatever paths clients try. */
import { DEMO_ASSET_PREFIX, DEMO_PATH } from './demo';
import { GRAPHIQL_ASSET_PREFIX } from './graphiql';

export const GRAPHQL_PATH = '/graphql';

export type Route =
  '/graphql' | '/healthz' | '/readyz' | '/metrics' | 'graphiql-asset' | '/demo' | 'demo-asset' | 'other';

/** Probes, scrapes and static files: counted in metrics, but no access-log line each. */
export const QUIET_ROUTES: ReadonlySet<Route> = new Set([
  '/healthz',
  '/readyz',
  '/metrics',
  'graphiql-asset',
  'demo-asset',
]);

/** The request target as a URL, or null when it is not one. */
export function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://service.invalid');
  } catch {
    return null;
  }
}

export function routeOf(pathname: string): Route {
  switch (pathname) {
    case GRAPHQL_PATH:
    case '/healthz':
    case '/readyz':
    case '/metrics':
    case DEMO_PATH:
      return pathname;
    default:
      if (pathname.startsWith(DEMO_ASSET_PREFIX)) return 'demo-asset';
      return pathname.startsWith(GRAPHIQL_ASSET_PREFIX) ? 'graphiql-asset' : 'other';
  }
}

/**
 * Whether a GET wants a page rather than a GraphQL result: `text/html` is acceptable and no JSON
 * type is preferred over it. Browsers navigating say `text/html,…,*\/*;q=0.8`; `curl` and GraphQL
 * clients do not mention HTML.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type.trim() === 'text/html') html = Math.max(html, q);
    if (type.trim() === 'application/json' || type.trim() === 'application/graphql-response+json') {
      json = Math.max(json, q);
    }
  }
  return html > 0 && html >= json;
}
