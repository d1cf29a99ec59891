/**
 * The faults that shape a successful answer into one a client must not take as data: oversized,
 * endless, an HTML 200 and a 299. Read over real HTTP with a plain client.
 */
import { request } from 'undici';
import { SANDBOX_APP_KEY, SANDBOX_SECRET_KEY, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { call, DEVICE, PATHS, transactions } from './helpers';

const ACCOUNT = '1002146788200';

describe('sandbox body faults', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ today: '2025-11-25' });
  });
  afterAll(() => sandbox.close());
  afterEach(() => {
    sandbox.configure({ faults: [], wireFormat: 'document' });
    sandbox.reset();
  });

  it('pads an oversized answer with white space to its bytes, declared in Content-Length', async () => {
    const plain = await transactions(sandbox, ACCOUNT, '20190101', '20190613');
    sandbox.configure({ faults: [{ kind: 'oversized', rate: 1, bytes: 3_000_000 }] });
    const padded = await transactions(sandbox, ACCOUNT, '20190101', '20190613');
    expect(padded.status).toBe(200);
    expect(padded.headers['content-length']).toBe('3000000');
    expect(Buffer.byteLength(padded.text)).toBe(3_000_000);
    // The same data: only white space was added, so a client with room for it decodes it alike.
    expect(padded.json.dataBody).toEqual(plain.json.dataBody);
    expect(padded.text.trimEnd().length).toBe(plain.text.length);
    expect(sandbox.counters().calls.byCode).toEqual({ OK: 1, OVERSIZED: 1 });
  });

  it('makes an oversized answer 80 MiB by default', async () => {
    sandbox.configure({ faults: [{ kind: 'oversized', rate: 1 }] });
    const response = await rawCall(PATHS.accounts, {});
    expect(response.headers['content-length']).toBe(String(80 * 1024 * 1024));
    response.body.destroy();
  });

  it.each(['document', 'woori'] as const)(
    'sends an endless list answer: its rows again and again, chunked (%s wire format)',
    async (wireFormat) => {
      sandbox.configure({ wireFormat });
      const plain = await transactions(sandbox, ACCOUNT, '20190101', '20190613');
      const rows = plain.text.slice(plain.text.indexOf('"GRID":[') + 8, plain.text.lastIndexOf(']'));
      sandbox.configure({ faults: [{ kind: 'endless', rate: 1, operations: ['listTransactions'] }] });
      const response = await rawCall(PATHS.transactions, {
        INQ_ACNO: ACCOUNT,
        INQ_STA_DT: '20190101',
        INQ_END_DT: '20190613',
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-length']).toBeUndefined();
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const text = await firstBytes(response.body, 1_000_000);
      // The same beginning but for the global id, which every answer has its own of.
      const from = (whole: string) => whole.slice(whole.indexOf('"dataBody":'));
      const head = from(plain.text).slice(0, from(plain.text).indexOf('"GRID":[') + 8);
      expect(from(text).startsWith(head + rows + ',' + rows + ',' + rows)).toBe(true);
      expect(sandbox.counters().calls.byCode).toEqual({ OK: 1, ENDLESS: 1 });
    },
  );

  it('sends white space after dataBody, without end, for an answer without rows', async () => {
    sandbox.configure({ faults: [{ kind: 'endless', rate: 1 }] });
    const response = await rawCall(PATHS.basics, { INQ_ACNO: ACCOUNT, INQ_BAS_DT: '20190101' });
    const text = await firstBytes(response.body, 500_000);
    expect(text).toMatch(/^\{"dataHeader":\{"GLBL_ID":"\w{32}"\},"dataBody": {1000}/);
    expect(text.trim().endsWith('"dataBody":')).toBe(true);
  });

  it('answers an HTML page with status 200 for html200', async () => {
    sandbox.configure({ faults: [{ kind: 'html200', rate: 1 }] });
    const result = await call(sandbox, PATHS.accounts);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/html/);
    expect(result.text).toContain('<html>');
    expect(sandbox.counters().calls.byCode).toEqual({ HTML200: 1 });
  });

  it('answers the same body with status 299 for status299', async () => {
    const plain = await call(sandbox, PATHS.accounts);
    sandbox.configure({ faults: [{ kind: 'status299', rate: 1 }] });
    const result = await call(sandbox, PATHS.accounts);
    expect(result.status).toBe(299);
    expect(result.json.dataBody).toEqual(plain.json.dataBody);
    expect(sandbox.counters().calls.byCode).toEqual({ OK: 1, STATUS299: 1 });
  });

  it('leaves error answers as they are', async () => {
    sandbox.configure({ faults: [{ kind: 'status299', rate: 1 }] });
    const result = await transactions(sandbox, '9999999999999', '20190101', '20190613');
    expect(result.status).toBe(400);
    expect(result.json.dataHeader.RSP_CD).toBe('SYSCD01006');
  });

  it('refuses bytes on any fault but oversized, and a bad size', async () => {
    expect(() => sandbox.configure({ faults: [{ kind: 'endless', rate: 1, bytes: 10 }] })).toThrow(
      /faults\[0\]\.bytes is only for kind 'oversized'/,
    );
    expect(() => sandbox.configure({ faults: [{ kind: 'oversized', rate: 1, bytes: 0 }] })).toThrow(
      /faults\[0\]\.bytes must be an integer from 1/,
    );
  });

  /** One call whose body the test reads itself. */
  function rawCall(path: string, dataBody: Record<string, string>) {
    return request(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        appKey: SANDBOX_APP_KEY,
        secretKey: SANDBOX_SECRET_KEY,
        authorization: 'Bearer sandbox-token-demo',
      },
      body: JSON.stringify({ dataHeader: DEVICE, dataBody }),
    });
  }
});

/** The first `bytes` of a body as text, then the body is dropped (the connection with it). */
async function firstBytes(body: AsyncIterable<Buffer> & { destroy(): void }, bytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= bytes) break;
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}
