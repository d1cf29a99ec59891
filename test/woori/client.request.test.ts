/**
 * The exact shape of what the client sends, and answers the sandbox cannot give (a path prefix, a
 * code outside `dataHeader`, an HTTP-date `Retry-After`): undici's MockAgent stands in for the
 * upstream here, and only here.
 */
import { MockAgent } from 'undici';
import { WooriClient, type WooriClientOptions } from '../../src/woori/client';
import { WooriError } from '../../src/woori/errors';
import { DEVICE, referenceTransactionsBody } from './fixtures';

const ORIGIN = 'https://openapi.example.test:8443';

interface Sent {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function setUp(
  options: Partial<WooriClientOptions> = {},
  answer: { status?: number; body?: unknown; headers?: Record<string, string> } = {},
) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const sent: Sent[] = [];
  agent
    .get(ORIGIN)
    .intercept({ path: () => true, method: () => true })
    .reply((request) => {
      sent.push({
        path: request.path,
        method: request.method,
        headers: lowerCased(request.headers),
        body: JSON.parse(String(request.body)),
      });
      return {
        statusCode: answer.status ?? 200,
        data: JSON.stringify(answer.body ?? referenceTransactionsBody('document')),
        responseOptions: { headers: answer.headers ?? {} },
      };
    })
    .persist();
  const client = new WooriClient(
    { baseUrl: `${ORIGIN}/gateway/`, appKey: 'the-app-key', secretKey: 'the-secret', ...options },
    { dispatcher: agent },
  );
  return { client, sent, agent };
}

function lowerCased(headers: unknown): Record<string, string> {
  const entries: Array<[string, string]> = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) entries.push([String(headers[i]), String(headers[i + 1])]);
  } else if (headers && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers)) entries.push([key, String(value)]);
  }
  return Object.fromEntries(entries.map(([key, value]) => [key.toLowerCase(), value]));
}

const ctx = { token: 'the-token', device: DEVICE };

describe('the request', () => {
  it('carries the device in dataHeader, the query in dataBody and the credentials in headers', async () => {
    const { client, sent, agent } = setUp();
    await client.listTransactions(ctx, '1002146788200', '2019-01-01', '2019-06-13');
    expect(sent).toEqual([
      {
        path: '/gateway/oai/wb/v1/finance/getAccTransList',
        method: 'GET',
        headers: expect.objectContaining({
          'content-type': 'application/json; charset=utf-8',
          appkey: 'the-app-key',
          secretkey: 'the-secret',
          authorization: 'Bearer the-token',
        }),
        body: {
          dataHeader: {
            UTZPE_CNCT_IPAD: '10.0.0.1',
            UTZPE_CNCT_MCHR_UNQ_ID: '3B5E6E7B',
            UTZPE_CNCT_TEL_NO_TXT: '01012341234',
            UTZPE_CNCT_MCHR_IDF_SRNO: 'IMEI',
            UTZ_MCHR_OS_DSCD: '1',
            UTZ_MCHR_OS_VER_NM: '8.0.0',
            UTZ_MCHR_MDL_NM: 'SM-G930S',
            UTZ_MCHR_APP_VER_NM: '1.0.0',
          },
          dataBody: { INQ_ACNO: '1002146788200', INQ_STA_DT: '20190101', INQ_END_DT: '20190613' },
        },
      },
    ]);
    expect(sent[0].headers).not.toHaveProperty('token');
    await agent.close();
  });

  it('sends POST and the token header when configured so', async () => {
    const { client, sent, agent } = setUp(
      { method: 'POST', tokenHeader: 'token' },
      { body: { dataHeader: {}, dataBody: { ACNO: '1', CUCD: 'KRW', CT_BAL: 1 } } },
    );
    await client.getAccountBasics(ctx, '1002146788200', '2019-01-01');
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/gateway/oai/wb/v1/finance/getAccBasicInfo',
      headers: expect.objectContaining({ token: 'the-token' }),
      body: { dataBody: { INQ_ACNO: '1002146788200', INQ_BAS_DT: '20190101' } },
    });
    expect(sent[0].headers).not.toHaveProperty('authorization');
    await agent.close();
  });

  it('asks for the all-accounts list by the configured name with an empty dataBody', async () => {
    const { client, sent, agent } = setUp(
      { accountListPath: 'getIndivAllAcclInfo' },
      { body: { dataHeader: {}, dataBody: { GRID_CNT: 0 } } },
    );
    await expect(client.listAccounts(ctx)).resolves.toEqual([]);
    expect(sent[0]).toMatchObject({
      path: '/gateway/oai/wb/v1/finance/getIndivAllAcclInfo',
      body: { dataBody: {} },
    });
    await agent.close();
  });
});

describe('answers the sandbox does not give', () => {
  it('finds a code at the top level of the body', async () => {
    const { client, agent } = setUp({}, { status: 200, body: { code: 'SYSCD03201', GLBL_ID: 'G-top' } });
    const error = await client.listAccounts(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooriError);
    expect(error).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      upstreamCode: 'SYSCD03201',
      traceId: 'G-top',
      httpStatus: 200,
    });
    await agent.close();
  });

  it('reads an HTTP-date Retry-After on a 503 without a code', async () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const { client, agent } = setUp(
      {},
      { status: 503, body: { message: 'maintenance' }, headers: { 'retry-after': inTwoSeconds } },
    );
    const error = (await client.listAccounts(ctx).catch((e: unknown) => e)) as WooriError;
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 503 });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(2000);
    await agent.close();
  });

  it('decodes a 200 whose data does not fit as UPSTREAM_ERROR with its status and trace id', async () => {
    const body = referenceTransactionsBody('document');
    (body.dataBody.GRID[0] as Record<string, unknown>).PAY_AM = 'forty thousand';
    const { client, agent } = setUp({}, { body });
    const error = (await client
      .listTransactions(ctx, '1002146788200', '2019-01-01', '2019-06-13')
      .catch((e: unknown) => e)) as WooriError;
    expect(error).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      httpStatus: 200,
      traceId: 'GLBL0001',
      retryable: false,
    });
    expect(error.message).toBe(
      'Woori API sent an unreadable dataBody.GRID[0].PAY_AM (expected a decimal number)',
    );
    await agent.close();
  });
});

describe('options', () => {
  it.each([
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ baseUrl: 'ftp://example.test' }, 'baseUrl'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ connections: 1.5 }, 'connections'],
  ])('rejects %p naming the option', (options, name) => {
    expect(() => new WooriClient({ baseUrl: ORIGIN, appKey: 'k', secretKey: 's', ...options })).toThrow(name);
  });
});
