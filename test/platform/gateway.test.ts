/**
 * A real gateway in front of the subgraph: @apollo/gateway (2.x, which runs on Node 20) with the
 * static supergraph that composition makes of this service's subgraph and a profile subgraph.
 * Queries go through the gateway to the service (in production mode, over its own sandbox); the
 * gateway forwards `Authorization` and the device headers, as docs/platform.md tells a router to,
 * and the upstream calls are those of the same query sent to the service directly.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { SUBGRAPH_PATH } from '../../scripts/print-schema';
import { DEVICE_HEADERS } from '../../src/server/request-input';
import { type Platform, startPlatform, TOKENS } from './harness';
import { PROFILE_SDL, profileSchema } from './profile-subgraph';

/** What a router must forward to this subgraph: the customer's token and the device fields. */
const FORWARDED = ['authorization', ...Object.values(DEVICE_HEADERS)];

const DEVICE = {
  'x-device-id': 'gateway-test-device',
  'x-device-serial': 'SERIAL42',
  'x-device-phone': '01012345678',
  'x-device-os': 'A',
  'x-device-os-version': '14',
  'x-device-model': 'Pixel 8',
  'x-app-version': '3.2.1',
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface ForwardContext {
  headers: IncomingHttpHeaders;
}

/**
 * A pass-through HTTP proxy in front of the service that keeps the headers of every request: what
 * the gateway actually sent to the subgraph.
 */
async function startRecordingProxy(
  target: string,
): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0]),
        ),
      );
      fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, seen, server };
}

describe('a federation gateway in front of the subgraph', () => {
  let platform: Platform;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let profiles: ApolloServer;
  let gateway: ApolloServer<ForwardContext>;
  let gatewayUrl: string;
  let own: string[];

  beforeAll(async () => {
    platform = await startPlatform({ FEDERATION_SUBGRAPH: 'true' });
    own = platform.sandbox.customers.find((c) => c.token === TOKENS.demo)!.accountNumbers;
    proxy = await startRecordingProxy(platform.service.graphqlUrl);

    profiles = new ApolloServer({
      schema: profileSchema(own[0]),
      logger: silent,
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const { url: profilesUrl } = await startStandaloneServer(profiles, {
      listen: { port: 0, host: '127.0.0.1' },
    });

    const composed = composeServices([
      { name: 'woori', url: proxy.url, typeDefs: parse(readFileSync(SUBGRAPH_PATH, 'utf8')) },
      { name: 'profiles', url: profilesUrl, typeDefs: parse(PROFILE_SDL) },
    ]);
    if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors?.join('\n')}`);

    gateway = new ApolloServer<ForwardContext>({
      gateway: new ApolloGateway({
        supergraphSdl: composed.supergraphSdl,
        logger: silent,
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource<ForwardContext>({
            url,
            willSendRequest({ request, context }) {
              for (const name of FORWARDED) {
                const value = context.headers?.[name];
                if (typeof value === 'string') request.http?.headers.set(name, value);
              }
            },
          }),
      }),
      logger: silent,
    });
    ({ url: gatewayUrl } = await startStandaloneServer(gateway, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({ headers: req.headers }),
    }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await profiles?.stop();
    await new Promise((resolve) => proxy?.server.close(resolve));
    await platform?.close();
  });
  beforeEach(() => {
    platform.resetCalls();
    proxy.seen.length = 0;
  });

  async function query(url: string, text: string, headers: Record<string, string> = {}) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text }),
    });
    return (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  }

  /** The upstream calls of `text` sent to the service directly, with the same token. */
  async function directCalls(text: string): Promise<number> {
    platform.resetCalls();
    const answer = await query(platform.service.graphqlUrl, text, { authorization: `Bearer ${TOKENS.demo}` });
    expect(answer.errors).toBeUndefined();
    return platform.upstreamCalls();
  }

  const customer = { authorization: `Bearer ${TOKENS.demo}`, ...DEVICE };

  it("joins the profile service's nickname onto the customer's accounts, for the upstream calls of a direct query", async () => {
    const answer = await query(
      gatewayUrl,
      '{ accounts { number productName nickname detail { statusCode } } }',
      customer,
    );

    expect(answer.errors).toBeUndefined();
    const accounts = answer.data?.accounts as { number: string; nickname: string; detail: unknown }[];
    expect(accounts.map((a) => a.number)).toEqual(own);
    expect(accounts.map((a) => a.nickname)).toEqual(own.map((n) => `pocket ${n.slice(-4)}`));
    const viaGateway = platform.upstreamCalls();
    expect(viaGateway).toBe(1 + own.length);
    expect(await directCalls('{ accounts { number productName detail { statusCode } } }')).toBe(viaGateway);
  });

  it('resolves an account another subgraph points at through _entities, for the upstream calls of a direct query', async () => {
    const fields = 'number productName balance { amount currency } detail { statusCode }';
    const answer = await query(
      gatewayUrl,
      `{ profile { displayName favouriteAccount { nickname ${fields} } } }`,
      customer,
    );

    expect(answer.errors).toBeUndefined();
    expect(answer.data?.profile).toMatchObject({
      favouriteAccount: { number: own[0], nickname: `pocket ${own[0].slice(-4)}` },
    });
    const viaGateway = platform.upstreamCalls();
    expect(viaGateway).toBe(2);
    expect(await directCalls(`{ account(number: "${own[0]}") { ${fields} } }`)).toBe(viaGateway);
  });

  it('forwards Authorization and every device header to the subgraph', async () => {
    await query(gatewayUrl, `{ profile { favouriteAccount { productName } } accounts { number } }`, customer);

    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
    for (const headers of proxy.seen) {
      for (const [name, value] of Object.entries(customer))
        expect({ name, value: headers[name] }).toEqual({ name, value });
    }
  });

  it("carries the subgraph's UNAUTHENTICATED through when the caller sends no token, with no upstream call", async () => {
    const answer = await query(gatewayUrl, '{ accounts { number } }', DEVICE);

    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(platform.upstreamCalls()).toBe(0);
  });
});
