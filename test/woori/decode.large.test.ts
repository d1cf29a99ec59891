/**
 * The largest answer the service meets: the sandbox's `heavy` customer, one account with 100,000
 * transactions in the year to today, fetched as raw bytes over HTTP and decoded exactly. Its speed
 * against plain `JSON.parse` is measured by `npm run bench`, not here.
 */
import { request } from 'undici';
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { decodeAnswer, parseBody, readTransactions } from '../../src/woori/decode';
import { needsLosslessParse } from '../../src/woori/parse';
import { DEVICE } from './fixtures';

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

async function heavyAnswer(): Promise<string> {
  const [account] = sandbox.customers.find((customer) => customer.name === 'heavy')!.accountNumbers;
  const response = await request(`${sandbox.url}/oai/wb/v1/finance/getAccTransList`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      appKey: sandbox.credentials.appKey,
      secretKey: sandbox.credentials.secretKey,
      authorization: `Bearer ${SANDBOX_TOKENS.heavy}`,
    },
    body: JSON.stringify({
      dataHeader: {
        UTZPE_CNCT_IPAD: DEVICE.ip,
        UTZPE_CNCT_MCHR_UNQ_ID: DEVICE.deviceId,
        UTZPE_CNCT_TEL_NO_TXT: DEVICE.phone,
        UTZPE_CNCT_MCHR_IDF_SRNO: DEVICE.deviceSerial,
        UTZ_MCHR_OS_DSCD: DEVICE.osCode,
        UTZ_MCHR_OS_VER_NM: DEVICE.osVersion,
        UTZ_MCHR_MDL_NM: DEVICE.model,
        UTZ_MCHR_APP_VER_NM: DEVICE.appVersion,
      },
      dataBody: { INQ_ACNO: account, INQ_STA_DT: '20230701', INQ_END_DT: '20240630' },
    }),
  });
  expect(response.statusCode).toBe(200);
  return response.body.text();
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
