/**
 * Trusted documents (TRUSTED_DOCUMENTS) in production mode: the documents of the manifest codegen
 * writes run by hash, by documentId and by text; anything else is a 400 PERSISTED_QUERY_NOT_IN_LIST
 * before anything is parsed, with no upstream call.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/server/config';
import { ensureBuilt } from '../helpers/build';
import { spawnService } from '../helpers/child-service';
import { TrustedDocuments } from '../../src/server/trusted-documents';
import { AccountBasicsDocument, AccountsDocument } from '../generated/client/graphql';
import { MANIFEST, type Platform, startPlatform, TOKENS } from './harness';

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
const hashOf = (document: unknown): string => (document as { __meta__: { hash: string } }).__meta__.hash;
const ACCOUNTS_HASH = hashOf(AccountsDocument);
const BASICS_HASH = hashOf(AccountBasicsDocument);
const ACCOUNTS_TEXT = manifest[ACCOUNTS_HASH];
const AD_HOC = '{ accounts { number balance { amount } } }';

interface Answer {
  status: number;
  contentType: string | null;
  body: {
    data?: { accounts?: { number: string }[]; account?: unknown } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

describe('trusted documents', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ TRUSTED_DOCUMENTS: MANIFEST });
  });
  afterAll(() => platform.close());
  beforeEach(() => platform.resetCalls());

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(platform.service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.demo}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: (await res.json()) as Answer['body'],
    };
  }

  async function get(params: Record<string, string>): Promise<Answer> {
    const res = await fetch(`${platform.service.graphqlUrl}?${new URLSearchParams(params).toString()}`, {
      headers: { authorization: `Bearer ${TOKENS.demo}`, 'apollo-require-preflight': 'true' },
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: (await res.json()) as Answer['body'],
    };
  }

  function expectRan(answer: Answer): void {
    expect(answer.body.errors).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(answer.body.data?.accounts?.length).toBeGreaterThan(0);
    expect(platform.upstreamCalls()).toBe(1);
  }

  function expectRefused(answer: Answer, needs: RegExp): void {
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(answer.body.errors![0].message).toMatch(needs);
    expect(platform.upstreamCalls()).toBe(0);
  }

  describe('runs a listed document', () => {
    it('by extensions.persistedQuery.sha256Hash, as Apollo Client sends it', async () => {
      expectRan(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: ACCOUNTS_HASH } } }));
    });

    it('by documentId, bare or with its sha256: prefix', async () => {
      expectRan(await post({ documentId: ACCOUNTS_HASH }));
      platform.resetCalls();
      expectRan(await post({ documentId: `sha256:${ACCOUNTS_HASH}` }));
    });

    it('by its full text', async () => {
      expectRan(await post({ query: ACCOUNTS_TEXT }));
    });

    it('by its text sent together with its own hash (a client retrying after PersistedQueryNotFound)', async () => {
      expectRan(
        await post({
          query: ACCOUNTS_TEXT,
          extensions: { persistedQuery: { version: 1, sha256Hash: ACCOUNTS_HASH } },
        }),
      );
    });

    it('over GET, by hash in ?extensions= and by ?documentId=', async () => {
      expectRan(
        await get({
          extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: ACCOUNTS_HASH } }),
        }),
      );
      platform.resetCalls();
      expectRan(await get({ documentId: ACCOUNTS_HASH }));
    });

    it('passes the variables and the operation name on with the listed text', async () => {
      const number = platform.sandbox.customers.find((c) => c.token === TOKENS.demo)!.accountNumbers[0];
      const answer = await post({
        documentId: BASICS_HASH,
        operationName: 'AccountBasics',
        variables: { number, asOf: null },
        extensions: { clientLibrary: { name: 'test' } },
      });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toMatchObject({ account: { number, detail: { number } } });
      expect(platform.upstreamCalls()).toBe(2);
    });
  });

  describe('refuses with HTTP 400 PERSISTED_QUERY_NOT_IN_LIST and no upstream call', () => {
    it('ad-hoc text, over POST and GET', async () => {
      expectRefused(await post({ query: AD_HOC }), /got query text that is not listed/);
      expectRefused(await get({ query: AD_HOC }), /got query text that is not listed/);
    });

    it('the listed text changed by a single character', async () => {
      expectRefused(await post({ query: `${ACCOUNTS_TEXT} ` }), /not listed/);
    });

    it('an unknown hash, by persistedQuery and by documentId', async () => {
      const unknown = createHash('sha256').update(AD_HOC).digest('hex');
      expectRefused(
        await post({ extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } }),
        /unknown hash/,
      );
      expectRefused(await post({ documentId: unknown }), /unknown hash/);
      expectRefused(
        await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: unknown } }) }),
        /unknown hash/,
      );
    });

    it('a client registering a new document (text with its hash, as automatic persisted queries do)', async () => {
      const hash = createHash('sha256').update(AD_HOC).digest('hex');
      expectRefused(
        await post({ query: AD_HOC, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
        /register a new one/,
      );
    });

    it('a listed hash sent with other text', async () => {
      expectRefused(
        await post({
          query: AD_HOC,
          extensions: { persistedQuery: { version: 1, sha256Hash: ACCOUNTS_HASH } },
        }),
        /different text/,
      );
    });

    it('a documentId and a hash that name different documents', async () => {
      const other = Object.keys(manifest).find((hash) => hash !== ACCOUNTS_HASH)!;
      expectRefused(
        await post({
          documentId: other,
          extensions: { persistedQuery: { version: 1, sha256Hash: ACCOUNTS_HASH } },
        }),
        /two different ones/,
      );
    });

    it('an introspection query', async () => {
      expectRefused(await post({ query: '{ __schema { types { name } } }' }), /not listed/);
    });

    it('a request that names no document, and a body that is not JSON', async () => {
      expectRefused(await post({ variables: {} }), /got none/);
      expectRefused(await post(AD_HOC, { 'content-type': 'text/plain' }), /a JSON body/);
    });

    it('a batch with one entry that is not listed', async () => {
      expectRefused(await post([{ documentId: ACCOUNTS_HASH }, { query: AD_HOC }]), /not listed/);
    });

    it("in GraphQL's own media type when the client accepts it", async () => {
      const answer = await post(
        { query: AD_HOC },
        { accept: 'application/graphql-response+json, application/json;q=0.9' },
      );
      expectRefused(answer, /not listed/);
      expect(answer.contentType).toMatch(/^application\/graphql-response\+json/);
      expect((await post({ query: AD_HOC })).contentType).toMatch(/^application\/json/);
    });
  });
});

describe('a manifest that cannot be used stops the start with an error naming TRUSTED_DOCUMENTS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const sha1 = createHash('sha1').update(AD_HOC).digest('hex');

  it.each([
    [
      'a missing file',
      join(dir, 'missing.json'),
      /needs a readable manifest file, got .*missing\.json \(ENOENT\)/,
    ],
    ['invalid JSON', write('broken.json', '{ "a": '), /needs a JSON manifest, got invalid JSON/],
    ['an array', write('array.json', '[]'), /needs a manifest object/],
    [
      'sha1 keys',
      write('sha1.json', JSON.stringify({ [sha1]: AD_HOC })),
      /sha1 hash: set the client preset's hashAlgorithm/,
    ],
    [
      'a text under another hash',
      write('mismatch.json', JSON.stringify({ [ACCOUNTS_HASH]: AD_HOC })),
      /needs each key to be the sha256 of its text/,
    ],
    [
      'a document that is not text',
      write('number.json', JSON.stringify({ [ACCOUNTS_HASH]: 42 })),
      /needs a document text/,
    ],
    ['no documents', write('empty.json', '{}'), /at least one document, got none/],
  ])('%s', async (_case, path, message) => {
    let thrown: unknown;
    try {
      TrustedDocuments.load(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe('TRUSTED_DOCUMENTS');
    expect((thrown as ConfigError).message).toMatch(message);
  });

  it('before the service starts anything', async () => {
    await expect(startPlatform({ TRUSTED_DOCUMENTS: join(dir, 'missing.json') })).rejects.toThrow(
      /^TRUSTED_DOCUMENTS needs a readable manifest file/,
    );
  });

  it('and `npm start` exits 1 with a message naming TRUSTED_DOCUMENTS', async () => {
    await ensureBuilt();
    const child = spawnService({
      TRUSTED_DOCUMENTS: write('sha1-start.json', JSON.stringify({ [sha1]: AD_HOC })),
    });
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toMatch(/TRUSTED_DOCUMENTS needs sha256 hex keys/);
    expect(child.stdout()).not.toContain('service listening');
  }, 180_000);

  it('loads the manifest codegen writes', () => {
    expect(TrustedDocuments.load(MANIFEST).size).toBe(Object.keys(manifest).length);
  });
});
