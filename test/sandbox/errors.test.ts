import { request } from 'undici';
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { basics, call, DEVICE, PATHS, transactions, type CallResult } from './helpers';

const MESSAGES: Record<string, string> = {
  SYSCD02001: '필수헤더 정보가 존재하지 않습니다.',
  SYSCD02101: '스키마 검증을 실패 하였습니다.',
  SYSCD02102: '코드 인젝션 검증을 실패 하였습니다.',
  SYSCD02103: 'SQL 인젝션 검증을 실패 하였습니다.',
  SYSCD02901: '요청한 서비스를 찾을 수 없습니다.',
  SYSCD03001: '토큰 검증 오류로 인증에 실패 하였습니다.',
  SYSCD03003: '클라이언트 인증에 실패 하였습니다.',
  SYSCD01000: '필수입력값이 누락되었습니다.',
  SYSCD01005: 'JSON 데이터 포맷 에러가 발생하였습니다.',
  SYSCD01006: '입력값이 올바르지 않습니다.',
  SYSCD01008: '자릿수가 올바르지 않습니다.',
};

function expectError(result: CallResult, status: number, code: string): void {
  expect({ status: result.status, code: result.json?.dataHeader?.RSP_CD }).toEqual({ status, code });
  expect(result.json).toEqual({
    dataHeader: {
      GLBL_ID: expect.stringMatching(/^[0-9A-Z]{32}$/),
      RSP_CD: code,
      RSP_MSG: expect.any(String),
    },
    dataBody: {},
  });
  if (MESSAGES[code] && code !== 'SYSCD01006') expect(result.json.dataHeader.RSP_MSG).toBe(MESSAGES[code]);
}

describe('sandbox errors', () => {
  let sandbox: RunningSandbox;
  const account = '1002146788200';

  beforeAll(async () => {
    sandbox = await startSandbox({ today: '2025-11-25' });
  });
  afterAll(() => sandbox.close());

  it('answers 404 SYSCD02901 for an unknown path or method', async () => {
    expectError(await call(sandbox, '/oai/wb/v1/finance/getSomething'), 404, 'SYSCD02901');
    expectError(await call(sandbox, PATHS.accounts, { method: 'PUT' }), 404, 'SYSCD02901');
  });

  it('answers 400 SYSCD01005 for a body that is not JSON', async () => {
    expectError(await call(sandbox, PATHS.accounts, { rawBody: '{"dataHeader": {' }), 400, 'SYSCD01005');
  });

  it('answers 401 SYSCD03003 for a missing or unknown app key or secret', async () => {
    expectError(await call(sandbox, PATHS.accounts, { appKey: null }), 401, 'SYSCD03003');
    expectError(await call(sandbox, PATHS.accounts, { appKey: 'x'.repeat(36) }), 401, 'SYSCD03003');
    expectError(await call(sandbox, PATHS.accounts, { secretKey: null }), 401, 'SYSCD03003');
    expectError(await call(sandbox, PATHS.accounts, { secretKey: 'wrong' }), 401, 'SYSCD03003');
  });

  it('reads the app key and secret headers whatever their case', async () => {
    const response = await request(`${sandbox.url}${PATHS.accounts}`, {
      method: 'POST',
      headers: {
        APPKEY: sandbox.credentials.appKey,
        SecretKey: sandbox.credentials.secretKey,
        Authorization: `bearer ${SANDBOX_TOKENS.demo}`,
      },
      body: JSON.stringify({ dataHeader: DEVICE, dataBody: {} }),
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it('answers 401 SYSCD03001 for a missing or unknown token', async () => {
    expectError(await call(sandbox, PATHS.accounts, { token: null }), 401, 'SYSCD03001');
    expectError(await call(sandbox, PATHS.accounts, { token: 'sandbox-token-nobody' }), 401, 'SYSCD03001');
  });

  it('checks the client before the token, and JSON before both', async () => {
    expectError(await call(sandbox, PATHS.accounts, { appKey: null, token: null }), 401, 'SYSCD03003');
    expectError(await call(sandbox, PATHS.accounts, { appKey: null, rawBody: '{' }), 400, 'SYSCD01005');
  });

  it('answers 400 SYSCD02001 when a device field or the whole dataHeader is missing', async () => {
    expectError(await call(sandbox, PATHS.accounts, { dataHeader: null }), 400, 'SYSCD02001');
    for (const field of Object.keys(DEVICE)) {
      const dataHeader: Record<string, unknown> = { ...DEVICE };
      delete dataHeader[field];
      expectError(await call(sandbox, PATHS.accounts, { dataHeader }), 400, 'SYSCD02001');
    }
  });

  it('answers 400 SYSCD02101 when the envelope has the wrong shape', async () => {
    expectError(await call(sandbox, PATHS.accounts, { rawBody: '[]' }), 400, 'SYSCD02101');
    expectError(
      await call(sandbox, PATHS.accounts, { dataHeader: { ...DEVICE, UTZ_MCHR_OS_DSCD: 1 } }),
      400,
      'SYSCD02101',
    );
  });

  it('answers 400 SYSCD01008 when a device field is longer than its S(n)', async () => {
    const tooLong = { ...DEVICE, UTZ_MCHR_OS_DSCD: '12' };
    expectError(await call(sandbox, PATHS.accounts, { dataHeader: tooLong }), 400, 'SYSCD01008');
    const longIp = { ...DEVICE, UTZPE_CNCT_IPAD: '1'.repeat(40) };
    expectError(await call(sandbox, PATHS.accounts, { dataHeader: longIp }), 400, 'SYSCD01008');
    const longestIp = { ...DEVICE, UTZPE_CNCT_IPAD: 'f'.repeat(39) };
    expect((await call(sandbox, PATHS.accounts, { dataHeader: longestIp })).status).toBe(200);
  });

  it.each(["1' or 1=1", "x' OR 'a'='a", '1 union select password', '1;--', 'drop table accounts'])(
    'answers 400 SYSCD02103 for SQL injection: %s',
    async (attack) => {
      expectError(
        await call(sandbox, PATHS.accounts, { dataHeader: { ...DEVICE, UTZPE_CNCT_MCHR_UNQ_ID: attack } }),
        400,
        'SYSCD02103',
      );
      expectError(await basics(sandbox, attack, '20190101'), 400, 'SYSCD02103');
    },
  );

  it.each(['<script>alert(1)</script>', 'javascript:alert(1)', '${7*7}', 'eval(x)'])(
    'answers 400 SYSCD02102 for code injection: %s',
    async (attack) => {
      expectError(
        await call(sandbox, PATHS.accounts, { dataHeader: { ...DEVICE, UTZPE_CNCT_MCHR_UNQ_ID: attack } }),
        400,
        'SYSCD02102',
      );
      expectError(await call(sandbox, PATHS.accounts, { dataBody: { NOTE: attack } }), 400, 'SYSCD02102');
    },
  );

  it('answers 400 SYSCD01000 when an input is missing or empty', async () => {
    expectError(await call(sandbox, PATHS.basics, { dataBody: { INQ_ACNO: account } }), 400, 'SYSCD01000');
    expectError(
      await call(sandbox, PATHS.basics, { dataBody: { INQ_BAS_DT: '20190101' } }),
      400,
      'SYSCD01000',
    );
    expectError(await transactions(sandbox, account, '', '20190613'), 400, 'SYSCD01000');
    expectError(
      await call(sandbox, PATHS.transactions, { dataBody: { INQ_ACNO: account, INQ_STA_DT: '20190101' } }),
      400,
      'SYSCD01000',
    );
  });

  it('answers 400 SYSCD01008 for an account number or a date with the wrong number of digits', async () => {
    expectError(await basics(sandbox, '123456789', '20190101'), 400, 'SYSCD01008');
    expectError(await basics(sandbox, '1234567890123456', '20190101'), 400, 'SYSCD01008');
    expectError(await basics(sandbox, '1002-146-788200', '20190101'), 400, 'SYSCD01008');
    expectError(await basics(sandbox, account, '2019-01-01'), 400, 'SYSCD01008');
    expectError(await transactions(sandbox, account, '2019011', '20190613'), 400, 'SYSCD01008');
  });

  it('answers 400 SYSCD01006 for impossible dates, reversed ranges and spans over maxSpanDays', async () => {
    expectError(await basics(sandbox, account, '20190230'), 400, 'SYSCD01006');
    expectError(await transactions(sandbox, account, '20191301', '20191231'), 400, 'SYSCD01006');
    expectError(await transactions(sandbox, account, '20190614', '20190613'), 400, 'SYSCD01006');
    expectError(await transactions(sandbox, account, '20240101', '20250101'), 400, 'SYSCD01006');
    expect((await transactions(sandbox, account, '20240101', '20241231')).status).toBe(200);
    expect((await transactions(sandbox, account, '20190613', '20190613')).status).toBe(200);
  });

  it("answers 400 SYSCD01006, saying why, for an account that is not the token's customer's", async () => {
    const [otherAccount] = sandbox.customers[1].accountNumbers;
    for (const result of [
      await basics(sandbox, otherAccount, '20190101'),
      await transactions(sandbox, otherAccount, '20190101', '20190131'),
      await basics(sandbox, '9999999999999', '20190101'),
    ]) {
      expectError(result, 400, 'SYSCD01006');
      expect(result.json.dataHeader.RSP_MSG).toBe(
        '입력값이 올바르지 않습니다. (조회 고객의 계좌가 아닙니다: INQ_ACNO)',
      );
    }
    const invalid = await basics(sandbox, account, '20190230');
    expect(invalid.json.dataHeader.RSP_MSG).toBe(MESSAGES.SYSCD01006);
  });
});
