import { Agent } from 'undici';
import {
  SANDBOX_APP_KEY,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKENS,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox';
import { call, control, PATHS } from './helpers';

describe('sandbox protocol', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ today: '2025-11-25' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('listens on a URL without a trailing slash and reports its settings and credentials', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.settings).toMatchObject({
      host: '127.0.0.1',
      seed: 20190628,
      wireFormat: 'document',
      maxSpanDays: 366,
    });
    expect(sandbox.credentials).toEqual({ appKey: SANDBOX_APP_KEY, secretKey: SANDBOX_SECRET_KEY });
    expect(SANDBOX_APP_KEY).toHaveLength(36);
    expect(SANDBOX_SECRET_KEY).toHaveLength(31);
  });

  it('lists the four customers with their tokens and accounts', () => {
    expect(
      sandbox.customers.map((customer) => [customer.name, customer.token, customer.accountNumbers.length]),
    ).toEqual([
      ['demo', SANDBOX_TOKENS.demo, 2],
      ['many', SANDBOX_TOKENS.many, 50],
      ['ten', SANDBOX_TOKENS.ten, 10],
      ['heavy', SANDBOX_TOKENS.heavy, 1],
    ]);
    const numbers = sandbox.customers.flatMap((customer) => customer.accountNumbers);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(number).toMatch(/^\d{13}$/);
  });

  it('answers the account list on both spellings of its path', async () => {
    const woori = await call(sandbox, PATHS.accounts);
    const document = await call(sandbox, PATHS.accountsDocumentSpelling);
    expect(woori.status).toBe(200);
    expect(document.status).toBe(200);
    expect(document.json.dataBody).toEqual(woori.json.dataBody);
    expect(woori.json.dataBody.GRID_CNT).toBe(2);
  });

  it('accepts GET with a JSON body and POST alike', async () => {
    const get = await call(sandbox, PATHS.accounts, { method: 'GET' });
    const post = await call(sandbox, PATHS.accounts, { method: 'POST' });
    expect(get.status).toBe(200);
    expect(post.status).toBe(200);
    expect(post.json.dataBody).toEqual(get.json.dataBody);
  });

  it('takes the token from Authorization: Bearer or from a token header', async () => {
    const bearer = await call(sandbox, PATHS.accounts, { token: SANDBOX_TOKENS.many, tokenHeader: 'bearer' });
    const header = await call(sandbox, PATHS.accounts, { token: SANDBOX_TOKENS.many, tokenHeader: 'token' });
    expect(bearer.json.dataBody.GRID_CNT).toBe(50);
    expect(header.json.dataBody).toEqual(bearer.json.dataBody);
  });

  it('puts only a 32-character GLBL_ID in dataHeader on success', async () => {
    const { json, headers } = await call(sandbox, PATHS.accounts);
    expect(Object.keys(json.dataHeader)).toEqual(['GLBL_ID']);
    expect(json.dataHeader.GLBL_ID).toMatch(/^[0-9A-Z]{32}$/);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('checks a token with the app key alone, and says who it belongs to', async () => {
    const ok = await call(sandbox, PATHS.tokenCheck, {
      secretKey: null,
      token: SANDBOX_TOKENS.ten,
      rawBody: '',
    });
    expect(ok.status).toBe(200);
    expect(ok.json.dataHeader).toEqual({ GLBL_ID: expect.any(String) });
    expect(ok.json.dataBody).toEqual({ TOKEN_VALID_YN: 'Y', CUST_ID: 'ten', SCOPE: 'finance' });
    const bad = await call(sandbox, PATHS.tokenCheck, { token: 'expired' });
    expect(bad.status).toBe(401);
    expect(bad.json.dataHeader.RSP_CD).toBe('SYSCD03001');
    const noKey = await call(sandbox, PATHS.tokenCheck, { appKey: null });
    expect(noKey.json.dataHeader.RSP_CD).toBe('SYSCD03003');
  });

  it('counts calls by operation, customer and code, and keeps recent calls in order', async () => {
    await call(sandbox, PATHS.accounts);
    await call(sandbox, PATHS.transactions, {
      token: SANDBOX_TOKENS.demo,
      method: 'POST',
      dataBody: { INQ_ACNO: '1002146788200', INQ_STA_DT: '20190101', INQ_END_DT: '20190613' },
    });
    await call(sandbox, PATHS.basics, { dataBody: { INQ_ACNO: '1002146788200', INQ_BAS_DT: '20190230' } });
    await call(sandbox, '/oai/wb/v1/finance/nothing');
    const counters = sandbox.counters();
    expect(counters.calls).toEqual({
      total: 4,
      byOperation: { listAccounts: 1, listTransactions: 1, getAccountBasics: 1, unknown: 1 },
      byCustomer: { demo: 3 },
      byCode: { OK: 2, SYSCD01006: 1, SYSCD02901: 1 },
    });
    expect(counters.recent.map(({ at: _at, ...rest }) => rest)).toEqual([
      { operation: 'listAccounts', customer: 'demo', method: 'GET', code: 'OK' },
      {
        operation: 'listTransactions',
        customer: 'demo',
        method: 'POST',
        code: 'OK',
        accountNumber: '1002146788200',
        from: '2019-01-01',
        to: '2019-06-13',
      },
      {
        operation: 'getAccountBasics',
        customer: 'demo',
        method: 'GET',
        code: 'SYSCD01006',
        accountNumber: '1002146788200',
        asOf: '20190230',
      },
      { operation: 'unknown', customer: null, method: 'GET', code: 'SYSCD02901' },
    ]);
  });

  it('serves counters, reset and configuration over HTTP without counting them as calls', async () => {
    await call(sandbox, PATHS.accounts);
    let counters = await control(sandbox, 'GET', 'counters');
    expect(counters.status).toBe(200);
    expect(counters.json.calls.total).toBe(1);
    expect(counters.json.recent).toHaveLength(1);

    const configured = await control(sandbox, 'POST', 'config', { latencyMs: 5, wireFormat: 'woori' });
    expect(configured.status).toBe(200);
    expect(configured.json.settings).toMatchObject({ latencyMs: 5, wireFormat: 'woori' });
    expect(sandbox.settings.wireFormat).toBe('woori');
    const rejected = await control(sandbox, 'POST', 'config', { latencyMs: -1 });
    expect(rejected.status).toBe(400);
    expect(rejected.json.error).toMatch(/latencyMs/);
    const readOnly = await control(sandbox, 'POST', 'config', { port: 1 });
    expect(readOnly.status).toBe(400);
    sandbox.configure({ latencyMs: 0, wireFormat: 'document' });

    const customers = await control(sandbox, 'GET', 'customers');
    expect(customers.json.customers).toEqual(sandbox.customers);
    expect((await control(sandbox, 'POST', 'reset')).json).toEqual({ ok: true });
    counters = await control(sandbox, 'GET', 'counters');
    expect(counters.json.calls).toEqual({ total: 0, byOperation: {}, byCustomer: {}, byCode: {} });
    expect((await control(sandbox, 'GET', 'nothing')).status).toBe(404);
  });

  it('keeps connections alive and counts them', async () => {
    const agent = new Agent({ connections: 1 });
    try {
      for (let i = 0; i < 5; i += 1) await call(sandbox, PATHS.accounts, { dispatcher: agent });
      expect(sandbox.counters().connections).toEqual({ open: expect.any(Number), opened: 1 });
      expect(sandbox.counters().connections.open).toBeGreaterThanOrEqual(1);
      await Promise.all(
        Array.from({ length: 4 }, () =>
          call(sandbox, PATHS.accounts, { dispatcher: new Agent({ connections: 1 }) }),
        ),
      );
      expect(sandbox.counters().connections.opened).toBe(5);
    } finally {
      await agent.close();
    }
  });

  it('closes every open connection when it closes', async () => {
    const other = await startSandbox({ today: '2025-11-25' });
    const agent = new Agent();
    await call(other, PATHS.accounts, { dispatcher: agent });
    expect(other.counters().connections.open).toBe(1);
    await other.close();
    await agent.close();
  });
});
