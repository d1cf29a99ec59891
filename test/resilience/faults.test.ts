/**
 * One upstream call in five fails (5xx codes, upstream timeouts, stalls past our timeout) while
 * dashboards run eight at a time: each failure stays on its own field, with the contract's code,
 * the rest of each answer stands, retries recover part of the failures, and no request outlives
 * its deadline.
 */
import type { SandboxFault } from '../../src/sandbox';
import { inWaves, startTestService, type Dashboard, type GraphQLResponse, type TestService } from './harness';

const DEADLINE_MS = 2000;
const TIMEOUT_MS = 300;
/** Scheduling slack on two shared cores: the answer is written after the deadline fires. */
const DEADLINE_MARGIN_MS = 300;
const TOKEN = 'sandbox-token-ten';

/** About 20% of calls in all: 1 - 0.95 × 0.96⁴ ≈ 0.19. */
const FAULTS: SandboxFault[] = [
  { code: 'SYSCD09999', rate: 0.05 },
  { code: 'SYSCD01999', rate: 0.04 },
  { code: 'SYSCD03901', rate: 0.04 },
  { kind: 'timeout', rate: 0.04 },
  { kind: 'stall', rate: 0.04 },
];

/** The GraphQL code the contract gives each upstream code the faults produce. */
const CODE_OF: Record<string, string> = {
  SYSCD09999: 'UPSTREAM_ERROR',
  SYSCD01999: 'UPSTREAM_ERROR',
  SYSCD03901: 'UPSTREAM_UNAVAILABLE',
  SYSCD01003: 'UPSTREAM_TIMEOUT',
};
const FIELDS = ['detail', 'thisMonth', 'lastMonth'] as const;

let service: TestService;
let responses: GraphQLResponse<Dashboard>[];

beforeAll(async () => {
  service = await startTestService({
    WOORI_TIMEOUT_MS: String(TIMEOUT_MS),
    REQUEST_DEADLINE_MS: String(DEADLINE_MS),
    // On two shared cores a slow patch makes every call in flight miss the 300 ms timeout at once,
    // and once the retry budget is spent one input can fail twice in a row by chance. The breaker
    // and the broken-input memory have their own tests (circuit.test.ts, broken-input.test.ts);
    // here they must not turn the run into one of them.
    WOORI_BREAKER_THRESHOLD: '50',
    WOORI_HOLD_BACK_AFTER_FAILURES: '0',
  });
  // The sandbox builds a customer's data on first use, and the first concurrent wave pays for
  // connections and compilation: neither is part of what is measured.
  expect((await service.dashboard(TOKEN)).errors).toBeUndefined();
  await inWaves(8, 8, () => service.dashboard(TOKEN));
  await service.configureSandbox({ faults: FAULTS, stallMs: 1500 });
  await service.resetSandbox();
  responses = await inWaves(40, 8, () => service.dashboard(TOKEN));
});
afterAll(() => service.close());

describe('with one upstream call in five failing, under concurrent load', () => {
  it('answers every request with HTTP 200, never a 5xx', () => {
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
  });

  it('puts each failure on the field it belongs to, with the code of the contract', () => {
    const errors = responses.flatMap((response) => response.errors ?? []);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      const path = error.path ?? [];
      const onAccounts = path.length === 1 && path[0] === 'accounts';
      const onAccountField =
        path.length === 3 &&
        path[0] === 'accounts' &&
        typeof path[1] === 'number' &&
        (FIELDS as readonly unknown[]).includes(path[2]);
      expect({ path, ok: onAccounts || onAccountField }).toEqual({ path, ok: true });
      const { code, upstreamCode } = error.extensions;
      if (upstreamCode) {
        expect({ upstreamCode, code }).toEqual({ upstreamCode, code: CODE_OF[upstreamCode] });
        expect(error.extensions.traceId).toMatch(/SBXWB/);
      } else {
        // Our own timeout (a stall), the request's deadline, or an open circuit.
        expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']).toContain(code);
      }
    }
  });

  it('keeps the rest of each answer: a field is null exactly when it has an error', () => {
    let partial = 0;
    for (const { data, errors = [] } of responses) {
      const failed = new Set(errors.map((error) => JSON.stringify(error.path)));
      if (data === null) {
        expect(failed.has('["accounts"]')).toBe(true);
        continue;
      }
      expect(data.accounts).toHaveLength(10);
      data.accounts.forEach((account, i) => {
        for (const field of FIELDS) {
          const hasError = failed.has(JSON.stringify(['accounts', i, field]));
          expect({ i, field, isNull: account[field] === null }).toEqual({ i, field, isNull: hasError });
        }
        if (account.detail) expect(account.detail.currentBalance.amount).toMatch(/^-?\d+(\.\d+)?$/);
        if (account.thisMonth) expect(account.thisMonth.totalCount).toBeGreaterThanOrEqual(0);
      });
      if (errors.length > 0) partial++;
    }
    expect(partial).toBeGreaterThan(0);
  });

  it('retries, and some retries succeed', async () => {
    const retries = responses.reduce((sum, response) => sum + response.upstream.retries, 0);
    expect(retries).toBeGreaterThan(0);
    const clean = responses.filter((response) => !response.errors && response.upstream.retries > 0);
    expect(clean.length).toBeGreaterThan(0);
    const { calls } = await service.counters();
    // An attempt that times out before the sandbox has read it counts here, not there.
    expect(calls.total).toBeLessThanOrEqual(
      responses.reduce((sum, response) => sum + response.upstream.calls, 0),
    );
    for (const code of ['SYSCD09999', 'SYSCD01999', 'SYSCD03901', 'SYSCD01003', 'STALL']) {
      expect(calls.byCode[code]).toBeGreaterThan(0);
    }
  });

  it(`ends every request within REQUEST_DEADLINE_MS (${DEADLINE_MS} ms)`, () => {
    const slowest = Math.max(...responses.map((response) => response.wallMs));
    expect(slowest).toBeLessThan(DEADLINE_MS + DEADLINE_MARGIN_MS);
  });
});
