/**
 * Event-loop delay is exported in production (issue 16: a large decode must not stall the others,
 * and operators need to see when requests wait on each other's CPU): prom-client's default metrics
 * measure it, and the service keeps them on.
 */
import { Metrics } from '../../src/server/metrics';

it('exports the event-loop delay with the default metrics', async () => {
  const text = await new Metrics().render();
  for (const name of ['p50', 'p90', 'p99', 'max']) {
    expect(text).toMatch(new RegExp(`^nodejs_eventloop_lag_${name}_seconds \\d`, 'm'));
  }
});
