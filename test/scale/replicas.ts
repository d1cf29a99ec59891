/**
 * Service replicas as separate processes (`node dist/server/main.js`, as `npm start` runs it), all
 * in front of one sandbox (in the test's process) and sharing one real redis-server: what a
 * scaled-out deployment looks like. Call `ensureBuilt()` (../helpers/build) first.
 */
import { print } from 'graphql';
import Redis from 'ioredis';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import { spawnService, type ChildService } from '../helpers/child-service';
import { dashboardVariables } from '../helpers/dashboard';
import { DashboardDocument } from '../generated/graphql';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

export const CACHE_SECRET = 'the replicas share this cache secret, 32+';

export interface GraphQLAnswer<D = Record<string, unknown>> {
  status: number;
  data?: D | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  upstream: { calls: number; retries: number; durationMs: number; cacheHits: number };
}

export interface Replica {
  url: string;
  child: ChildService;
  query<D = Record<string, unknown>>(
    query: string,
    token: string,
    variables?: object,
    headers?: Record<string, string>,
  ): Promise<GraphQLAnswer<D>>;
  dashboard(token: string, headers?: Record<string, string>): Promise<GraphQLAnswer>;
  readyz(): Promise<{ status: number; body: { status: string; degraded?: string } }>;
  metrics(): Promise<string>;
}

export interface Deployment {
  sandbox: RunningSandbox;
  redis: RedisServer;
  replicas: Replica[];
  /** Upstream calls the sandbox has answered since it started. */
  upstreamCalls(): number;
  close(): Promise<void>;
}

/** `count` replicas on one sandbox and one Redis, each with `env` on top of the shared settings. */
export async function startDeployment(count: number, env: Record<string, string> = {}): Promise<Deployment> {
  const sandbox = await startSandbox({ latencyMs: 5 });
  const redis = await startRedisServer();
  const children: ChildService[] = [];
  try {
    for (let i = 0; i < count; i++) {
      children.push(
        spawnService({
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          WOORI_BASE_URL: sandbox.url,
          WOORI_APP_KEY: sandbox.credentials.appKey,
          WOORI_SECRET_KEY: sandbox.credentials.secretKey,
          WOORI_MAX_RPS: '0',
          // Tests drive one customer hard: the per-customer ceiling (300 a minute) is not what they test.
          WOORI_CUSTOMER_MAX_CALLS: '0',
          REDIS_URL: redis.url,
          REDIS_COMMAND_TIMEOUT_MS: '300',
          REDIS_CONNECT_TIMEOUT_MS: '500',
          CACHE_SECRET,
          ...env,
        }),
      );
    }
    const urls = await Promise.all(children.map((child) => child.listening));
    const replicas = urls.map((url, i) => replica(url, children[i]));
    await Promise.all(replicas.map((r) => untilRedisUp(r)));
    return {
      sandbox,
      redis,
      replicas,
      upstreamCalls: () => sandbox.counters().calls.total,
      async close() {
        await Promise.all(children.map(stop));
        await sandbox.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await Promise.all(children.map(stop));
    await sandbox.close();
    await redis.stop();
    throw error;
  }
}

/** A client of its own on the deployment's Redis, for tests that look inside it. */
export function redisClient(redis: RedisServer): Redis {
  return new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Waits until `check` holds, polling; fails after `timeoutMs` naming `what`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function replica(url: string, child: ChildService): Replica {
  const query = async <D>(
    text: string,
    token: string,
    variables: object = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLAnswer<D>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query: text, variables }),
    });
    const body = (await res.json()) as Omit<GraphQLAnswer<D>, 'status' | 'upstream'> & {
      extensions: { upstream: GraphQLAnswer['upstream'] };
    };
    return { status: res.status, data: body.data, errors: body.errors, upstream: body.extensions?.upstream };
  };
  return {
    url,
    child,
    query,
    dashboard: (token, headers) => query(print(DashboardDocument), token, dashboardVariables(), headers),
    async readyz() {
      const res = await fetch(`${url}/readyz`);
      return { status: res.status, body: (await res.json()) as { status: string; degraded?: string } };
    },
    async metrics() {
      return (await fetch(`${url}/metrics`)).text();
    },
  };
}

async function untilRedisUp(r: Replica): Promise<void> {
  await until(async () => (await r.readyz()).body.status === 'ready', `${r.url} to reach Redis`);
}

async function stop(child: ChildService): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  await child.exited;
}
