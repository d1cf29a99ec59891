/**
 * The naive GraphQL variant: the service exactly as `startService(loadConfig(env))` builds it (same
 * schema, HTTP layer, plugins, logging, metrics, upstream policy and settings), except that its
 * loaders call the upstream once per field (`naive-loaders.ts`), through `startService`'s
 * `loaderFactory` option.
 */
import 'reflect-metadata';
import type * as App from '../../src/server/app';
import type * as Config from '../../src/server/config';
import { announceReady, closeOnStop, runTarget } from '../lib/child';
import { fromDist } from '../lib/dist';
import { createNaiveLoaders } from './naive-loaders';

runTarget(async () => {
  const { startService } = fromDist<typeof App>('server/app');
  const { loadConfig } = fromDist<typeof Config>('server/config');
  const service = await startService(loadConfig(process.env), { loaderFactory: createNaiveLoaders });
  closeOnStop(() => service.close());
  announceReady(service.graphqlUrl);
});
