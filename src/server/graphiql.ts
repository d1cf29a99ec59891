/**
 * GraphiQL, self-hosted: the page and its scripts and styles come from the installed `graphiql`,
 * `react` and `react-dom` packages, never from a CDN. Asset names carry a content hash, so they are
 * cached for a year; the page itself is never cached (it carries today's dates and the demo header).
 * Everything runs under a Content-Security-Policy that allows scripts from this origin only.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fromDay, todayInKst, toDay } from '../graphql/dates';
import type { IsoDate } from '../woori/domain';
import { HashedAssets, htmlPage, type StaticResponse } from './static-assets';

/** Where the hashed assets are served from. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

/**
 * Scripts from this origin only, no inline script, no eval. Styles allow inline because GraphiQL's
 * components (dialogs, CodeMirror) set style elements and attributes at run time; fonts and icons
 * are data: URIs inside graphiql.min.css.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type { StaticResponse } from './static-assets';

/** The demo customer of the embedded sandbox, whose header the page fills in. */
export interface GraphiQLDemo {
  token: string;
  accountNumber: string;
}

export interface GraphiQLPageOptions {
  /** The GraphQL endpoint, relative to the page. */
  endpoint: string;
  demo?: GraphiQLDemo | null;
  /** Where the demo dashboard is, for a link in GraphiQL's header; unset: no link. */
  demoPath?: string | null;
  /** Today, for the example variables (defaults to now). */
  now?: () => Date;
}

/** Serves the GraphiQL page and its assets. Reads and hashes the files once, at construction. */
export class GraphiQLHost {
  private readonly assets = new HashedAssets(GRAPHIQL_ASSET_PREFIX);
  private readonly scriptPaths: string[];
  private readonly stylePath: string;
  private readonly operations = readExampleOperations();

  constructor(private readonly options: GraphiQLPageOptions) {
    const react = packageFile('react', 'umd/react.production.min.js');
    const reactDom = packageFile('react-dom', 'umd/react-dom.production.min.js');
    const graphiqlJs = packageFile('graphiql', 'graphiql.min.js');
    const graphiqlCss = packageFile('graphiql', 'graphiql.min.css');
    this.scriptPaths = [
      this.assets.add('react.js', 'text/javascript; charset=utf-8', withoutSourceMap(react)),
      this.assets.add('react-dom.js', 'text/javascript; charset=utf-8', withoutSourceMap(reactDom)),
      this.assets.add('graphiql.js', 'text/javascript; charset=utf-8', withoutSourceMap(graphiqlJs)),
      this.assets.add('start.js', 'text/javascript; charset=utf-8', Buffer.from(START_SCRIPT)),
    ];
    this.stylePath = this.assets.add(
      'graphiql.css',
      'text/css; charset=utf-8',
      withoutSourceMap(graphiqlCss),
    );
  }

  /** The page, for `GET /graphql` from a browser. */
  page(): StaticResponse {
    const config = pageConfig(this.options, this.operations);
    const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Woori GraphQL · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${this.stylePath}" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="graphiql-config">${jsonForHtml(config)}</script>
${this.scriptPaths.map((src) => `    <script src="${src}"></script>`).join('\n')}
  </body>
</html>
`;
    return htmlPage(html, GRAPHIQL_CSP);
  }

  /** A hashed asset, or null when `path` names none. Gzipped when the client accepts it. */
  asset(path: string, acceptEncoding: string | undefined): StaticResponse | null {
    return this.assets.get(path, acceptEncoding);
  }
}

/**
 * The example operations are the files under `test/operations/`, the one source of the operations
 * this project ships: codegen types them for frontends (`npm run codegen`), the benchmark sends the
 * dashboard, and GraphiQL opens them in tabs. Two levels up from both `src/server` and `dist/server`.
 */
export const EXAMPLE_OPERATIONS_DIR = resolve(__dirname, '..', '..', 'test', 'operations');

/** An example operation's document, by file name: `dashboard` is `test/operations/dashboard.graphql`. */
export function readExampleOperation(name: string, dir: string = EXAMPLE_OPERATIONS_DIR): string {
  return readFileSync(join(dir, `${name}.graphql`), 'utf8');
}

/** The variables of the dashboard operation. */
export interface DashboardVariables {
  from: IsoDate;
  to: IsoDate;
  prevFrom: IsoDate;
  prevTo: IsoDate;
}

/** The dashboard's example variables on `today`: this month up to today and the whole previous month. */
export function dashboardExampleVariables(today: IsoDate): DashboardVariables {
  const from = `${today.slice(0, 8)}01`;
  const prevTo = fromDay(toDay(from) - 1);
  return { from, to: today, prevFrom: `${prevTo.slice(0, 8)}01`, prevTo };
}

/** The operations GraphiQL opens in tabs, read once at start-up. */
interface ExampleOperations {
  dashboard: string;
  accountTransactions: string;
  accountBasics: string;
}

function readExampleOperations(): ExampleOperations {
  return {
    dashboard: readExampleOperation('dashboard'),
    accountTransactions: readExampleOperation('account-transactions'),
    accountBasics: readExampleOperation('account-basics'),
  };
}

/** The reference account of the API document (spec §5), used when there is no demo customer. */
const REFERENCE_ACCOUNT = '1002146788200';

function pageConfig(
  { endpoint, demo, demoPath, now = () => new Date() }: GraphiQLPageOptions,
  operations: ExampleOperations,
): unknown {
  const today = todayInKst(now().getTime());
  const dashboard = dashboardExampleVariables(today);
  const headers = demo ? JSON.stringify({ Authorization: `Bearer ${demo.token}` }, null, 2) : '';
  const number = demo?.accountNumber ?? REFERENCE_ACCOUNT;
  const variables = (v: object): string => JSON.stringify(v, null, 2);
  return {
    endpoint,
    headers,
    demoPath: demoPath ?? null,
    tabs: [
      { query: operations.dashboard, variables: variables(dashboard), headers },
      {
        query: operations.accountTransactions,
        variables: variables({ number, from: dashboard.prevFrom, to: today, first: 10 }),
        headers,
      },
      { query: operations.accountBasics, variables: variables({ number, asOf: today }), headers },
    ],
  };
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function packageFile(pkg: string, file: string): Buffer {
  return readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));
}

/** Source maps are not served, so the comment pointing at one would only earn a 404. */
function withoutSourceMap(body: Buffer): Buffer {
  return Buffer.from(body.toString('utf8').replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*\s*$/, '\n'));
}

/** Runs in the browser: mounts GraphiQL with the page's configuration. No inline script needed. */
const START_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).href });
  var props = {
    fetcher: fetcher,
    defaultTabs: config.tabs,
    defaultHeaders: config.headers,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  };
  // GraphiQL 3 opens the first default tab with an empty variables editor; on a first visit (no
  // saved tabs to restore) hand it that tab's variables.
  var saved = null;
  try {
    saved = window.localStorage.getItem('graphiql:tabState');
  } catch (e) {}
  if (!saved) props.variables = config.tabs[0].variables;
  // The header's logo, with a link to the demo dashboard built on the same API.
  var logo = config.demoPath
    ? React.createElement(
        GraphiQL.Logo,
        null,
        React.createElement('a', { href: config.demoPath, className: 'graphiql-demo-link' }, 'Demo dashboard'),
      )
    : null;
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props, logo));
})();
`;
