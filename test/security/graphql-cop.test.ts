/**
 * The checks of the graphql-cop scanner, sent to the service in production mode, each expected to
 * find nothing open. Production needs a real upstream: a sandbox started here stands in for it.
 */
import type { RunningService } from '../../src/server/app';
import { type ProductionService, startProductionService } from '../helpers/production-service';

describe('graphql-cop checks against production mode', () => {
  let production: ProductionService;
  let service: RunningService;
  let url: string;

  beforeAll(async () => {
    production = await startProductionService();
    service = production.service;
    url = service.graphqlUrl;
  });
  afterAll(() => production.close());

  const json = { 'content-type': 'application/json' };
  const post = (body: unknown, headers: Record<string, string> = json) =>
    fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = async (res: Response) => ({ status: res.status, body: await res.text() });

  /** No answer of the service may show a stack trace or an exception's internals. */
  function expectNoInternals(body: string): void {
    expect(body).not.toMatch(/stacktrace|exception|\bat [\w.<>]+ \(|node_modules|\.ts:\d+/i);
  }

  it('has introspection off', async () => {
    const res = await text(await post({ query: '{ __schema { queryType { name } types { name } } }' }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('INTROSPECTION_DISABLED');
    expect(res.body).not.toContain('"types"');
  });

  it('refuses circular introspection', async () => {
    const query = `query { __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }`;
    const res = await text(await post({ query }));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"fields"');
  });

  it('refuses 101 aliases of __typename', async () => {
    const query = `query { ${Array.from({ length: 101 }, (_, i) => `alias${i}: __typename`).join(' ')} }`;
    const res = await text(await post({ query }));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"alias0"');
  });

  it('refuses a batch of 10 queries', async () => {
    const res = await text(await post(Array.from({ length: 10 }, () => ({ query: 'query { __typename }' }))));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"__typename":"Query"');
  });

  it('refuses 10 unknown directives', async () => {
    const res = await text(await post({ query: `query { __typename ${'@aa'.repeat(10)} }` }));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"__typename":"Query"');
  });

  it('refuses a GET query without a CSRF-safe header', async () => {
    const res = await text(await fetch(`${url}?query=${encodeURIComponent('query { __typename }')}`));
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"__typename":"Query"');
  });

  it('refuses a mutation over GET', async () => {
    const res = await text(
      await fetch(`${url}?query=${encodeURIComponent('mutation { __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      }),
    );
    expect([400, 405]).toContain(res.status);
    expect(res.body).not.toContain('"__typename":"Mutation"');
  });

  it('refuses a form-encoded POST', async () => {
    const res = await text(
      await post(`query=${encodeURIComponent('query { __typename }')}`, {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain('"__typename":"Query"');
  });

  it('gives no field suggestions', async () => {
    const res = await text(await post({ query: '{ acounts { number } }' }));
    expect(res.status).toBe(400);
    expect(res.body).toContain('acounts');
    expect(res.body).not.toMatch(/did you mean/i);
  });

  it('serves no GraphiQL', async () => {
    const res = await text(await fetch(url, { headers: { accept: 'text/html' } }));
    expect(res.body.toLowerCase()).not.toContain('graphiql');
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('sends no tracing data', async () => {
    const res = await post({ query: '{ __typename }' }, { ...json, 'apollo-require-preflight': 'true' });
    const body = (await res.json()) as { data?: unknown; extensions?: Record<string, unknown> };
    expect(body.data).toEqual({ __typename: 'Query' });
    expect(body.extensions?.tracing).toBeUndefined();
    expect(body.extensions?.ftv1).toBeUndefined();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each([
    ['a syntax error', { query: 'qwerty { abc' }],
    ['an unknown field', { query: '{ nope }' }],
    [
      'a wrong variable type',
      { query: 'query($n: String!) { account(number: $n) { number } }', variables: { n: 5 } },
    ],
    ['malformed JSON', '{"query": "{ __typename }"'],
    ['a JSON array of garbage', '[1,2,3]'],
    ['a body that is not an object', '"just a string"'],
  ])('answers %s with a 4xx and no internals', async (_name, body) => {
    const res = await text(await post(body));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectNoInternals(res.body);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s with a 405 and no internals', async (method) => {
    const res = await text(await fetch(url, { method, headers: json, body: '{}' }));
    expect(res.status).toBe(405);
    expectNoInternals(res.body);
  });

  it('answers a wrong content type with a 4xx', async () => {
    const res = await text(await post('{ __typename }', { 'content-type': 'text/plain' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectNoInternals(res.body);
  });

  it('answers an oversized body with a 413', async () => {
    const res = await text(await post({ query: `{ __typename } # ${'x'.repeat(200_000)}` }));
    expect(res.status).toBe(413);
    expectNoInternals(res.body);
  });
});
