/**
 * A real Apollo Client (in Node, with its persisted-query link and cache) against the service in
 * production mode with TRUSTED_DOCUMENTS: the dashboard document the client preset generated runs
 * by its hash alone; a document the build did not produce is refused.
 */
import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print, type DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DashboardDocument } from '../generated/client/graphql';
import { dashboardVariables } from '../helpers/dashboard';
import { MANIFEST, type Platform, startPlatform, TOKENS } from './harness';

/** The hash the client preset put on a generated document; others hash their printed text. */
function hashOf(document: DocumentNode): string {
  const meta = (document as { __meta__?: { hash?: string } }).__meta__;
  return meta?.hash ?? createHash('sha256').update(print(document)).digest('hex');
}

describe('Apollo Client with the persisted-query link, against trusted documents', () => {
  let platform: Platform;
  let client: ApolloClient;
  /** The bodies the client sent, as they left it. */
  let sent: Record<string, unknown>[];

  beforeAll(async () => {
    platform = await startPlatform({ TRUSTED_DOCUMENTS: MANIFEST });
    const recordingFetch: typeof fetch = (input, init) => {
      if (typeof init?.body === 'string') sent.push(JSON.parse(init.body) as Record<string, unknown>);
      return fetch(input, init);
    };
    client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new PersistedQueryLink({ generateHash: hashOf }).concat(
        new HttpLink({
          uri: platform.service.graphqlUrl,
          headers: { authorization: `Bearer ${TOKENS.demo}`, 'x-device-id': 'apollo-client-test' },
          fetch: recordingFetch,
        }),
      ),
    });
  });
  afterAll(async () => {
    client.stop();
    await platform.close();
  });
  beforeEach(() => {
    sent = [];
    platform.resetCalls();
  });

  it('runs the generated dashboard document by its hash, without sending its text', async () => {
    const result = await client.query({ query: DashboardDocument, variables: dashboardVariables() });

    expect(result.error).toBeUndefined();
    const accounts = result.data!.accounts;
    expect(accounts.length).toBe(2);
    expect(accounts[0].balance.amount).toMatch(/^\d+(\.\d+)?$/);
    expect(accounts[0].thisMonth?.totalCount).toEqual(expect.any(Number));
    // The dashboard costs 1 + 2N upstream calls for N accounts, by hash as by text.
    expect(platform.upstreamCalls()).toBe(1 + 2 * accounts.length);

    const listed = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBeUndefined();
    expect(sent[0].extensions).toMatchObject({
      persistedQuery: { version: 1, sha256Hash: hashOf(DashboardDocument) },
    });
    expect(listed[hashOf(DashboardDocument)]).toMatch(/^query Dashboard\(/);
  });

  it('gets PERSISTED_QUERY_NOT_IN_LIST for a document the build did not produce, and makes no upstream call', async () => {
    const adHoc = gql`
      query AdHoc {
        accounts {
          number
          balance {
            amount
          }
        }
      }
    `;
    const outcome = await client
      .query({ query: adHoc, fetchPolicy: 'network-only' })
      .catch((error: unknown) => error);

    const errors = CombinedGraphQLErrors.is(outcome) ? outcome.errors : [];
    expect(errors.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(platform.upstreamCalls()).toBe(0);
    // The link sent the hash, and did not retry with the text: the answer was not PersistedQueryNotFound.
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBeUndefined();
  });
});
