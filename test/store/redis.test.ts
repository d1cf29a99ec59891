import { SharedRedis, type RedisState } from '../../src/store/redis';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SharedRedis', () => {
  let server: RedisServer;
  let redis: SharedRedis;
  const states: RedisState[] = [];
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new SharedRedis({
      url: server.url,
      commandTimeoutMs: 200,
      connectTimeoutMs: 500,
      onStateChange: (state) => states.push(state),
      onCommandError: (error) => errors.push(error),
    });
    await until(() => redis.state === 'up', 'the first connection');
  });

  afterAll(async () => {
    await redis.close();
    await server.stop();
  });

  it('answers commands while Redis is up', async () => {
    await redis.attempt((c) => c.set('greeting', 'hello'));
    expect(await redis.attempt((c) => c.get('greeting'))).toBe('hello');
  });

  it('answers undefined at once while Redis is down, and uses it again once it is back', async () => {
    await server.kill();
    await until(() => redis.state === 'down', 'the state to turn down');
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => redis.attempt((c) => c.get('greeting'))),
    );
    expect(answers.every((a) => a === undefined)).toBe(true);
    // Nothing queued offline: fifty commands do not wait for a reconnection (generous bound).
    expect(Date.now() - started).toBeLessThan(2_000);

    await server.restart();
    await until(() => redis.state === 'up', 'the reconnection');
    await redis.attempt((c) => c.set('greeting', 'again'));
    expect(await redis.attempt((c) => c.get('greeting'))).toBe('again');
    expect(states.slice(0, 3)).toEqual(['up', 'down', 'up']);
  });

  it('gives up on a command after its timeout when Redis hangs, and recovers when it answers again', async () => {
    server.pause();
    try {
      const started = Date.now();
      expect(await redis.attempt((c) => c.get('greeting'))).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(redis.state).toBe('down');
      // Until Redis is due to be tested again, commands are not sent: none times out.
      const failures = errors.length;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => redis.attempt((c) => c.get('greeting'))),
      );
      expect(answers.every((a) => a === undefined)).toBe(true);
      expect(errors.length).toBe(failures);
    } finally {
      server.resume();
    }
    let answer: string | null | undefined;
    const end = Date.now() + 10_000;
    while ((answer = await redis.attempt((c) => c.get('greeting'))) === undefined && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toBe('again');
    expect(redis.state).toBe('up');
  });

  it('treats a Redis error answer as no answer and reports it', async () => {
    await redis.attempt((c) => c.set('text', 'not a number'));
    const before = errors.length;
    expect(await redis.attempt((c) => c.incr('text'))).toBeUndefined();
    expect(errors.length).toBe(before + 1);
    expect(redis.state).toBe('up');
  });
});
