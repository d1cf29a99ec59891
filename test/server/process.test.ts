/**
 * The service as `npm start` runs it: the built `dist/server/main.js` in a child process, for what
 * only a process shows: exit codes, start-up messages on stderr, and signals.
 */
import { ensureBuilt } from '../helpers/build';
import { spawnService, type ChildService } from '../helpers/child-service';

const DEMO_TOKEN = 'sandbox-token-demo';

beforeAll(() => ensureBuilt(), 180_000);

let running: ChildService[] = [];
afterEach(async () => {
  for (const child of running) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  running = [];
});

function start(env: Record<string, string>): ChildService {
  const child = spawnService(env);
  running.push(child);
  return child;
}

function accountsRequest(url: string): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
    body: JSON.stringify({ query: '{ accounts { number } }' }),
  });
}

describe('npm start', () => {
  it('starts the embedded sandbox and prints where GraphiQL is and the demo header', async () => {
    const child = start({});
    const url = await child.listening;
    const stderr = await child.stderrContaining('Demo customer');
    expect(stderr).toContain(`GraphiQL:  open ${url}/graphql`);
    expect(stderr).toContain(`Authorization: Bearer ${DEMO_TOKEN}`);
    expect(child.logLines().find((l) => l.msg === 'service listening')).toMatchObject({ mode: 'sandbox' });
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it('lets a slow request finish on SIGTERM, then exits 0', async () => {
    const child = start({ SANDBOX_LATENCY_MS: '1500', SHUTDOWN_GRACE_MS: '10000' });
    const url = await child.listening;
    const pending = accountsRequest(url);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const signalled = Date.now();
    child.process.kill('SIGTERM');

    const response = await pending;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { accounts: { number: string }[] } };
    expect(body.data.accounts.map((a) => a.number)).toContain('1002146788200');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    const messages = child.logLines().map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining(['signal received', 'shutting down', 'request finished', 'stopped']),
    );
    expect(messages.indexOf('request finished')).toBeLessThan(messages.indexOf('stopped'));
  });

  it('stops accepting connections as soon as SIGTERM arrives', async () => {
    const child = start({ SANDBOX_LATENCY_MS: '1500', SHUTDOWN_GRACE_MS: '10000' });
    const url = await child.listening;
    const pending = accountsRequest(url);
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect((await pending).status).toBe(200);
    await child.exited;
  });

  it('exits within SHUTDOWN_GRACE_MS when a request outlasts it', async () => {
    const child = start({ SANDBOX_LATENCY_MS: '20000', SHUTDOWN_GRACE_MS: '1000' });
    const url = await child.listening;
    const pending = accountsRequest(url).then(
      (r) => r.status,
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect(Date.now() - signalled).toBeLessThan(1_500);
    expect(exit.signal).toBeNull();
    expect(await pending).toBe('failed');
  });

  it('stops on a bad setting with exit code 1 and a message naming the variable', async () => {
    const child = start({ PORT: 'eighty' });
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain(
      'Configuration error: PORT must be a whole number from 0 to 65535, but got "eighty"',
    );
  });

  it('stops in production without WOORI_BASE_URL, naming it', async () => {
    const child = start({ NODE_ENV: 'production', CURSOR_SECRET: 'c'.repeat(40) });
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain('WOORI_BASE_URL is required in production');
  });

  it('stops in production without a credential, naming it', async () => {
    const child = start({
      NODE_ENV: 'production',
      WOORI_BASE_URL: 'https://example.invalid',
      WOORI_APP_KEY: 'k'.repeat(36),
    });
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain('WOORI_SECRET_KEY is required');
  });
});
