/**
 * What one client can hold of the process (issue 14, "Connections"), against the whole service
 * over real sockets: slow and idle sockets are closed by the server, one address cannot take every
 * connection (the attacker connects from 127.0.0.2, `/healthz` is asked from 127.0.0.1), requests
 * Node's parser refuses get an answer in the service's shape and one info line, an aborted upload
 * one info line, and `/metrics` can move to a port of its own. Timing bounds are generous: the
 * machine is shared.
 */
import { connect, type Socket } from 'node:net';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { captureLogs, type LogCapture } from '../helpers/log-capture';

const ATTACKER = '127.0.0.2';

interface Closed {
  /** What the server sent before it closed the connection. */
  reply: string;
  /** Milliseconds from connecting to the close. */
  afterMs: number;
}

/** Opens a socket from `localAddress`; resolves once connected. */
function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server closes `socket`, with what it sent. */
function closedByServer(socket: Socket): Promise<Closed> {
  const started = Date.now();
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.once('close', () => resolve({ reply, afterMs: Date.now() - started })),
  );
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) return clearInterval(timer);
    socket.write(text[at++]);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Linux routes all of 127/8 to loopback, so the attacker can have an address of its own. */
const itWithSecondLoopback = process.platform === 'linux' ? it : it.skip;

describe('connections', () => {
  let service: RunningService;
  let logs: LogCapture;
  let port: number;

  beforeAll(async () => {
    logs = captureLogs();
    service = await startService(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'info',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
        MAX_CONNECTIONS_PER_ADDRESS: '20',
      }),
      { logDestination: logs.destination },
    );
    port = Number(new URL(service.url).port);
  });
  afterAll(() => service.close());

  const errorLines = () => logs.lines().filter((l) => l.level === 'error' || l.level === 'fatal');
  const withStack = () => logs.text().includes('"stack"');

  describe('slow sockets are closed by the server', () => {
    it('headers sent one byte every 300 ms: a 408 in the error shape, then closed', async () => {
      const socket = await open(port);
      const closed = closedByServer(socket);
      trickle(socket, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n', 300);
      const { reply, afterMs } = await closed;
      expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({
        errors: [
          { message: expect.stringMatching(/needs to arrive whole/), extensions: { code: 'BAD_REQUEST' } },
        ],
      });
      expect(afterMs).toBeGreaterThanOrEqual(900);
      expect(afterMs).toBeLessThan(8_000);
    });

    it('a socket that sends nothing is closed too', async () => {
      const { afterMs } = await closedByServer(await open(port));
      expect(afterMs).toBeLessThan(8_000);
    });

    it('a body sent one byte every 300 ms: a 408, logged once at info without a stack', async () => {
      const socket = await open(port);
      const closed = closedByServer(socket);
      const before = logs.lines().length;
      socket.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n' +
          'x-request-id: slow-upload-1\r\n\r\n',
      );
      trickle(socket, `{"query":"{ __typename }","pad":"${'p'.repeat(70)}"}`, 300);
      const { reply, afterMs } = await closed;
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(reply).toContain('"code":"BAD_REQUEST"');
      expect(afterMs).toBeLessThan(10_000);
      await waitFor(() =>
        logs
          .lines()
          .slice(before)
          .some((l) => l.msg === 'request finished'),
      );
      const lines = logs.lines().slice(before);
      expect(lines.filter((l) => l.msg === 'request too slow: closed')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'upload aborted by the client')).toHaveLength(0);
      expect(errorLines()).toEqual([]);
      expect(withStack()).toBe(false);
    });
  });

  it('logs an aborted upload once, at info, without a stack', async () => {
    const socket = await open(port);
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n' +
        'x-request-id: aborted-upload-1\r\n\r\n{"query":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await waitFor(() =>
      logs.lines().some((l) => l.requestId === 'aborted-upload-1' && l.msg === 'request finished'),
    );
    const lines = logs.lines().filter((l) => l.requestId === 'aborted-upload-1');
    expect(lines.filter((l) => l.msg === 'upload aborted by the client')).toEqual([
      expect.objectContaining({ level: 'info', receivedBytes: 9 }),
    ]);
    expect(errorLines()).toEqual([]);
    expect(withStack()).toBe(false);
  });

  describe("requests Node's parser refuses", () => {
    async function raw(request: string): Promise<string> {
      const socket = await open(port);
      const closed = closedByServer(socket);
      socket.write(request);
      return (await closed).reply;
    }

    it.each([
      ['a malformed request line', 'GARBAGE\r\n\r\n', 400, 'HPE_INVALID_METHOD'],
      [
        'headers over 16 KB',
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
        431,
        'HPE_HEADER_OVERFLOW',
      ],
    ])(
      '%s: its status in the error shape, one info line without a stack',
      async (_name, request, status, code) => {
        const before = logs.lines().length;
        const reply = await raw(request);
        expect(reply).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        expect(reply).toContain('{"errors":[{"message":');
        expect(reply).toContain('"code":"BAD_REQUEST"');
        const lines = logs
          .lines()
          .slice(before)
          .filter((l) => l.msg === 'request refused by the HTTP parser');
        expect(lines).toEqual([expect.objectContaining({ level: 'info', code, http: { status } })]);
        expect(withStack()).toBe(false);
      },
    );
  });

  describe('one address cannot take every connection', () => {
    itWithSecondLoopback(
      '200 sockets from one address: 20 held, the rest closed at once; /healthz from another answers',
      async () => {
        const sockets: Socket[] = [];
        const closes: Promise<Closed>[] = [];
        for (let i = 0; i < 200; i++) {
          const socket = await open(port, ATTACKER);
          sockets.push(socket);
          closes.push(closedByServer(socket));
        }
        try {
          // The refused ones are closed before any byte is read: well before the headers timeout.
          const early = await Promise.race([
            Promise.all(closes.slice(20)),
            new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 800)),
          ]);
          expect(early).not.toBe('late');
          expect(sockets.slice(0, 20).filter((s) => s.destroyed)).toHaveLength(0);

          const started = Date.now();
          const health = await fetch(`${service.url}/healthz`);
          expect(health.status).toBe(200);
          expect(Date.now() - started).toBeLessThan(2_000);

          const metrics = await (await fetch(service.metricsUrl)).text();
          expect(metrics).toContain(
            'http_connections_refused_total{reason="max_connections_per_address"} 180',
          );
          const refusals = logs.lines().filter((l) => l.msg === 'connections refused');
          expect(refusals.length).toBeGreaterThanOrEqual(1);
          expect(refusals.length).toBeLessThanOrEqual(2);
          expect(refusals[0]).toMatchObject({
            level: 'warn',
            remoteAddress: ATTACKER,
            reason: 'max_connections_per_address',
          });
        } finally {
          for (const socket of sockets) socket.destroy();
        }
      },
    );
  });
});

describe('connections over the overall cap', () => {
  it('are closed at once and counted', async () => {
    const service = await startService(
      loadConfig({ PORT: '0', LOG_LEVEL: 'silent', MAX_CONNECTIONS: '10', MAX_CONNECTIONS_PER_ADDRESS: '0' }),
    );
    const port = Number(new URL(service.url).port);
    const sockets: Socket[] = [];
    try {
      const closes: Promise<Closed>[] = [];
      for (let i = 0; i < 15; i++) {
        const socket = await open(port);
        sockets.push(socket);
        closes.push(closedByServer(socket));
      }
      await Promise.all(closes.slice(10));
      expect(sockets.slice(0, 10).filter((s) => s.destroyed)).toHaveLength(0);
      for (const socket of sockets) socket.destroy();
      await waitFor(() => sockets.every((s) => s.destroyed));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await (await fetch(service.metricsUrl)).text()).toContain(
        'http_connections_refused_total{reason="max_connections"} 5',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await service.close();
    }
  });
});

describe('METRICS_PORT', () => {
  it('moves /metrics to a port of its own; the main port answers 404 there', async () => {
    const service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', METRICS_PORT: '0' }));
    try {
      const main = new URL(service.url);
      const metrics = new URL(service.metricsUrl);
      expect(metrics.port).not.toBe(main.port);
      const scrape = await fetch(service.metricsUrl);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('http_requests_total');
      const moved = await fetch(`${service.url}/metrics`);
      expect(moved.status).toBe(404);
      expect(await moved.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      expect((await fetch(`${metrics.origin}/graphql`)).status).toBe(404);
    } finally {
      await service.close();
    }
  });
});
