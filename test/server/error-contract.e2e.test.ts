/**
 * The four findings of the error-contract issue, each against the whole service over real HTTP
 * (production mode on a sandbox of its own, and development mode for comparison):
 * 1. every code a client can receive is registered and documented, with the status it comes with;
 * 2. client mistakes are 4xx with a client code, never INTERNAL_SERVER_ERROR;
 * 3. no "Did you mean" in production, anywhere;
 * 4. an oversized body gets its 413, also when the client writes it all before reading.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { ERROR_CODES, isErrorCode } from '../../src/graphql/errors';
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { type ProductionService, startProductionService } from '../helpers/production-service';

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const AUTH = { authorization: `Bearer ${SANDBOX_TOKENS.demo}` };

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function post(url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(url, { method: 'POST', headers: { ...AUTH, ...headers }, body: text }).then(answer);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The one error code of an answer, checked against the registry and the status it may come with. */
function codeOf({ status, body }: Answer): string {
  expect(body.errors).toHaveLength(1);
  const code = body.errors![0].extensions?.code;
  expect(isErrorCode(code)).toBe(true);
  expect(ERROR_CODES[code as keyof typeof ERROR_CODES].statuses).toContain(status);
  return code as string;
}

describe('the error contract in production', () => {
  let production: ProductionService;
  let service: RunningService;
  let url: string;

  beforeAll(async () => {
    production = await startProductionService();
    service = production.service;
    url = service.graphqlUrl;
  });
  afterAll(() => production.close());

  describe('1. every code a client receives is registered, with its status', () => {
    it.each([
      ['a query that is not a string', { query: 123 }, 400, 'BAD_REQUEST'],
      ['a batched array', [{ query: '{ __typename }' }], 400, 'BAD_REQUEST'],
      ['neither a query nor a persisted hash', { variables: {} }, 400, 'BAD_REQUEST'],
      [
        'two operations and no operationName',
        { query: 'query A { __typename } query B { __typename }' },
        400,
        'OPERATION_RESOLUTION_FAILURE',
      ],
      [
        'an operationName that names no operation',
        { query: 'query A { __typename }', operationName: 'B' },
        400,
        'OPERATION_RESOLUTION_FAILURE',
      ],
      ['a syntax error', { query: '{ accounts {' }, 400, 'GRAPHQL_PARSE_FAILED'],
      ['an unknown field', { query: '{ nope }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ])('%s', async (_name, body, status, code) => {
      const reply = await post(url, body);
      expect(reply.status).toBe(status);
      expect(codeOf(reply)).toBe(code);
    });

    it('a simple POST (CSRF prevention): 400 BAD_REQUEST', async () => {
      const reply = await post(url, '{ __typename }', { 'content-type': 'text/plain' });
      expect([reply.status, codeOf(reply)]).toEqual([400, 'BAD_REQUEST']);
    });

    it('a PUT: 405 BAD_REQUEST', async () => {
      const reply = await answer(await fetch(url, { method: 'PUT', headers: JSON_HEADERS, body: '{}' }));
      expect([reply.status, codeOf(reply)]).toEqual([405, 'BAD_REQUEST']);
    });

    it('a path the service does not serve: 404 NOT_FOUND; a POST to a probe: 405 BAD_REQUEST', async () => {
      const missing = await answer(await fetch(`${service.url}/nope`));
      expect([missing.status, codeOf(missing)]).toEqual([404, 'NOT_FOUND']);
      const probe = await answer(await fetch(`${service.url}/healthz`, { method: 'POST' }));
      expect([probe.status, codeOf(probe)]).toEqual([405, 'BAD_REQUEST']);
    });

    it('an unknown persisted hash: 200 PERSISTED_QUERY_NOT_FOUND, and the APQ round trip works', async () => {
      const query = `{ accounts { number } } # ${Date.now()}`;
      const persistedQuery = { version: 1, sha256Hash: sha256(query) };
      const unknown = await post(url, { extensions: { persistedQuery } });
      expect([unknown.status, codeOf(unknown)]).toEqual([200, 'PERSISTED_QUERY_NOT_FOUND']);
      expect(unknown.body.data).toBeUndefined();
      // What Apollo Client's persisted-query link does next: the same hash with the text.
      const registered = await post(url, { query, extensions: { persistedQuery } });
      expect(registered.status).toBe(200);
      expect(registered.body.data).toEqual({
        accounts: [{ number: '1002146788200' }, { number: '1002160010529' }],
      });
      const byHash = await post(url, { extensions: { persistedQuery } });
      expect(byHash.body.data).toEqual(registered.body.data);
    });
  });

  describe('2. client mistakes are 4xx with a client code', () => {
    it.each([
      ['mutation { __typename }', 'mutation'],
      ['subscription { accounts { number } }', 'subscription'],
    ])('%s: 400 GRAPHQL_VALIDATION_FAILED, no data', async (query, type) => {
      const reply = await post(url, { query });
      expect([reply.status, codeOf(reply)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
      expect(reply.body.errors![0].message).toBe(
        `This service needs a query operation, got a ${type}: the schema has no ${type} type.`,
      );
      expect(reply.body).not.toHaveProperty('data');
    });

    it('a mutation over GET: 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const reply = await answer(
        await fetch(`${url}?query=${encodeURIComponent('mutation { __typename }')}`, {
          headers: { 'apollo-require-preflight': 'true' },
        }),
      );
      expect([reply.status, codeOf(reply)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    });

    it('a persisted hash that is not the hash of the text: 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
      const reply = await post(url, {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ accounts { number } }') } },
      });
      expect([reply.status, codeOf(reply)]).toEqual([400, 'PERSISTED_QUERY_HASH_MISMATCH']);
      expect(reply.body.errors![0].message).toMatch(/sha256Hash needs to be the SHA-256/);
    });

    it('persisted-query version 2: 400 BAD_REQUEST', async () => {
      const query = '{ __typename }';
      const reply = await post(url, {
        query,
        extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } },
      });
      expect([reply.status, codeOf(reply)]).toEqual([400, 'BAD_REQUEST']);
      expect(reply.body.errors![0].message).toMatch(/version needs to be 1/);
    });
  });

  describe('3. no suggestions in production', () => {
    const probes: [string, Record<string, unknown>][] = [
      ['a misspelt field', { query: '{ accounts { numbr } }' }],
      [
        'a misspelt argument',
        {
          query:
            '{ accounts { transactions(frm: "2024-01-01", from: "2024-01-01", to: "2024-01-02") { totalCount } } }',
        },
      ],
      [
        'an enum literal in the wrong case',
        {
          query:
            '{ accounts { transactions(from: "2024-01-01", to: "2024-01-02", order: oldest_first) { totalCount } } }',
        },
      ],
      [
        'an enum variable in the wrong case',
        {
          query:
            'query($o: TransactionOrder) { accounts { transactions(from: "2024-01-01", to: "2024-01-02", order: $o) { totalCount } } }',
          variables: { o: 'oldest_first' },
        },
      ],
      ['a misspelt type', { query: 'query($d: Dat!) { accounts { detail(asOf: $d) { asOf } } }' }],
    ];

    it.each(probes)('%s: a 400 without "Did you mean"', async (_name, body) => {
      const reply = await post(url, body);
      expect(reply.status).toBe(400);
      const messages = reply.body.errors!.map((e) => e.message).join('\n');
      expect(messages).not.toMatch(/did you mean|suggestion|\?/i);
      expect(messages).toMatch(/numbr|frm|oldest_first|Dat/);
    });

    describe('while development mode keeps them', () => {
      let dev: RunningService;
      beforeAll(async () => {
        dev = await startService(loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent' }));
      });
      afterAll(() => dev.close());

      it.each(probes)('%s: "Did you mean"', async (_name, body) => {
        const reply = await post(dev.graphqlUrl, body);
        expect(reply.body.errors!.map((e) => e.message).join('\n')).toMatch(/Did you mean/);
      });
    });
  });

  describe('4. an oversized body gets its 413', () => {
    /**
     * A client in a process of its own (the race needs two processes) that writes the whole
     * request before it reads anything, as Python's http.client does: the headers, then the body
     * piece by piece. Old code answered and closed after the headers; the client's next write then
     * met a reset (EPIPE or ECONNRESET) and never read the 413. Prints a histogram of outcomes.
     */
    const WRITE_FIRST_CLIENT = `
      const net = require('node:net');
      const [url, times, size] = process.argv.slice(1);
      const { hostname, port } = new URL(url);
      const body = Buffer.alloc(Number(size), 'x');
      function once() {
        return new Promise((resolve) => {
          const socket = net.connect(Number(port), hostname);
          socket.pause();
          let reply = '';
          socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
          socket.on('error', (error) => resolve(error.code || error.message));
          socket.on('end', () => resolve(reply.slice(0, 12)));
          const write = (data) => new Promise((done) => socket.write(data, () => done()));
          (async () => {
            await write('POST /graphql HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n' +
              'Content-Length: ' + body.length + '\\r\\nConnection: close\\r\\n\\r\\n');
            for (let at = 0; at < body.length && !socket.destroyed; at += 65536) await write(body.subarray(at, at + 65536));
            socket.resume();
          })();
        });
      }
      (async () => {
        const outcomes = {};
        for (let i = 0; i < Number(times); i++) { const o = await once(); outcomes[o] = (outcomes[o] || 0) + 1; }
        process.stdout.write(JSON.stringify(outcomes));
      })();
    `;

    it('to each of 300 clients sending 2.5 MB before reading', async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['-e', WRITE_FIRST_CLIENT, url, '300', String(2.5 * 1024 * 1024)],
        { timeout: 110_000 },
      );
      expect(JSON.parse(stdout)).toEqual({ 'HTTP/1.1 413': 300 });
    }, 120_000);

    it('and keeps a connection whose body was read usable for the next request', async () => {
      const { hostname, port } = new URL(url);
      const body = 'y'.repeat(300_000);
      const replies = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname);
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
          if (text.includes('"status":"ok"')) socket.end();
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
        socket.write(
          `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
            'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
        );
      });
      expect(replies.match(/HTTP\/1\.1 \d{3} /g)).toEqual(['HTTP/1.1 413 ', 'HTTP/1.1 200 ']);
    });
  });
});
