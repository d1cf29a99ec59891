/**
 * `account(number)` sends only numbers the customer owns upstream once its account list is known
 * (cached): a caller cannot make the service submit arbitrary account numbers under the app key.
 * Without a known list it keeps its one-round-trip path (see upstream-cost.e2e.test.ts), and every
 * call it makes is counted either way.
 */
import { startTestService, type TestService } from '../resilience/harness';

const TOKEN = 'sandbox-token-demo';
const OWNED = '1002146788200';
const NOT_OWN = '9999999999';
const FIELDS = `detail { statusCode } transactions(from: "2019-01-01", to: "2019-01-31") { totalCount }`;

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ CACHE_TTL_SECONDS: '30', CACHE_HISTORY_TTL_SECONDS: '3600' });
});
afterAll(() => service.close());
beforeEach(async () => {
  await service.query('{ accounts { number } }', TOKEN);
  await service.resetSandbox();
});

it('makes no upstream call for a number the customer does not own once the list is known', async () => {
  const response = await service.query<{ account: unknown }>(
    `{ account(number: "${NOT_OWN}") { number ${FIELDS} } a2: account(number: "${NOT_OWN}1") { ${FIELDS} } }`,
    TOKEN,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ account: null, a2: null });
  expect((await service.counters()).calls.total).toBe(0);
  expect(response.upstream).toMatchObject({ calls: 0, cacheHits: 1 });
});

it('calls only for the owned number, and not for the list again', async () => {
  const response = await service.query<{ account: { number: string } }>(
    `{ account(number: "${OWNED}") { number ${FIELDS} } other: account(number: "${NOT_OWN}") { ${FIELDS} } }`,
    TOKEN,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.account.number).toBe(OWNED);
  const { calls } = await service.counters();
  expect(calls.byOperation).toEqual({ getAccountBasics: 1, listTransactions: 1 });
  expect(response.upstream.calls).toBe(calls.total);
});
