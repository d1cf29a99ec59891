/**
 * One load measurement with autocannon: `connections` clients each send their share of `amount`
 * requests back to back. A fixed amount (not a duration) lets every request finish, so the
 * upstream calls counted by the sandbox belong to exactly `amount` answered requests.
 *
 * Throughput and latency come from the steady part only: from the start until the first client
 * has sent its share, all `connections` requests are in flight; after that the load drains.
 */
import autocannon from 'autocannon';
import { percentile, sortNumbers } from './stats';

export interface LoadSpec {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  /** Requests in all; rounded up to a multiple of `connections`. */
  amount: number;
  /** Milliseconds one request may take before it counts as an error. */
  timeoutMs?: number;
}

export interface LoadResult {
  connections: number;
  amount: number;
  /** Requests answered in the steady part. */
  steadyRequests: number;
  steadySeconds: number;
  /** Requests per second in the steady part. */
  rps: number;
  /** Latencies of the steady part, in ms, sorted (kept out of the JSON report). */
  latencies: number[];
  p50: number;
  p90: number;
  p99: number;
  max: number;
  elapsedSeconds: number;
  /** Connection errors and timeouts, non-2xx answers, bodies with GraphQL `errors`. */
  failures: { errors: number; timeouts: number; non2xx: number; withErrors: number };
  /** The first failing body, to show what went wrong. */
  sampleFailure?: string;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const connections = spec.connections;
  const perClient = Math.max(1, Math.ceil(spec.amount / connections));
  const amount = perClient * connections;
  const latencies: number[] = [];
  const finishedAt: number[] = [];
  const answered = new Map<object, number>();
  let steadyRequests = -1;
  let sampleFailure: string | undefined;
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        connections,
        amount,
        timeout: Math.ceil((spec.timeoutMs ?? 30_000) / 1000),
        sampleInt: 100,
        verifyBody: (body) => {
          const ok = !body.includes('"errors"');
          if (!ok) sampleFailure ??= body.slice(0, 2000);
          return ok;
        },
      },
      (error, result) => {
        if (error) return reject(error);
        const steady = steadyRequests < 0 ? latencies.length : steadyRequests;
        const steadySeconds = (finishedAt[steady - 1] ?? NaN) / 1000;
        const sorted = sortNumbers(latencies.slice(0, steady));
        resolve({
          connections,
          amount,
          steadyRequests: steady,
          steadySeconds,
          rps: steady / steadySeconds,
          latencies: sorted,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1] ?? NaN,
          elapsedSeconds: (performance.now() - started) / 1000,
          failures: {
            errors: result.errors,
            timeouts: result.timeouts,
            non2xx: result.non2xx,
            withErrors: result.mismatches,
          },
          sampleFailure,
        });
      },
    );
    instance.on('response', (client, statusCode, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
      finishedAt.push(performance.now() - started);
      const count = (answered.get(client) ?? 0) + 1;
      answered.set(client, count);
      if (count === perClient && steadyRequests < 0) steadyRequests = latencies.length;
      if (statusCode >= 300) sampleFailure ??= `HTTP ${statusCode}`;
    });
  });
}
