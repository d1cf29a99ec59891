/**
 * Redis is an optimisation, never a point of failure: killed under load, every request is still
 * answered (cache misses, upstream calls), both replicas say they are degraded but stay ready, and
 * once Redis is back they use it again without a restart.
 */
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { ensureBuilt } from '../helpers/build';
import { type Deployment, type GraphQLAnswer, startDeployment, until } from './replicas';

let deployment: Deployment;

beforeAll(async () => {
  await ensureBuilt();
  deployment = await startDeployment(2);
}, 180_000);
afterAll(() => deployment?.close());

const TOKENS = [SANDBOX_TOKENS.demo, SANDBOX_TOKENS.ten];

it('(e) answers every request while Redis is killed and restarted, and uses Redis again afterwards', async () => {
  const { replicas, redis } = deployment;
  const answers: GraphQLAnswer[] = [];
  let running = true;
  let sent = 0;
  const load = Promise.all(
    Array.from({ length: 4 }, async (_, worker) => {
      while (running) {
        const i = sent++;
        answers.push(await replicas[(i + worker) % 2].dashboard(TOKENS[i % TOKENS.length]));
      }
    }),
  );
  try {
    await until(async () => answers.length >= 10, 'answers before the outage');
    await redis.kill();
    const killedAt = answers.length;
    await until(async () => answers.length >= killedAt + 20, 'answers while Redis is down');
    for (const replica of replicas) {
      const ready = await replica.readyz();
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.degraded).toMatch(/^Redis unreachable/);
      expect(await replica.metrics()).toMatch(/^woori_degraded 1$/m);
      expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
    }
    await redis.restart();
    for (const replica of replicas) {
      await until(async () => (await replica.readyz()).body.status === 'ready', 'Redis to be used again');
    }
    const restartedAt = answers.length;
    await until(async () => answers.length >= restartedAt + 10, 'answers after the outage');
  } finally {
    running = false;
    await load;
  }
  const failed = answers.filter((a) => a.status !== 200 || a.errors !== undefined);
  expect(failed).toEqual([]);
  expect(answers.length).toBeGreaterThan(40);

  // Redis came back empty: A fills it, and B is served from it.
  const [a, b] = replicas;
  await a.dashboard(SANDBOX_TOKENS.many, { 'cache-control': 'no-cache' });
  const before = deployment.upstreamCalls();
  const viaB = await b.dashboard(SANDBOX_TOKENS.many);
  expect(viaB.errors).toBeUndefined();
  expect(deployment.upstreamCalls() - before).toBe(0);
  expect(await b.metrics()).toMatch(/^woori_redis_up 1$/m);
});

it('answers while Redis hangs, each request waiting at most about one command timeout for it', async () => {
  const { replicas, redis } = deployment;
  redis.pause();
  try {
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const answer = await replicas[i % 2].dashboard(TOKENS[i % TOKENS.length]);
      expect(answer.errors).toBeUndefined();
      // REDIS_COMMAND_TIMEOUT_MS is 300 here; generous for a busy machine.
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect((await replicas[0].readyz()).body.status).toBe('degraded');
  } finally {
    redis.resume();
  }
  for (const replica of replicas) {
    await until(async () => {
      await replica.dashboard(SANDBOX_TOKENS.demo);
      return (await replica.readyz()).body.status === 'ready';
    }, 'Redis to answer again');
  }
});
