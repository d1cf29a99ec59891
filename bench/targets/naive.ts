/**
 * The naive GraphQL variant: the service exactly as `startService(loadConfig(env))` builds it (same
 * schema, HTTP layer, plugins, logging, metrics, upstream policy and settings), except that its
 * loaders call the upstream once per field (`naive-loaders.ts`).
 *
 * `startService` has no hook for the loaders, so the `createGraphQLService` it calls is wrapped
 * here to add the `loaderFactory` option before `server/app` is loaded (its compiled code reads the
 * function from the module's exports at each call). Whatever else changes in `app.ts`, this
 * variant follows it.
 */
import 'reflect-metadata';
import type * as GraphQL from '../../src/graphql';
import type * as App from '../../src/server/app';
import type * as Config from '../../src/server/config';
import { announceReady, closeOnStop, runTarget } from '../lib/child';
import { fromDist } from '../lib/dist';
import { createNaiveLoaders } from './naive-loaders';

runTarget(async () => {
  const graphql = fromDist<{ -readonly [K in keyof typeof GraphQL]: (typeof GraphQL)[K] }>('graphql/index');
  const createGraphQLService = graphql.createGraphQLService;
  graphql.createGraphQLService = (options) =>
    createGraphQLService({ ...options, loaderFactory: createNaiveLoaders });

  const { startService } = fromDist<typeof App>('server/app');
  const { loadConfig } = fromDist<typeof Config>('server/config');
  const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  const service = await startService(loadConfig(process.env));
  // As main.ts does: the shutdown order is ours, not that of handlers libraries registered.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  closeOnStop(() => service.close());
  announceReady(service.graphqlUrl);
});
