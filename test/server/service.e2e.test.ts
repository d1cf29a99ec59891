/**
 * The whole service in-process, over real HTTP, on the embedded sandbox: `startService` exactly as
 * `main.ts` calls it, with the log lines captured.
 */
import {
  SANDBOX_APP_KEY,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKENS,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox';
import { startService, type RunningService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { DASHBOARD_QUERY, dashboardVariables } from '../helpers/dashboard';
import { captureLogs, type LogCapture } from '../helpers/log-capture';

const DEMO_ACCOUNT = '1002146788200';
const PHONE = '010-9876-5432';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

async function graphql(
  service: RunningService,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: `Bearer ${SANDBOX_TOKENS.demo}` },
): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

describe('the service on the embedded sandbox', () => {
  let service: RunningService;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'debug' }), {
      logDestination: logs.destination,
    });
  });
  afterAll(() => service.close());

  it('reports the sandbox it started, with the demo token and account', () => {
    expect(service.sandbox).toMatchObject({
      demoToken: 'sandbox-token-demo',
      demoAccountNumber: DEMO_ACCOUNT,
    });
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers the dashboard query with the demo customer's accounts", async () => {
    const { status, body } = await graphql(service, DASHBOARD_QUERY, { ...dashboardVariables() });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const accounts = (body.data?.accounts ?? []) as { number: string; thisMonth: { totalCount: number } }[];
    expect(accounts.map((a) => a.number)).toContain(DEMO_ACCOUNT);
    expect(body.extensions?.upstream).toMatchObject({ calls: expect.any(Number) });
  });

  it('answers UNAUTHENTICATED without a bearer token', async () => {
    const { body } = await graphql(service, '{ accounts { number } }', {}, {});
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a too-long device header with 400 BAD_USER_INPUT naming it', async () => {
    const { status, body } = await graphql(
      service,
      '{ accounts { number } }',
      {},
      { 'x-device-model': 'M'.repeat(21) },
    );
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', header: 'x-device-model' });
  });

  it('serves /healthz and /readyz', async () => {
    const health = await fetch(`${service.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('serves Prometheus metrics of requests, upstream calls, loader batches and the process', async () => {
    await graphql(service, DASHBOARD_QUERY, { ...dashboardVariables() });
    const response = await fetch(`${service.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/graphql_requests_total\{operation="Dashboard",outcome="ok"\} [1-9]/);
    expect(text).toMatch(
      /graphql_request_duration_seconds_bucket\{le="[^"]+",operation="Dashboard",outcome="ok"\}/,
    );
    expect(text).toMatch(/woori_upstream_calls_total\{operation="listAccounts",outcome="OK"\} [1-9]/);
    expect(text).toMatch(
      /woori_upstream_call_duration_seconds_count\{operation="listTransactions",outcome="OK"\} [1-9]/,
    );
    expect(text).toMatch(/graphql_loader_batch_size_count\{loader="transactions"\} [1-9]/);
    expect(text).toMatch(/http_requests_total\{route="\/graphql",method="POST",status="200"\} [1-9]/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves GraphiQL to a browser, with the demo header, and its assets without a CDN', async () => {
    const response = await fetch(service.graphqlUrl, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('Bearer sandbox-token-demo');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const path of assets) {
      const asset = await fetch(`${service.url}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await asset.arrayBuffer();
    }
  });

  it('never logs the app key, the secret, a token, a phone number or a whole account number', async () => {
    const device = { 'x-device-phone': PHONE, 'x-device-id': 'scan-device' };
    const demo = { authorization: `Bearer ${SANDBOX_TOKENS.demo}`, ...device };
    await graphql(service, DASHBOARD_QUERY, { ...dashboardVariables() }, demo);
    await graphql(
      service,
      `
        query One($number: String!, $from: Date!, $to: Date!) {
          account(number: $number) {
            number
            detail {
              statusCode
            }
            transactions(from: $from, to: $to, first: 5) {
              totalCount
            }
          }
        }
      `,
      { number: DEMO_ACCOUNT, from: dashboardVariables().prevFrom, to: dashboardVariables().to },
      demo,
    );
    await graphql(service, 'query Bad($n: String!) { account(number: $n) { number } }', { n: '12' }, demo);
    await graphql(
      service,
      '{ accounts { number } }',
      {},
      { authorization: 'Bearer not-a-real-token-0001', ...device },
    );

    const text = logs.text();
    expect(logs.lines().length).toBeGreaterThan(5);
    for (const secret of [
      SANDBOX_APP_KEY,
      SANDBOX_SECRET_KEY,
      SANDBOX_TOKENS.demo,
      'not-a-real-token-0001',
      PHONE,
      PHONE.replace(/-/g, ''),
      DEMO_ACCOUNT,
    ]) {
      expect(text).not.toContain(secret);
    }
    // The scan reads real lines: the account number is there, masked, and so are the trace ids.
    expect(text).toContain('*********8200');
    const upstreamLines = logs
      .lines()
      .filter((l) => l.msg === 'upstream call' || l.msg === 'upstream call failed');
    expect(upstreamLines.length).toBeGreaterThan(0);
    expect(upstreamLines.every((l) => typeof l.traceId === 'string' && typeof l.requestId === 'string')).toBe(
      true,
    );
    expect(logs.lines().some((l) => l.msg === 'upstream call failed')).toBe(true);
  });
});

describe('the service in production mode', () => {
  let sandbox: RunningSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox();
    service = await startService(
      loadConfig({
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        WOORI_BASE_URL: sandbox.url,
        WOORI_APP_KEY: sandbox.credentials.appKey,
        WOORI_SECRET_KEY: sandbox.credentials.secretKey,
        CURSOR_SECRET: 'p'.repeat(48),
        CACHE_SECRET: 'q'.repeat(48),
        LOG_LEVEL: 'silent',
      }),
    );
  });
  afterAll(async () => {
    await service.close();
    await sandbox.close();
  });

  it('talks to the configured upstream and starts no sandbox', async () => {
    expect(service.sandbox).toBeUndefined();
    const { body } = await graphql(service, '{ accounts { number } }');
    expect((body.data?.accounts as { number: string }[]).map((a) => a.number)).toContain(DEMO_ACCOUNT);
    expect(sandbox.counters().calls.byOperation.listAccounts).toBe(1);
  });

  it('does not serve GraphiQL', async () => {
    expect(service.graphiqlUrl).toBeNull();
    const response = await fetch(service.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type')).not.toContain('text/html');
    expect(await response.text()).not.toContain('<html');
  });
});

describe('the service with an unreachable upstream', () => {
  it('is live but not ready', async () => {
    const service = await startService(
      loadConfig({
        PORT: '0',
        WOORI_BASE_URL: 'http://127.0.0.1:9',
        WOORI_APP_KEY: 'k'.repeat(36),
        WOORI_SECRET_KEY: 's'.repeat(31),
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', ready: false });
    } finally {
      await service.close();
    }
  });
});
