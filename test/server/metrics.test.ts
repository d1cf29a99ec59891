import { Metrics } from '../../src/server/metrics';

async function metricsText(metrics: Metrics): Promise<string> {
  return metrics.render();
}

describe('Metrics', () => {
  it('counts upstream calls by operation and outcome, with a latency histogram', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.onCall({ operation: 'listAccounts', durationMs: 12, outcome: 'OK', attempt: 1, traceId: 'g1' });
    metrics.onCall({ operation: 'listAccounts', durationMs: 30, outcome: 'SYSCD03101', attempt: 1 });
    metrics.onCall({ operation: 'listAccounts', durationMs: 8, outcome: 'OK', attempt: 2 });
    const text = await metricsText(metrics);
    expect(text).toContain('woori_upstream_calls_total{operation="listAccounts",outcome="OK"} 2');
    expect(text).toContain('woori_upstream_calls_total{operation="listAccounts",outcome="SYSCD03101"} 1');
    expect(text).toContain('woori_upstream_retries_total{operation="listAccounts"} 1');
    expect(text).toContain(
      'woori_upstream_call_duration_seconds_count{operation="listAccounts",outcome="OK"} 2',
    );
  });

  it('counts GraphQL requests by operation name and outcome, and errors by code', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeGraphQL('Dashboard', 'ok', 0.05);
    metrics.observeGraphQL('Dashboard', 'partial', 0.07, ['UPSTREAM_TIMEOUT']);
    metrics.observeGraphQL(null, 'rejected', 0.001);
    const text = await metricsText(metrics);
    expect(text).toContain('graphql_requests_total{operation="Dashboard",outcome="ok"} 1');
    expect(text).toContain('graphql_requests_total{operation="Dashboard",outcome="partial"} 1');
    expect(text).toContain('graphql_requests_total{operation="(anonymous)",outcome="rejected"} 1');
    expect(text).toContain('graphql_errors_total{operation="Dashboard",code="UPSTREAM_TIMEOUT"} 1');
    expect(text).toContain(
      'graphql_request_duration_seconds_bucket{le="0.1",operation="Dashboard",outcome="ok"} 1',
    );
  });

  it('bounds the operation label: malformed names and names past the cap share one value', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeGraphQL('not a name{}', 'ok', 0.01);
    for (let i = 0; i < 205; i += 1) metrics.observeGraphQL(`Op${i}`, 'ok', 0.01);
    const text = await metricsText(metrics);
    expect(text).toContain('operation="(invalid)"');
    expect(text).toContain('graphql_requests_total{operation="(other)",outcome="ok"} 5');
    expect(text).not.toContain('operation="Op200"');
  });

  it("reports the circuit breaker's state at each scrape", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let status: 'closed' | 'half-open' | 'open' = 'closed';
    metrics.watchCircuit(() => status);
    expect(await metricsText(metrics)).toContain('woori_upstream_circuit_state 0');
    status = 'open';
    expect(await metricsText(metrics)).toContain('woori_upstream_circuit_state 2');
    status = 'half-open';
    expect(await metricsText(metrics)).toContain('woori_upstream_circuit_state 1');
  });

  it('records loader batch sizes by loader', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.onLoaderBatch('basics', 3);
    metrics.onLoaderBatch('basics', 1);
    const text = await metricsText(metrics);
    expect(text).toContain('graphql_loader_batch_size_sum{loader="basics"} 4');
    expect(text).toContain('graphql_loader_batch_size_count{loader="basics"} 2');
  });

  it('includes the default process metrics, on its own registry', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.observeHttp('/healthz', 'GET', 200, 0.001);
    expect(await a.render()).toContain('process_cpu_user_seconds_total');
    expect(await a.render()).toContain('http_requests_total{route="/healthz",method="GET",status="200"} 1');
    expect(await b.render()).not.toContain('http_requests_total{route="/healthz"');
    expect(a.contentType).toMatch(/^text\/plain/);
  });

  it('counts cache hits, misses, bytes and answers too large, by kind', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.onCacheEvent({ kind: 'accounts', outcome: 'hit', bytes: 0 });
    metrics.onCacheEvent({ kind: 'accounts', outcome: 'hit', bytes: 0 });
    metrics.onCacheEvent({ kind: 'transactions', outcome: 'miss', bytes: 0 });
    metrics.onCacheEvent({ kind: 'transactions', outcome: 'stored', bytes: 1_500 });
    metrics.onCacheEvent({ kind: 'transactions', outcome: 'read', bytes: 700 });
    metrics.onCacheEvent({ kind: 'basics', outcome: 'too-large', bytes: 9_999 });
    const text = await metricsText(metrics);
    expect(text).toContain('woori_cache_hits_total{kind="accounts"} 2');
    expect(text).toContain('woori_cache_misses_total{kind="transactions"} 1');
    expect(text).toContain('woori_cache_bytes_total{kind="transactions",direction="stored"} 1500');
    expect(text).toContain('woori_cache_bytes_total{kind="transactions",direction="read"} 700');
    expect(text).toContain('woori_cache_too_large_total{kind="basics"} 1');
  });

  it("reads Redis's state, the degradation and the in-process cache's size at each scrape", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    expect(await metricsText(metrics)).not.toContain('woori_redis_up');
    let state: 'up' | 'down' = 'up';
    let bytes = 10;
    metrics.watchRedis(() => state);
    metrics.watchDegraded(() => state === 'down');
    metrics.watchCacheMemory(() => bytes);
    metrics.onRedisError();
    expect(await metricsText(metrics)).toMatch(/^woori_redis_up 1$[\s\S]*^woori_degraded 0$/m);
    state = 'down';
    bytes = 2_048;
    const text = await metricsText(metrics);
    expect(text).toMatch(/^woori_redis_up 0$/m);
    expect(text).toMatch(/^woori_degraded 1$/m);
    expect(text).toMatch(/^woori_cache_memory_bytes 2048$/m);
    expect(text).toMatch(/^woori_redis_errors_total 1$/m);
  });
});
