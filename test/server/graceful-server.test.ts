import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { GracefulServer } from '../../src/server/graceful-server';

interface Reply {
  status: number;
  body: string;
  connection: string | undefined;
}

function get(port: number, path: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Answers `/slow?ms=N` after N ms, `/hang` never, anything else at once. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/hang') return;
  const ms = Number(url.searchParams.get('ms') ?? 0);
  setTimeout(() => res.end(`done after ${ms}`), ms);
}

describe('GracefulServer', () => {
  it('lets a request in flight finish, then closes', async () => {
    const server = new GracefulServer(handler);
    const { port } = await server.listen(0, '127.0.0.1');
    const slow = get(port, '/slow?ms=300');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closed = server.close(5_000);
    const reply = await slow;
    expect(reply).toMatchObject({ status: 200, body: 'done after 300', connection: 'close' });
    expect(await closed).toEqual({ forced: false });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops accepting new connections while it drains', async () => {
    const server = new GracefulServer(handler);
    const { port } = await server.listen(0, '127.0.0.1');
    const slow = get(port, '/slow?ms=300');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close(5_000);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    await slow;
    await closed;
  });

  it('closes idle keep-alive connections at once instead of waiting for their timeout', async () => {
    const server = new GracefulServer(handler, { keepAliveTimeoutMs: 60_000 });
    const { port } = await server.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    await get(port, '/', agent);
    const started = Date.now();
    await server.close(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    agent.destroy();
  });

  it('force-closes what is left when the grace period is over', async () => {
    const server = new GracefulServer(handler);
    const { port } = await server.listen(0, '127.0.0.1');
    const hanging = get(port, '/hang');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.inFlightCount).toBe(1);
    const started = Date.now();
    expect(await server.close(200)).toEqual({ forced: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(hanging).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
