/**
 * GraphiQL, self-hosted: the page and its scripts and styles come from the installed `graphiql`,
 * `react` and `react-dom` packages, never from a CDN. Asset names carry a content hash, so they are
 * cached for a year; the page itself is never cached (it carries today's dates and the demo header).
 * Everything runs under a Content-Security-Policy that allows scripts from this origin only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

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

export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The demo customer of the embedded sandbox, whose header the page fills in. */
export interface GraphiQLDemo {
  token: string;
  accountNumber: string;
}

export interface GraphiQLPageOptions {
  /** The GraphQL endpoint, relative to the page. */
  endpoint: string;
  demo?: GraphiQLDemo | null;
  /** Today, for the example variables (defaults to now). */
  now?: () => Date;
}

interface Asset {
  path: string;
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** Serves the GraphiQL page and its assets. Reads and hashes the files once, at construction. */
export class GraphiQLHost {
  private readonly assets = new Map<string, Asset>();
  private readonly scriptPaths: string[];
  private readonly stylePath: string;

  constructor(private readonly options: GraphiQLPageOptions) {
    const react = packageFile('react', 'umd/react.production.min.js');
    const reactDom = packageFile('react-dom', 'umd/react-dom.production.min.js');
    const graphiqlJs = packageFile('graphiql', 'graphiql.min.js');
    const graphiqlCss = packageFile('graphiql', 'graphiql.min.css');
    this.scriptPaths = [
      this.add('react.js', 'text/javascript; charset=utf-8', withoutSourceMap(react)),
      this.add('react-dom.js', 'text/javascript; charset=utf-8', withoutSourceMap(reactDom)),
      this.add('graphiql.js', 'text/javascript; charset=utf-8', withoutSourceMap(graphiqlJs)),
      this.add('start.js', 'text/javascript; charset=utf-8', Buffer.from(START_SCRIPT)),
    ];
    this.stylePath = this.add('graphiql.css', 'text/css; charset=utf-8', withoutSourceMap(graphiqlCss));
  }

  /** The page, for `GET /graphql` from a browser. */
  page(): StaticResponse {
    const config = pageConfig(this.options);
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
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': GRAPHIQL_CSP,
        ...SECURITY_HEADERS,
      },
      body: Buffer.from(html),
    };
  }

  /** A hashed asset, or null when `path` names none. Gzipped when the client accepts it. */
  asset(path: string, acceptEncoding: string | undefined): StaticResponse | null {
    const asset = this.assets.get(path);
    if (!asset) return null;
    const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
    return {
      status: 200,
      headers: {
        'content-type': asset.contentType,
        'cache-control': IMMUTABLE,
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        ...SECURITY_HEADERS,
      },
      body: gzip ? asset.gzipped : asset.body,
    };
  }

  private add(name: string, contentType: string, body: Buffer): string {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const dot = name.lastIndexOf('.');
    const path = `${GRAPHIQL_ASSET_PREFIX}${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
    this.assets.set(path, { path, contentType, body, gzipped: gzipSync(body) });
    return path;
  }
}

/** The example operations that open in tabs. */
export const DASHBOARD_QUERY = `query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {
  accounts {
    number productName balance { amount currency }
    detail { statusCode currentBalance { amount } }
    thisMonth: transactions(from: $from, to: $to, first: 20) { totalCount nodes { occurredAt type amount { amount } memo } }
    lastMonth: transactions(from: $prevFrom, to: $prevTo) { totalCount }
  }
}
`;

export const ACCOUNT_TRANSACTIONS_QUERY = `# One account with a page of its transactions. To read the next page,
# set "after" to the endCursor of this one.
query AccountTransactions($number: String!, $from: Date!, $to: Date!, $after: String) {
  account(number: $number) {
    number
    productName
    balance { amount currency }
    transactions(from: $from, to: $to, first: 10, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { occurredAt type amount { amount currency } balanceAfter { amount } memo counterparty }
      }
    }
  }
}
`;

export const ACCOUNT_BASICS_QUERY = `# An account's basics as of a date.
query AccountBasics($number: String!, $asOf: Date) {
  account(number: $number) {
    number
    productName
    detail(asOf: $asOf) {
      asOf
      statusCode
      currentBalance { amount currency }
      openedOn
      maturesOn
    }
  }
}
`;

/** The reference account of the API document (spec §5), used when there is no demo customer. */
const REFERENCE_ACCOUNT = '1002146788200';

function pageConfig({ endpoint, demo, now = () => new Date() }: GraphiQLPageOptions): unknown {
  const today = kstDate(now());
  const [year, month] = today.split('-').map(Number);
  const firstOfMonth = isoDate(year, month, 1);
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  const prevFrom = isoDate(prevYear, prevMonth, 1);
  const prevTo = isoDate(prevYear, prevMonth, new Date(Date.UTC(year, month - 1, 0)).getUTCDate());

  const headers = demo ? JSON.stringify({ Authorization: `Bearer ${demo.token}` }, null, 2) : '';
  const number = demo?.accountNumber ?? REFERENCE_ACCOUNT;
  const variables = (v: object): string => JSON.stringify(v, null, 2);
  return {
    endpoint,
    headers,
    tabs: [
      {
        query: DASHBOARD_QUERY,
        variables: variables({ from: firstOfMonth, to: today, prevFrom, prevTo }),
        headers,
      },
      {
        query: ACCOUNT_TRANSACTIONS_QUERY,
        variables: variables({ number, from: prevFrom, to: today }),
        headers,
      },
      { query: ACCOUNT_BASICS_QUERY, variables: variables({ number, asOf: today }), headers },
    ],
  };
}

/** Today's date in Korea Standard Time (UTC+9, no daylight saving). */
function kstDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`. */
function jsonForHtml(value: unknown): string {
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
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
`;
