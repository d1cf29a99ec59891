/**
 * The HTTP layer against a stand-in GraphQL service (a two-field schema), so that routing, body
 * limits, headers, the context, deadlines and streamed bodies are tested without an upstream.
 * The real schema over the real sandbox is covered by service.e2e.test.ts.
 */
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema } from 'graphql';
import { request as rawRequest } from 'node:http';
import { connect } from 'node:net';
import type { GraphQLContext } from '../../src/graphql';
import { formatError } from '../../src/graphql/errors';
import { GracefulServer } from '../../src/server/graceful-server';
import { GraphiQLHost } from '../../src/server/graphiql';
import { RequestHandler, type RequestHandlerOptions } from '../../src/server/http-handler';
import { createLogger } from '../../src/server/logger';
import { Metrics } from '../../src/server/metrics';
import { observabilityPlugin } from '../../src/server/observability.plugin';
import type { ServerContext } from '../../src/server/request-state';
import { prefersHtml } from '../../src/server/routes';
import { customerKeyOf, type RequestCallContext } from '../../src/woori/call-context';
import type { DeviceInfo } from '../../src/woori/domain';
import { captureLogs } from '../helpers/log-capture';

const DEFAULTS: DeviceInfo = {
  ip: '127.0.0.1',
  deviceId: 'woori-graphql',
  phone: '',
  deviceSerial: 'server',
  osCode: '1',
  osVersion: 'server',
  model: 'server',
  appVersion: '0.1.0',
};

const schema = buildSchema(`
  type Query {
    hello: String
    "Waits until the request's signal aborts, then reports why."
    waitForAbort: String
    "A defect: throws a plain Error."
    broken: String
  }
`);

interface Harness {
  url: string;
  /** The call context of each GraphQL request, as the handler made it. */
  calls: RequestCallContext[];
  /** The Apollo context of each operation that ran `hello`. */
  contexts: ServerContext[];
  logs: ReturnType<typeof captureLogs>;
  metrics: Metrics;
  close(): Promise<void>;
}

async function startHarness(overrides: Partial<RequestHandlerOptions> = {}): Promise<Harness> {
  const calls: RequestCallContext[] = [];
  const contexts: ServerContext[] = [];
  const apollo = new ApolloServer<ServerContext>({
    schema,
    rootValue: {
      hello: (_args: unknown, context: ServerContext) => {
        contexts.push(context);
        return 'world';
      },
      broken: () => {
        throw new Error('db password hunter2 failed at /srv/app/db.ts:12');
      },
      waitForAbort: (_args: unknown, context: ServerContext) =>
        new Promise((resolve) =>
          context.call.signal?.addEventListener('abort', () =>
            resolve(String((context.call.signal?.reason as Error).message)),
          ),
        ),
    },
    plugins: [ApolloServerPluginLandingPageDisabled(), observabilityPlugin()],
    formatError,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const logs = captureLogs();
  const metrics = new Metrics({ defaultMetrics: false });
  const handler = new RequestHandler({
    graphql: {
      apollo,
      createContext: (call) => {
        calls.push(call);
        return { call } as GraphQLContext;
      },
    },
    logger: createLogger({ level: 'info', destination: logs.destination }),
    metrics,
    readiness: { check: async () => ({ ready: true, checkedAt: new Date().toISOString() }) },
    graphiql: null,
    bodyLimitBytes: 2048,
    requestDeadlineMs: 5_000,
    deviceDefaults: DEFAULTS,
    trustProxy: false,
    ...overrides,
  });
  const server = new GracefulServer(handler.handle);
  const address = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    calls,
    contexts,
    logs,
    metrics,
    close: async () => {
      await server.close(1_000);
      await apollo.stop();
    },
  };
}

function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

describe('RequestHandler', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('executes a POSTed query', async () => {
    const response = await post(harness.url, { query: '{ hello }' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('executes a GET query', async () => {
    const response = await fetch(`${harness.url}/graphql?query=${encodeURIComponent('{ hello }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('makes one call context with the bearer token, the device, a signal and the deadline', async () => {
    harness.calls.length = 0;
    harness.contexts.length = 0;
    const before = performance.now();
    await post(
      harness.url,
      { query: '{ hello }' },
      { authorization: 'Bearer tok-123', 'x-device-id': 'dev-9', 'x-request-id': 'req-abc' },
    );
    expect(harness.calls).toHaveLength(1);
    const [call] = harness.calls;
    expect(call.token).toBe('tok-123');
    expect(call.device).toEqual({ ...DEFAULTS, deviceId: 'dev-9', ip: '127.0.0.1' });
    expect(call.signal).toBeInstanceOf(AbortSignal);
    // REQUEST_DEADLINE_MS (5 s here) on the clock the upstream policy reads.
    expect(call.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(call.deadline).toBeLessThanOrEqual(performance.now() + 5_000);
    expect(call.stats).toEqual({ calls: 0, retries: 0, durationMs: 0, cacheHits: 0 });
    expect(harness.contexts[0].call).toBe(call);
    expect(harness.contexts[0].request.requestId).toBe('req-abc');
  });

  it('passes a null token when there is no bearer token', async () => {
    harness.calls.length = 0;
    await post(harness.url, { query: '{ hello }' });
    expect(harness.calls[0].token).toBeNull();
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const echoed = await post(harness.url, { query: '{ hello }' }, { 'x-request-id': 'trace-me-1' });
    expect(echoed.headers.get('x-request-id')).toBe('trace-me-1');
    const made = await post(harness.url, { query: '{ hello }' }, { 'x-request-id': 'bad id with spaces' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces an x-request-id that carries an account number, and never logs it', async () => {
    const response = await post(
      harness.url,
      { query: 'query Pii { hello }' },
      { 'x-request-id': 'acct-1002146788200' },
    );
    const replaced = response.headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() =>
      harness.logs.lines().some((l) => l.requestId === replaced && l.msg === 'request finished'),
    );
    expect(harness.logs.text()).not.toMatch(/1002146788200|acct-\*+8200/);
  });

  it('answers a too-long device header with a 400 BAD_USER_INPUT naming the header', async () => {
    const response = await post(harness.url, { query: '{ hello }' }, { 'x-device-serial': 'S'.repeat(21) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', header: 'x-device-serial' });
    expect(body.errors[0].message).toContain('x-device-serial');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await post(harness.url, { query: `{ hello } #${'x'.repeat(4096)}` });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it('answers a streamed body over the limit with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = rawRequest(`${harness.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"query":"{ hello }", "pad": "');
      req.write('y'.repeat(4096));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post(harness.url, '{"query": ');
    expect(response.status).toBe(400);
  });

  it('aborts the signal when the client goes away', async () => {
    harness.calls.length = 0;
    const controller = new AbortController();
    const request = post(harness.url, { query: '{ waitForAbort }' }, {}, controller.signal).catch(
      () => undefined,
    );
    await waitFor(() => harness.calls.length === 1);
    controller.abort();
    await request;
    await waitFor(() => harness.calls[0].signal?.aborted === true);
    expect((harness.calls[0].signal?.reason as Error).message).toBe('client closed the connection');
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    expect(await (await fetch(`${harness.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${harness.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', ready: true });
    const metrics = await fetch(`${harness.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('http_requests_total{route="/healthz",method="GET",status="200"}');
  });

  it('answers unknown paths with 404 and other methods on probes with 405', async () => {
    expect((await fetch(`${harness.url}/nope`)).status).toBe(404);
    expect((await fetch(`${harness.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('answers a request target that is not a URL with 400, and keeps serving', async () => {
    const { port } = new URL(harness.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('GET http://[bad HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${harness.url}/healthz`)).status).toBe(200);
  });

  it('does not serve GraphiQL when it is off', async () => {
    const response = await fetch(`${harness.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('counts GraphQL requests by operation name and outcome', async () => {
    await post(harness.url, { query: 'query Greeting { hello }' });
    await post(harness.url, { query: 'query Broken { nope }' });
    const text = await harness.metrics.render();
    expect(text).toContain('graphql_requests_total{operation="Greeting",outcome="ok"}');
    expect(text).toMatch(/graphql_requests_total\{operation="\(anonymous\)",outcome="error"\} \d/);
  });

  it('answers a defect with a generic INTERNAL_SERVER_ERROR and logs it at error level under the request id', async () => {
    const response = await post(harness.url, { query: '{ broken }' }, { 'x-request-id': 'defect-1' });
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      data: { broken: null },
      errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(text).not.toMatch(/hunter2|db\.ts/);
    await waitFor(() => harness.logs.lines().some((l) => l.msg === 'internal server error'));
    const line = harness.logs.lines().find((l) => l.msg === 'internal server error');
    expect(line).toMatchObject({ level: 'error', requestId: 'defect-1', errors: [{ path: 'broken' }] });
  });

  it('logs a client mistake at warn level, not as a defect', async () => {
    await post(harness.url, { query: '{ nope }' }, { 'x-request-id': 'mistake-1' });
    await waitFor(() =>
      harness.logs.lines().some((l) => l.requestId === 'mistake-1' && l.msg === 'request finished'),
    );
    const lines = harness.logs.lines().filter((l) => l.requestId === 'mistake-1');
    expect(lines.find((l) => l.msg === 'GraphQL request had errors')).toMatchObject({ level: 'warn' });
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });

  it('logs one line per request with its id, status and operation', async () => {
    await post(harness.url, { query: 'query Logged { hello }' }, { 'x-request-id': 'log-line-1' });
    await waitFor(() => harness.logs.lines().some((l) => l.requestId === 'log-line-1'));
    const line = harness.logs
      .lines()
      .find((l) => l.requestId === 'log-line-1' && l.msg === 'request finished');
    expect(line).toMatchObject({
      http: { method: 'POST', path: '/graphql', status: 200 },
      operation: 'Logged',
    });
  });
});

describe('RequestHandler, freshness and the customer key', () => {
  let harness: Harness;
  const secret = 'the customer key secret of this test, 32+';
  beforeAll(async () => {
    harness = await startHarness({ customerKeySecret: secret });
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.calls.length = 0;
  });

  it("puts the request's Cache-Control on its call context", async () => {
    await post(harness.url, { query: '{ hello }' }, { 'cache-control': 'no-cache' });
    await post(harness.url, { query: '{ hello }' }, { 'cache-control': 'max-age=15' });
    await post(harness.url, { query: '{ hello }' });
    expect(harness.calls.map((c) => c.freshness)).toEqual([
      { noCache: true },
      { maxAgeMs: 15_000 },
      undefined,
    ]);
  });

  it('answers a max-age that is not a number of seconds with a 400 naming the header, and calls nothing', async () => {
    const response = await post(harness.url, { query: '{ hello }' }, { 'cache-control': 'max-age=soon' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: Array<{ message: string; extensions: Record<string, unknown> }>;
    };
    expect(body.errors[0].message).toMatch(
      /^The cache-control header needs max-age to be a whole number of seconds/,
    );
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', header: 'cache-control' });
    expect(harness.calls).toHaveLength(0);
  });

  it('keys the call context by customerKeyOf(token), never the token', async () => {
    await post(harness.url, { query: '{ hello }' }, { authorization: 'Bearer tok-123' });
    await post(harness.url, { query: '{ hello }' });
    expect(harness.calls.map((c) => c.customerKey)).toEqual([customerKeyOf('tok-123', secret), undefined]);
  });
});

describe('RequestHandler deadline', () => {
  it('aborts the signal at REQUEST_DEADLINE_MS', async () => {
    const harness = await startHarness({ requestDeadlineMs: 200 });
    try {
      const response = await post(harness.url, { query: '{ waitForAbort }' });
      expect(await response.json()).toEqual({ data: { waitForAbort: 'request deadline exceeded' } });
    } finally {
      await harness.close();
    }
  });
});

describe('RequestHandler with GraphiQL', () => {
  it('serves the page to browsers and GraphQL to everyone else', async () => {
    const harness = await startHarness({ graphiql: new GraphiQLHost({ endpoint: '/graphql' }) });
    try {
      const page = await fetch(`${harness.url}/graphql`, {
        headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<div id="graphiql">');
      const api = await fetch(`${harness.url}/graphql?query=${encodeURIComponent('{ hello }')}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(await api.json()).toEqual({ data: { hello: 'world' } });
    } finally {
      await harness.close();
    }
  });
});

describe('RequestHandler with a streamed (chunked) GraphQL response', () => {
  it('writes every chunk and ends the response', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield '--graphql\r\n';
      yield '{"data":{"hello":"world"},"hasNext":true}\r\n';
      yield '--graphql--\r\n';
    }
    const response: HTTPGraphQLResponse = {
      status: 200,
      headers: new HeaderMap([['content-type', 'multipart/mixed; boundary="graphql"']]),
      body: { kind: 'chunked', asyncIterator: chunks() },
    };
    const apollo = {
      executeHTTPGraphQLRequest: async () => response,
    } as unknown as ApolloServer<ServerContext>;
    const harness = await startHarness({ graphql: { apollo, createContext: () => ({}) as GraphQLContext } });
    try {
      const res = await post(harness.url, { query: '{ hello }' });
      expect(res.headers.get('content-type')).toBe('multipart/mixed; boundary="graphql"');
      expect(await res.text()).toBe(
        '--graphql\r\n{"data":{"hello":"world"},"hasNext":true}\r\n--graphql--\r\n',
      );
    } finally {
      await harness.close();
    }
  });
});

describe('prefersHtml', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html', true],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html;q=0.5', false],
    ['application/graphql-response+json, application/json;q=0.9', false],
    ['text/html;q=0', false],
    [undefined, false],
  ])('%j → %j', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
