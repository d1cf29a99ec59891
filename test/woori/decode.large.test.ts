/**
 * The largest answer the service meets: the sandbox's `heavy` customer, one account with 100,000
 * transactions in the year to today, fetched as raw bytes over HTTP and decoded exactly. Its speed
 * against plain `JSON.parse` is measured by `npm run bench`, not here.
 */
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { decodeAnswer, parseBody, readTransactions } from '../../src/woori/decode';
import { needsLosslessParse } from '../../src/woori/parse';
import { heavyAnswerText } from './heavy-answer';

const TODAY = '2024-06-30';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
});

afterAll(async () => {
  await sandbox.close();
});

/** The answer's text decoded as the client decodes it. */
function transactionsOf(text: string) {
  return decodeAnswer('listTransactions', parseBody(text), readTransactions);
}

function heavyAnswer(): Promise<string> {
  return heavyAnswerText(sandbox, '20230701', '20240630');
}

describe.each(['document', 'woori'] as const)(
  'the 100,000-transaction answer (%s wire format)',
  (wireFormat) => {
    let text: string;

    beforeAll(async () => {
      sandbox.configure({ wireFormat });
      text = await heavyAnswer();
    });

    it('decodes every transaction', () => {
      expect(needsLosslessParse(text)).toBe(false);
      const transactions = transactionsOf(text);
      expect(transactions).toHaveLength(100_000);
      expect(transactions[0].date >= '2023-07-01').toBe(true);
    });

    it('takes the lossless path only when a literal needs it, and keeps every digit', () => {
      const lossy = text.replace('"DPS_BAL":', '"DPS_BAL":123456789012345678,"X":');
      expect(needsLosslessParse(lossy)).toBe(true);
      const [first] = transactionsOf(lossy);
      expect(first.balanceAfter).toBe('123456789012345678');
    });
  },
);
