/**
 * In-process harness for the GraphQL layer: the real sandbox over real HTTP, the real client, the
 * real schema; only the HTTP server in front of GraphQL is left out (the e2e tests cover it).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { createGraphQLService, type GraphQLService, type GraphQLServiceOptions } from '../../src/graphql';
import { type RunningSandbox, SANDBOX_TOKENS, startSandbox } from '../../src/sandbox';
import { createCallContext } from '../../src/woori/call-context';
import { WooriClient } from '../../src/woori/client';
import type { DeviceInfo } from '../../src/woori/domain';

export const DEVICE: DeviceInfo = {
  ip: '127.0.0.1',
  deviceId: 'test-device-0001',
  phone: '01000000000',
  deviceSerial: 'TESTSERIAL',
  osCode: '1',
  osVersion: '14',
  model: 'TEST-MODEL',
  appVersion: '1.0.0',
};

/** Untyped results of ad-hoc query strings: the tests assert their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Result<R> {
  data?: R | null;
  errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, Loose>;
  }>;
  extensions?: Record<string, Loose>;
}

export interface Harness {
  sandbox: RunningSandbox;
  client: WooriClient;
  service: GraphQLService;
  /** Runs an operation as the demo customer (or `token`); typed when given a typed document. */
  run<R = Loose, V = Record<string, unknown>>(
    query: string | DocumentNode | TypedDocumentNode<R, V>,
    variables?: V,
    token?: string | null,
  ): Promise<Result<R>>;
  /** Upstream API calls the sandbox saw since the last reset, by operation. */
  calls(): Record<string, number>;
  close(): Promise<void>;
}

export async function startHarness(
  sandboxSettings: Parameters<typeof startSandbox>[0] = {},
  limits = { maxSpanDays: 366, upstreamMaxSpanDays: 366 },
  serviceOptions: Partial<GraphQLServiceOptions> = {},
): Promise<Harness> {
  const sandbox = await startSandbox(sandboxSettings);
  const client = new WooriClient({
    baseUrl: sandbox.url,
    appKey: sandbox.credentials.appKey,
    secretKey: sandbox.credentials.secretKey,
    timeoutMs: 5000,
  });
  const service = await createGraphQLService({
    api: client,
    limits,
    cursorSecret: 'test cursor secret',
    production: false,
    ...serviceOptions,
  });
  return {
    sandbox,
    client,
    service,
    async run(query, variables, token: string | null = SANDBOX_TOKENS.demo) {
      const source = typeof query === 'string' ? query : print(query);
      const response = await service.apollo.executeOperation(
        { query: source, variables: (variables ?? {}) as Record<string, unknown> },
        { contextValue: service.createContext(createCallContext({ token, device: DEVICE })) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      // A JSON round trip, as a client would see it.
      return JSON.parse(JSON.stringify(response.body.singleResult));
    },
    calls() {
      return { ...sandbox.counters().calls.byOperation };
    },
    async close() {
      await service.apollo.stop();
      await client.close();
      await sandbox.close();
    },
  };
}
