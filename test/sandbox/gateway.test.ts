import { Agent } from 'undici';
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { call, control, PATHS, transactions } from './helpers';

describe('sandbox gateway behaviour', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ today: '2025-11-25' });
  });
  afterAll(() => sandbox.close());
  afterEach(() => {
    sandbox.configure({ maxRps: 0, quota: 0, faults: [], latencyMs: 0, jitterMs: 0, stallMs: 60_000 });
    sandbox.reset();
  });

  describe('rate limit', () => {
    it('answers 429 SYSCD03101 with Retry-After beyond maxRps calls a second, and counts it', async () => {
      sandbox.configure({ maxRps: 3 });
      const results = [];
      for (let i = 0; i < 5; i += 1) results.push(await call(sandbox, PATHS.accounts));
      expect(results.map((result) => result.status)).toEqual([200, 200, 200, 429, 429]);
      expect(results[3].json.dataHeader).toMatchObject({
        RSP_CD: 'SYSCD03101',
        RSP_MSG: '초당 처리 건수를 초과 하였습니다.',
      });
      expect(results[3].headers['retry-after']).toBe('1');
      expect(sandbox.counters().calls.byCode).toEqual({ OK: 3, SYSCD03101: 2 });
    });

    it('admits calls again once the window slides, and after reset', async () => {
      sandbox.configure({ maxRps: 2 });
      await call(sandbox, PATHS.accounts);
      await call(sandbox, PATHS.accounts);
      expect((await call(sandbox, PATHS.accounts)).status).toBe(429);
      sandbox.reset();
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
      await call(sandbox, PATHS.accounts);
      await new Promise((resolve) => setTimeout(resolve, 1050));
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
    });
  });

  describe('quota', () => {
    it('answers 429 SYSCD03102 once the quota is used, until reset', async () => {
      sandbox.configure({ quota: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await call(sandbox, PATHS.accounts)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await call(sandbox, PATHS.accounts);
      expect(refused.json.dataHeader.RSP_CD).toBe('SYSCD03102');
      expect(refused.headers['retry-after']).toBeUndefined();
      await control(sandbox, 'POST', 'reset');
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
    });

    it('does not spend the quota on calls refused before it, such as a bad token', async () => {
      sandbox.configure({ quota: 1 });
      await call(sandbox, PATHS.accounts, { token: 'nobody' });
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
    });
  });

  describe('faults', () => {
    it('answers an injected code with its status on every call at rate 1', async () => {
      sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
      for (let i = 0; i < 3; i += 1) {
        const result = await call(sandbox, PATHS.accounts);
        expect(result.status).toBe(500);
        expect(result.json.dataHeader).toMatchObject({
          RSP_CD: 'SYSCD09999',
          RSP_MSG: '게이트웨이 내부 오류',
        });
      }
    });

    it('limits a fault to its operations', async () => {
      sandbox.configure({ faults: [{ kind: 'timeout', rate: 1, operations: ['listTransactions'] }] });
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
      const timedOut = await transactions(sandbox, '1002146788200', '20190101', '20190613');
      expect(timedOut.status).toBe(504);
      expect(timedOut.json.dataHeader.RSP_CD).toBe('SYSCD01003');
    });

    it('limits a fault to its accounts, whichever operation asks about them', async () => {
      const [broken, sound] = ['1002160010529', '1002146788200'];
      sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1, accounts: [broken] }] });
      expect((await call(sandbox, PATHS.accounts)).status).toBe(200);
      expect((await transactions(sandbox, sound, '20190101', '20190613')).status).toBe(200);
      const failed = await transactions(sandbox, broken, '20190101', '20190613');
      expect(failed.status).toBe(500);
      expect(failed.json.dataHeader.RSP_CD).toBe('SYSCD09999');
      const basics = await call(sandbox, PATHS.basics, {
        dataBody: { INQ_ACNO: broken, INQ_BAS_DT: '20190613' },
      });
      expect(basics.json.dataHeader.RSP_CD).toBe('SYSCD09999');
      expect(sandbox.counters().calls.byCode).toEqual({ OK: 2, SYSCD09999: 2 });
    });

    it('injects faults in about the configured share of calls, reproducibly', async () => {
      const run = async (): Promise<number[]> => {
        sandbox.reset();
        const statuses = [];
        for (let i = 0; i < 60; i += 1) statuses.push((await call(sandbox, PATHS.accounts)).status);
        return statuses;
      };
      sandbox.configure({ faults: [{ code: 'SYSCD03901', rate: 0.25 }] });
      const first = await run();
      const failures = first.filter((status) => status === 502).length;
      expect(failures).toBeGreaterThan(5);
      expect(failures).toBeLessThan(30);
      expect(await run()).toEqual(first);
      expect(sandbox.counters().calls.byCode.SYSCD03901).toBe(failures);
    });

    it('destroys the socket for a reset fault', async () => {
      sandbox.configure({ faults: [{ kind: 'reset', rate: 1 }] });
      await expect(call(sandbox, PATHS.accounts)).rejects.toThrow();
      expect(sandbox.counters().calls.byCode).toEqual({ RESET: 1 });
    });

    it('answers 200 with a truncated body for a malformed fault', async () => {
      sandbox.configure({ faults: [{ kind: 'malformed', rate: 1 }] });
      const result = await call(sandbox, PATHS.accounts);
      expect(result.status).toBe(200);
      expect(result.headers['content-type']).toMatch(/^application\/json/);
      expect(result.json).toBeUndefined();
      expect(result.text.startsWith('{"dataHeader":{"GLBL_ID":')).toBe(true);
    });

    it('answers 502 with an HTML page for an html fault', async () => {
      sandbox.configure({ faults: [{ kind: 'html', rate: 1 }] });
      const result = await call(sandbox, PATHS.accounts);
      expect(result.status).toBe(502);
      expect(result.headers['content-type']).toMatch(/^text\/html/);
      expect(result.text).toContain('<title>502 Bad Gateway</title>');
    });

    it('holds the answer for stallMs on a stall fault', async () => {
      sandbox.configure({ stallMs: 400, faults: [{ kind: 'stall', rate: 1 }] });
      const started = performance.now();
      const result = await call(sandbox, PATHS.accounts);
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      expect(result.status).toBe(200);
      expect(sandbox.counters().calls.byCode).toEqual({ STALL: 1 });
    });

    it('lets a client abort a stalled call, and closes stalled connections on close', async () => {
      const other = await startSandbox({ today: '2025-11-25', faults: [{ kind: 'stall', rate: 1 }] });
      const agent = new Agent();
      try {
        await expect(
          call(other, PATHS.accounts, { dispatcher: agent, signal: AbortSignal.timeout(200) }),
        ).rejects.toThrow();
        const stalled = call(other, PATHS.accounts, { dispatcher: agent, token: SANDBOX_TOKENS.many });
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = performance.now();
        await other.close();
        await expect(stalled).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(1000);
        expect(other.counters().calls.byCode).toEqual({ STALL: 2 });
      } finally {
        await agent.close();
      }
    });

    it('leaves the control endpoints and unknown paths alone', async () => {
      sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }], latencyMs: 300 });
      const started = performance.now();
      expect((await control(sandbox, 'GET', 'counters')).status).toBe(200);
      expect((await call(sandbox, '/nowhere')).status).toBe(404);
      expect(performance.now() - started).toBeLessThan(250);
    });
  });

  describe('latency', () => {
    it('adds the fixed latency plus jitter to API calls', async () => {
      sandbox.configure({ latencyMs: 150, jitterMs: 50 });
      const started = performance.now();
      await call(sandbox, PATHS.accounts);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(145);
      expect(elapsed).toBeLessThan(1000);
    });
  });
});
