import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  dashboardExampleVariables,
  EXAMPLE_OPERATIONS_DIR,
  GRAPHIQL_CSP,
  GraphiQLHost,
  readExampleOperation,
} from '../../src/server/graphiql';
import { ROOT } from '../helpers/build';

const DEMO = { token: 'sandbox-token-demo', accountNumber: '1002146788200' };
/** 2024-03-05 in Seoul (the UTC date is still the 4th). */
const NOW = () => new Date('2024-03-04T20:00:00Z');

function config(html: string): {
  headers: string;
  tabs: { query: string; variables: string; headers: string }[];
} {
  const match = /<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error('no config in the page');
  return JSON.parse(match[1]);
}

function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
}

function ownAssets(html: string): string[] {
  return assetPaths(html).filter((path) => path.startsWith('/graphiql/assets/'));
}

describe('GraphiQLHost', () => {
  const host = new GraphiQLHost({ endpoint: '/graphql', demo: DEMO, now: NOW });
  const page = host.page();
  const html = page.body.toString('utf8');

  it('refers only to its own assets: no CDN, no other origin', () => {
    const paths = assetPaths(html).filter((path) => path !== 'data:,');
    expect(paths.length).toBe(5);
    for (const path of paths) expect(path).toMatch(/^\/graphiql\/assets\/[a-z-]+\.[0-9a-f]{16}\.(js|css)$/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs/);
  });

  it('has no inline executable script', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes, body] of scripts) {
      if (body.trim() !== '') expect(attributes).toContain('type="application/json"');
    }
  });

  it('is sent with a strict Content-Security-Policy and no caching', () => {
    expect(page.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(GRAPHIQL_CSP).toContain("script-src 'self'");
    expect(GRAPHIQL_CSP).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(GRAPHIQL_CSP).toContain("default-src 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it("opens with the demo customer's Authorization header", () => {
    const { headers, tabs } = config(html);
    expect(JSON.parse(headers)).toEqual({ Authorization: 'Bearer sandbox-token-demo' });
    for (const tab of tabs)
      expect(JSON.parse(tab.headers)).toEqual({ Authorization: 'Bearer sandbox-token-demo' });
  });

  it('opens three example tabs with variables for this month and the last (in KST)', () => {
    const { tabs } = config(html);
    expect(tabs.map((t) => /query (\w+)/.exec(t.query)?.[1])).toEqual([
      'Dashboard',
      'AccountTransactions',
      'AccountBasics',
    ]);
    expect(JSON.parse(tabs[0].variables)).toEqual({
      from: '2024-03-01',
      to: '2024-03-05',
      prevFrom: '2024-02-01',
      prevTo: '2024-02-29',
    });
    expect(JSON.parse(tabs[1].variables)).toEqual({
      number: '1002146788200',
      from: '2024-02-01',
      to: '2024-03-05',
      first: 10,
    });
    expect(JSON.parse(tabs[2].variables)).toEqual({ number: '1002146788200', asOf: '2024-03-05' });
  });

  it('opens the operations of test/operations, the files codegen types, not copies of them', () => {
    const { tabs } = config(html);
    const file = (name: string) => readFileSync(join(ROOT, 'test', 'operations', `${name}.graphql`), 'utf8');
    expect(EXAMPLE_OPERATIONS_DIR).toBe(join(ROOT, 'test', 'operations'));
    expect(tabs.map((t) => t.query)).toEqual([
      file('dashboard'),
      file('account-transactions'),
      file('account-basics'),
    ]);
    expect(readExampleOperation('dashboard')).toBe(file('dashboard'));
  });

  it('rolls the previous month back over a new year', () => {
    const january = new GraphiQLHost({ endpoint: '/graphql', now: () => new Date('2025-01-10T00:00:00Z') });
    const vars = JSON.parse(config(january.page().body.toString()).tabs[0].variables);
    expect(vars).toMatchObject({ prevFrom: '2024-12-01', prevTo: '2024-12-31' });
  });

  it('computes the dashboard months from a KST date, leap years and short months included', () => {
    expect(dashboardExampleVariables('2024-03-31')).toEqual({
      from: '2024-03-01',
      to: '2024-03-31',
      prevFrom: '2024-02-01',
      prevTo: '2024-02-29',
    });
    expect(dashboardExampleVariables('2023-03-01')).toMatchObject({
      prevFrom: '2023-02-01',
      prevTo: '2023-02-28',
    });
    expect(dashboardExampleVariables('2025-01-01')).toMatchObject({
      prevFrom: '2024-12-01',
      prevTo: '2024-12-31',
    });
  });

  it('fills in no Authorization header without a demo customer', () => {
    const plain = new GraphiQLHost({ endpoint: '/graphql', now: NOW });
    expect(config(plain.page().body.toString()).headers).toBe('');
  });

  it('serves each asset with a year-long immutable cache, gzipped on request', () => {
    for (const path of ownAssets(html)) {
      const plain = host.asset(path, undefined);
      const gzipped = host.asset(path, 'gzip, deflate, br');
      expect(plain?.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain?.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(gzipped?.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped!.body).equals(plain!.body)).toBe(true);
    }
    expect(host.asset('/graphiql/assets/unknown.js', undefined)).toBeNull();
  });

  it('serves the installed React, ReactDOM and GraphiQL builds', () => {
    const bodies = ownAssets(html).map((p) => host.asset(p, undefined)!.body.toString('utf8'));
    expect(bodies.some((b) => b.includes('react.production.min.js'))).toBe(true);
    expect(bodies.some((b) => b.includes('react-dom.production.min.js'))).toBe(true);
    expect(bodies.some((b) => b.includes('createGraphiQLFetcher'))).toBe(true);
    expect(bodies.some((b) => b.includes('.graphiql-container'))).toBe(true);
  });
});
