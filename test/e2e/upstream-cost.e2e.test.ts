/**
 * `extensions.upstream` counts every upstream call a request caused, over HTTP, checked against
 * the sandbox's own counters: also the calls the request started early and then did not need.
 */
import { startTestService, type TestService } from '../resilience/harness';

const TOKEN = 'sandbox-token-demo';
const NOT_OWN = '9999999999';
const HELD_MS = 300;

let service: TestService;

beforeAll(async () => {
  service = await startTestService({});
});
afterAll(() => service.close());
beforeEach(async () => {
  await service.configureSandbox({ faults: [] });
  await service.resetSandbox();
});

it('counts the detail and transactions calls that account(number) starts for a number the customer does not own', async () => {
  // The upstream holds those two answers, so that the account list (and the null it means)
  // comes back well before them.
  await service.configureSandbox({
    faults: [{ kind: 'stall', rate: 1, operations: ['getAccountBasics', 'listTransactions'] }],
    stallMs: HELD_MS,
  });
  const response = await service.query<{ account: unknown }>(
    `{ account(number: "${NOT_OWN}") { number detail { statusCode } transactions(from: "2019-01-01", to: "2019-01-31") { totalCount } } }`,
    TOKEN,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ account: null });
  const { calls } = await service.counters();
  expect(calls.byOperation).toEqual({ listAccounts: 1, getAccountBasics: 1, listTransactions: 1 });
  expect(response.upstream).toMatchObject({ calls: calls.total, retries: 0 });
});

it('counts the same calls when the upstream answers them at once', async () => {
  const response = await service.query<{ account: unknown }>(
    `{ account(number: "${NOT_OWN}") { detail { statusCode } } }`,
    TOKEN,
  );
  expect(response.data).toEqual({ account: null });
  const { calls } = await service.counters();
  expect(calls.total).toBe(2);
  expect(response.upstream.calls).toBe(calls.total);
});
