import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReadinessProbe } from '../../src/server/readiness';

async function upstream(
  status: number,
): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.statusCode = status;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

async function closedPortUrl(): Promise<string> {
  const { url, server } = await upstream(200);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe('ReadinessProbe', () => {
  it('is ready when the upstream answers, whatever the status', async () => {
    const { url, server } = await upstream(404);
    try {
      await expect(new ReadinessProbe({ baseUrl: url, timeoutMs: 1_000 }).check()).resolves.toMatchObject({
        ready: true,
      });
    } finally {
      server.close();
    }
  });

  it('is not ready when the upstream cannot be reached, and says why', async () => {
    const probe = new ReadinessProbe({ baseUrl: await closedPortUrl(), timeoutMs: 1_000 });
    await expect(probe.check()).resolves.toMatchObject({
      ready: false,
      reason: 'upstream unreachable (ECONNREFUSED)',
    });
  });

  it('sends no credentials and no token', async () => {
    const { url, seen, server } = await upstream(200);
    try {
      await new ReadinessProbe({ baseUrl: url, timeoutMs: 1_000 }).check();
      expect(seen).toHaveLength(1);
      expect(Object.keys(seen[0])).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(authorization|token|appkey|secretkey)$/i)]),
      );
    } finally {
      server.close();
    }
  });

  it('reuses its answer for cacheMs, and shares one probe between concurrent callers', async () => {
    const { url, seen, server } = await upstream(200);
    let now = 0;
    try {
      const probe = new ReadinessProbe({ baseUrl: url, timeoutMs: 1_000, cacheMs: 5_000, now: () => now });
      await Promise.all([probe.check(), probe.check(), probe.check()]);
      expect(seen).toHaveLength(1);
      now = 4_999;
      await probe.check();
      expect(seen).toHaveLength(1);
      now = 5_000;
      await probe.check();
      expect(seen).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('stays ready while degraded, says what it runs without, and reads that live', async () => {
    const { url, server } = await upstream(200);
    let degraded: string | undefined = 'Redis unreachable';
    try {
      const probe = new ReadinessProbe({ baseUrl: url, timeoutMs: 1_000, degraded: () => degraded });
      await expect(probe.check()).resolves.toMatchObject({ ready: true, degraded: 'Redis unreachable' });
      degraded = undefined;
      const again = await probe.check();
      expect(again.ready).toBe(true);
      expect(again).not.toHaveProperty('degraded');
    } finally {
      server.close();
    }
  });
});
