/**
 * The service as an Apollo Federation 2 subgraph (FEDERATION_SUBGRAPH=true), in production mode over
 * a sandbox: its SDL (and the committed subgraph.graphql), and `_entities`, which resolves accounts
 * for their owner only, through the same loaders and with the caller's token.
 */
import { Kind, parse, type ObjectTypeDefinitionNode, print } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSubgraphSchema, SUBGRAPH_PATH } from '../../scripts/print-schema';
import { type Platform, startPlatform, TOKENS } from './harness';

interface Answer {
  status: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

async function graphql(
  url: string,
  query: string,
  variables: object = {},
  token: string | null = TOKENS.demo,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Answer['body'] };
}

const ENTITIES = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Account { number productName balance { amount currency } detail { statusCode } }
    }
  }
`;

const reference = (number: unknown) => ({ __typename: 'Account', number });

describe('subgraph.graphql', () => {
  it('matches the subgraph built from the code (run `npm run schema` when this fails)', async () => {
    expect(readFileSync(SUBGRAPH_PATH, 'utf8')).toBe(await renderSubgraphSchema());
  });

  it('links Federation 2 and keys Account by its number', () => {
    const document = parse(readFileSync(SUBGRAPH_PATH, 'utf8'));
    const links = document.definitions.flatMap((d) =>
      d.kind === Kind.SCHEMA_EXTENSION ? (d.directives ?? []).map((x) => print(x)) : [],
    );
    expect(links).toContainEqual(
      expect.stringMatching(/^@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/),
    );
    const account = document.definitions.find(
      (d): d is ObjectTypeDefinitionNode =>
        d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Account',
    );
    expect(account?.directives?.map((x) => print(x))).toEqual(['@key(fields: "number")']);
  });

  it('leaves schema.graphql without any federation part', () => {
    const schema = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(schema).not.toMatch(/@key|@link|_entities|_service|_Any/);
  });
});

describe('FEDERATION_SUBGRAPH=true', () => {
  let platform: Platform;
  let url: string;
  let own: string[];
  let others: string[];

  beforeAll(async () => {
    platform = await startPlatform({ FEDERATION_SUBGRAPH: 'true' });
    url = platform.service.graphqlUrl;
    const numbersOf = (token: string) =>
      platform.sandbox.customers.find((c) => c.token === token)!.accountNumbers;
    own = numbersOf(TOKENS.demo);
    others = numbersOf(TOKENS.many);
  });
  afterAll(() => platform.close());
  beforeEach(() => platform.resetCalls());

  it('answers _service { sdl } with the SDL of subgraph.graphql, in production too', async () => {
    const answer = await graphql(url, '{ _service { sdl } }', {}, null);
    expect(answer.body.errors).toBeUndefined();
    const sdl = (answer.body.data?._service as { sdl: string }).sdl;
    expect(readFileSync(SUBGRAPH_PATH, 'utf8')).toContain(sdl);
    expect(platform.upstreamCalls()).toBe(0);
  });

  it("resolves the caller's own accounts through _entities with one account-list call", async () => {
    const answer = await graphql(url, ENTITIES, { representations: own.map(reference) });
    expect(answer.body.errors).toBeUndefined();
    const entities = answer.body.data?._entities as { number: string; detail: { statusCode: string } }[];
    expect(entities.map((e) => e.number)).toEqual(own);
    expect(entities.every((e) => e.detail !== null)).toBe(true);
    // One list for every reference, and one basics call per account: what `account(number:)` costs.
    expect(platform.sandbox.counters().calls.byOperation).toEqual({
      listAccounts: 1,
      getAccountBasics: own.length,
    });
  });

  it("resolves another customer's account to null, and nothing of it comes back", async () => {
    const foreign = others[0];
    const foreignName = (await graphql(url, '{ accounts { number productName } }', {}, TOKENS.many)).text;
    expect(foreignName).toContain(foreign);
    platform.resetCalls();

    const answer = await graphql(url, ENTITIES, { representations: [reference(own[0]), reference(foreign)] });
    expect(answer.body.errors).toBeUndefined();
    const entities = answer.body.data?._entities as ({ number: string } | null)[];
    expect(entities[0]?.number).toBe(own[0]);
    expect(entities[1]).toBeNull();
    expect(answer.text).not.toContain(foreign);
    // A direct query for the same two numbers costs the same upstream calls.
    const direct = `{ a: account(number: "${own[0]}") { detail { statusCode } } b: account(number: "${foreign}") { detail { statusCode } } }`;
    const viaEntities = platform.upstreamCalls();
    platform.resetCalls();
    expect((await graphql(url, direct)).body.data).toMatchObject({ b: null });
    expect(platform.upstreamCalls()).toBe(viaEntities);
  });

  it('refuses a malformed reference with the rule of account(number:), before any upstream call', async () => {
    const answer = await graphql(url, ENTITIES, { representations: [reference('12ab'), reference(42)] });
    expect(answer.body.data?._entities).toEqual([null, null]);
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0], 'BAD_USER_INPUT'],
      [['_entities', 1], 'BAD_USER_INPUT'],
    ]);
    expect(answer.body.errors?.[0].message).toMatch(/"number" needs 10 to 15 digits/);
    expect(platform.upstreamCalls()).toBe(0);
  });

  it('needs the bearer token for _entities like any other query', async () => {
    const answer = await graphql(url, ENTITIES, { representations: [reference(own[0])] }, null);
    expect(answer.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(platform.upstreamCalls()).toBe(0);
  });

  it('counts every reference in the estimated upstream calls (MAX_QUERY_COST)', async () => {
    const representations = Array.from({ length: 600 }, () => reference(own[0]));
    const answer = await graphql(url, ENTITIES, { representations });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      cost: 601,
      maxCost: 500,
    });
    expect(platform.upstreamCalls()).toBe(0);
  });
});

describe('without FEDERATION_SUBGRAPH', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({});
  });
  afterAll(() => platform.close());

  it('has no _service or _entities field', async () => {
    const answer = await graphql(platform.service.graphqlUrl, '{ _service { sdl } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
