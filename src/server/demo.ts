/**
 * The demo dashboard at `GET /demo` (outside production, like GraphiQL): the example a frontend
 * team copies. One page, its script and its stylesheet from this repository (no CDN, no framework:
 * the chart is plain SVG), running the operations under `test/operations/` against `/graphql`
 * with the embedded sandbox's demo token: balances per currency, every account's deposits and
 * withdrawals per month over the last 12 months (`summary.months`), and its latest transactions
 * with "load more" paging. Everything runs under a Content-Security-Policy stricter than
 * GraphiQL's: scripts and styles from this origin only, no inline style.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromDay, todayInKst, toDay } from '../graphql/dates';
import { jsonForHtml, readExampleOperation } from './graphiql';
import { HashedAssets, htmlPage, type StaticResponse } from './static-assets';

export const DEMO_PATH = '/demo';
/** Where the demo's hashed script and stylesheet are served from. */
export const DEMO_ASSET_PREFIX = '/demo/assets/';

export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's script and stylesheet: plain files, read as they are, from both `src/` and `dist/`. */
const DEMO_FILES_DIR = resolve(__dirname, '..', '..', 'src', 'server', 'demo-page');

/** How many months the chart shows, this one included. */
export const DEMO_MONTHS = 12;

export interface DemoPageOptions {
  /** The GraphQL endpoint, relative to the page. */
  endpoint: string;
  /** The bearer token the page fills in (the embedded sandbox's demo customer); null: the visitor types one. */
  token: string | null;
  /** Today, for the range of the chart (defaults to now). */
  now?: () => Date;
}

/** What the page's script is given, as JSON inside the page. */
export interface DemoConfig {
  endpoint: string;
  token: string | null;
  /** The last `DEMO_MONTHS` calendar months in KST, oldest first, `YYYY-MM`. */
  months: string[];
  /** The range the chart and the transactions cover: the first day of the oldest month to today. */
  from: string;
  to: string;
  operations: { dashboard: string; transactions: string };
}

/** Serves the demo page and its assets. Reads the files once, at construction. */
export class DemoHost {
  private readonly assets = new HashedAssets(DEMO_ASSET_PREFIX);
  private readonly scriptPath: string;
  private readonly stylePath: string;
  private readonly operations = {
    dashboard: readExampleOperation('demo-dashboard'),
    transactions: readExampleOperation('demo-transactions'),
  };

  constructor(private readonly options: DemoPageOptions) {
    this.scriptPath = this.assets.add(
      'dashboard.js',
      'text/javascript; charset=utf-8',
      readFileSync(join(DEMO_FILES_DIR, 'dashboard.js')),
    );
    this.stylePath = this.assets.add(
      'dashboard.css',
      'text/css; charset=utf-8',
      readFileSync(join(DEMO_FILES_DIR, 'dashboard.css')),
    );
  }

  /** The page, for `GET /demo`. */
  page(): StaticResponse {
    const { endpoint, token, now = () => new Date() } = this.options;
    const config: DemoConfig = {
      endpoint,
      token,
      ...demoRange(todayInKst(now().getTime())),
      operations: this.operations,
    };
    const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Woori GraphQL · Demo dashboard</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${this.stylePath}" />
  </head>
  <body>
    <header>
      <h1>Demo dashboard</h1>
      <p>Built on the GraphQL API (<a href="${endpoint}">GraphiQL</a>). Every figure is exact, computed by the service.</p>
      <form id="token-form">
        <label>Bearer token <input id="token" name="token" autocomplete="off" /></label>
        <button type="submit">Show</button>
      </form>
      <p id="status" role="status"></p>
    </header>
    <main>
      <section id="balances-section" aria-labelledby="balances-title">
        <h2 id="balances-title">Balances per currency</h2>
        <ul id="balances"></ul>
      </section>
      <div id="accounts"></div>
    </main>
    <script type="application/json" id="demo-config">${jsonForHtml(config)}</script>
    <script src="${this.scriptPath}"></script>
  </body>
</html>
`;
    return htmlPage(html, DEMO_CSP);
  }

  /** A hashed asset, or null when `path` names none. */
  asset(path: string, acceptEncoding: string | undefined): StaticResponse | null {
    return this.assets.get(path, acceptEncoding);
  }
}

/** The chart's months and range on `today`: the last `DEMO_MONTHS` months, this one up to today. */
export function demoRange(today: string): Pick<DemoConfig, 'months' | 'from' | 'to'> {
  const months: string[] = [];
  let first = `${today.slice(0, 8)}01`;
  for (let i = 0; i < DEMO_MONTHS; i++) {
    months.unshift(first.slice(0, 7));
    if (i < DEMO_MONTHS - 1) first = `${fromDay(toDay(first) - 1).slice(0, 8)}01`;
  }
  return { months, from: first, to: today };
}
