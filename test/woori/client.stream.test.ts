/**
 * The client decodes a large list as it arrives (`GridStreamParser`): the 100,000-transaction
 * year of the sandbox's heavy customer, over real HTTP, in both wire formats, gives exactly the
 * records that decoding the whole text gives. And a large answer that breaks off is an error.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { createCallContext } from '../../src/woori/call-context';
import { WooriClient } from '../../src/woori/client';
import { decodeAnswer, parseBody, readTransactions } from '../../src/woori/decode';
import { WooriError } from '../../src/woori/errors';
import { DEVICE } from './fixtures';
import { heavyAnswerText } from './heavy-answer';

const TODAY = '2024-06-30';
const FROM = '2023-07-01';

let sandbox: RunningSandbox;
let client: WooriClient;
let account: string;

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
  [account] = sandbox.customers.find((customer) => customer.name === 'heavy')!.accountNumbers;
  client = new WooriClient({
    baseUrl: sandbox.url,
    appKey: sandbox.credentials.appKey,
    secretKey: sandbox.credentials.secretKey,
    timeoutMs: 60_000,
  });
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});
afterEach(() => sandbox.configure({ faults: [], wireFormat: 'document' }));

const ctx = () => createCallContext({ token: SANDBOX_TOKENS.heavy, device: DEVICE });

describe.each(['document', 'woori'] as const)('the 100,000-row year (%s wire format)', (wireFormat) => {
  it('decodes as it arrives to exactly the records of the whole text', async () => {
    sandbox.configure({ wireFormat });
    const streamed = await client.listTransactions(ctx(), account, FROM, TODAY);
    const whole = decodeAnswer(
      'listTransactions',
      parseBody(await heavyAnswerText(sandbox, '20230701', '20240630')),
      readTransactions,
    );
    expect(streamed).toHaveLength(100_000);
    expect(whole).toHaveLength(100_000);
    // One comparison of 100,000 records: as JSON text, which holds every field and its order.
    expect(JSON.stringify(streamed) === JSON.stringify(whole)).toBe(true);
    expect(streamed[0].date >= FROM).toBe(true);
    expect(streamed[99_999].balanceAfter).toMatch(/^\d+(\.\d+)?$/);
  }, 60_000);
});

it('reports a large answer that breaks off as UPSTREAM_ERROR, not as fewer rows', async () => {
  sandbox.configure({ faults: [{ kind: 'malformed', rate: 1 }] });
  let failure: unknown;
  try {
    await client.listTransactions(ctx(), account, FROM, TODAY);
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(WooriError);
  expect(failure).toMatchObject({
    kind: 'UPSTREAM_ERROR',
    httpStatus: 200,
    message: 'Woori API answered with a body that is not a JSON object (HTTP 200)',
  });
}, 60_000);
