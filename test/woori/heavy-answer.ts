import { request } from 'undici';
import { SANDBOX_TOKENS, type RunningSandbox } from '../../src/sandbox';
import { DEVICE } from './fixtures';

/**
 * The raw text of the sandbox's answer for the `heavy` customer's transactions from `from` to `to`
 * (`YYYYMMDD`): the 100,000-transaction year when they span it. Fetched as is, without the client.
 */
export async function heavyAnswerText(sandbox: RunningSandbox, from: string, to: string): Promise<string> {
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
      dataBody: { INQ_ACNO: account, INQ_STA_DT: from, INQ_END_DT: to },
    }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`The sandbox answered ${response.statusCode}`);
  return text;
}
