/**
 * The whole service over HTTP with its embedded sandbox, for the resilience tests: dashboard
 * requests with their wall time, and the sandbox's control endpoints (faults, counters, reset).
 */
import { print } from 'graphql';
import type { SandboxCounters, SandboxPatch } from '../../src/sandbox';
import { startService, type RunningService, type ServiceOverrides } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { DashboardDocument, type DashboardQuery } from '../generated/graphql';
import { dashboardVariables } from '../helpers/dashboard';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions: {
    code: string;
    upstreamCode?: string;
    traceId?: string;
    retryAfterMs?: number;
    heldBackMs?: number;
    scope?: string;
  };
}

export interface GraphQLResponse<D> {
  status: number;
  /** From sending the request to the end of the response body. */
  wallMs: number;
  data: D | null;
  errors?: GraphQLErrorBody[];
  upstream: { calls: number; retries: number; durationMs: number };
}

export type Dashboard = DashboardQuery;

/** Settings that turn the answer cache (and the sharing of identical calls in flight) off. */
export const CACHE_OFF = { CACHE_TTL_SECONDS: '0', CACHE_HISTORY_TTL_SECONDS: '0' } as const;

/**
 * A service on a free port, silent (unless `env` says), plus `env`: with the embedded sandbox, or
 * with the one `WOORI_BASE_URL` names (the sandbox's control endpoints are then that one's). The
 * answer cache is off unless `env` turns it on, so that every request pays its own upstream calls.
 */
export async function startTestService(
  env: Record<string, string>,
  overrides: ServiceOverrides = {},
): Promise<TestService> {
  const service = await startService(
    loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...CACHE_OFF, ...env }),
    overrides,
  );
  return new TestService(service, env.WOORI_BASE_URL);
}

export class TestService {
  readonly sandboxUrl: string;

  constructor(
    readonly service: RunningService,
    sandboxUrl?: string,
  ) {
    this.sandboxUrl = sandboxUrl ?? service.sandbox!.url;
  }

  close(): Promise<void> {
    return this.service.close();
  }

  async query<D>(query: string, token: string, variables: object = {}): Promise<GraphQLResponse<D>> {
    const started = performance.now();
    const res = await fetch(this.service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: D | null;
      errors?: GraphQLErrorBody[];
      extensions: { upstream: GraphQLResponse<D>['upstream'] };
    };
    return {
      status: res.status,
      wallMs: performance.now() - started,
      data: body.data ?? null,
      errors: body.errors,
      upstream: body.extensions?.upstream,
    };
  }

  dashboard(token: string): Promise<GraphQLResponse<Dashboard>> {
    return this.query<Dashboard>(print(DashboardDocument), token, dashboardVariables());
  }

  async readyz(): Promise<{ status: number; body: { status: string; reason?: string } }> {
    const res = await fetch(`${this.service.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  }

  /** Patches the sandbox's settings (faults, maxRps, latency…) through its control endpoint. */
  async configureSandbox(patch: SandboxPatch): Promise<void> {
    const res = await fetch(`${this.sandboxUrl}/__sandbox/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    if (res.status !== 200) throw new Error(`sandbox config refused: ${await res.text()}`);
  }

  async resetSandbox(): Promise<void> {
    await fetch(`${this.sandboxUrl}/__sandbox/reset`, { method: 'POST' });
  }

  /** The value of one metric (its first sample whose labels include `labels`), from /metrics. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    const text = await (await fetch(`${this.service.url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const labelText = match[2] ?? '';
      if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) {
        return Number(match[3]);
      }
    }
    return undefined;
  }

  async counters(): Promise<SandboxCounters> {
    return (await (await fetch(`${this.sandboxUrl}/__sandbox/counters`)).json()) as SandboxCounters;
  }
}

/** Runs `task` for `count` indexes, at most `width` at a time. */
export async function inWaves<T>(
  count: number,
  width: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
