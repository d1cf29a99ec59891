import { createLogger } from '../../src/server/logger';
import { Redactor, maskDigits } from '../../src/server/redact';
import { WooriError } from '../../src/woori/errors';
import { captureLogs } from '../helpers/log-capture';

const APP_KEY = 'l7xx0123456789abcdef0123456789abcdef';
const SECRET = 'sk-secret-9876543210';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.customer-token.sig';
const PHONE = '010-1234-5678';
const ACCOUNT = '1002146788200';

function logger() {
  const capture = captureLogs();
  const log = createLogger({ level: 'debug', secrets: [APP_KEY, SECRET], destination: capture.destination });
  return { log, capture };
}

function expectClean(text: string): void {
  for (const secret of [APP_KEY, SECRET, TOKEN, PHONE, '01012345678', ACCOUNT, '6748803440422330']) {
    expect(text).not.toContain(secret);
  }
}

describe('Redactor.text', () => {
  const redactor = new Redactor([APP_KEY, SECRET]);

  it('masks account numbers to their last four digits', () => {
    expect(redactor.text(`account ${ACCOUNT} not found`)).toBe('account *********8200 not found');
    expect(redactor.text('account 1002-146-788200')).toBe('account *********8200');
  });

  it('masks card numbers such as a counterparty', () => {
    expect(redactor.text('counterparty 6748803440422330')).toBe('counterparty ************2330');
  });

  it('leaves digits inside longer tokens alone (UUIDs, trace ids)', () => {
    expect(redactor.text('id 40528451-8194-4c43-8c36-28564e944f90')).toBe(
      'id 40528451-8194-4c43-8c36-28564e944f90',
    );
    expect(redactor.text('GLBL 20261125SBXWB000000000000000001')).toBe(
      'GLBL 20261125SBXWB000000000000000001',
    );
  });

  it('leaves short numbers, dates and amounts alone', () => {
    expect(redactor.text('71888 won on 2019-01-10 at 10:56:55, status 200')).toBe(
      '71888 won on 2019-01-10 at 10:56:55, status 200',
    );
  });

  it.each([
    PHONE,
    '01012345678',
    '+82 10 1234 5678',
    '+82-10-1234-5678',
    '010.1234.5678',
    '+1 (202) 555-0143',
  ])('removes the phone number %s', (phone) => {
    expect(redactor.text(`call ${phone} now`)).toBe('call [PHONE] now');
  });

  it('removes bearer tokens and token-like key/value pairs', () => {
    expect(redactor.text(`Authorization: Bearer ${TOKEN}`)).not.toContain(TOKEN);
    expect(redactor.text(`{"token":"${TOKEN}"}`)).toBe('{"token":"[REDACTED]"}');
    expect(redactor.text(`token=${TOKEN}&x=1`)).toBe('token=[REDACTED]&x=1');
    expect(redactor.text(`appKey: abc, secretKey: def`)).toBe('appKey: [REDACTED], secretKey: [REDACTED]');
  });

  it('removes the configured secrets wherever they appear', () => {
    expect(redactor.text(`url?k=${APP_KEY}x${SECRET}`)).toBe('url?k=[REDACTED]x[REDACTED]');
  });
});

describe('Redactor.value', () => {
  const redactor = new Redactor([]);

  it('redacts secret keys at any depth, whatever their case', () => {
    const value = redactor.value({
      headers: { Authorization: `Bearer ${TOKEN}`, token: TOKEN, appkey: 'k', SECRETKEY: 's' },
      device: { phone: '01099998888', deviceId: 'dev-1' },
      nested: [{ dataHeader: { UTZPE_CNCT_TEL_NO_TXT: '01099998888' } }],
    });
    expect(value).toEqual({
      headers: {
        Authorization: '[REDACTED]',
        token: '[REDACTED]',
        appkey: '[REDACTED]',
        SECRETKEY: '[REDACTED]',
      },
      device: { phone: '[REDACTED]', deviceId: 'dev-1' },
      nested: [{ dataHeader: { UTZPE_CNCT_TEL_NO_TXT: '[REDACTED]' } }],
    });
  });

  it('turns errors into plain objects with scrubbed messages, stacks and causes', () => {
    const cause = new Error(`connect failed for ${ACCOUNT}`);
    const error = new WooriError(`account ${ACCOUNT} rejected`, {
      kind: 'BAD_INPUT',
      operation: 'getAccountBasics',
      upstreamCode: 'SYSCD01006',
      traceId: 'GLBL0001',
      retryable: false,
      cause,
    });
    const value = redactor.value(error) as Record<string, unknown>;
    expect(value).toMatchObject({
      type: 'WooriError',
      message: 'account *********8200 rejected',
      kind: 'BAD_INPUT',
      upstreamCode: 'SYSCD01006',
      traceId: 'GLBL0001',
      cause: { message: 'connect failed for *********8200' },
    });
    expect(JSON.stringify(value)).not.toContain(ACCOUNT);
  });

  it('masks long numbers held as numbers under account-like keys', () => {
    expect(redactor.value({ accountNumber: 1002146788200, durationMs: 1234567890123 })).toEqual({
      accountNumber: '*********8200',
      durationMs: 1234567890123,
    });
  });

  it('keeps request and trace ids whole, so that lines can be correlated', () => {
    expect(
      redactor.value({
        requestId: '123456789012',
        traceId: '2019061200000001234',
        note: '2019061200000001234',
      }),
    ).toEqual({
      requestId: '123456789012',
      traceId: '2019061200000001234',
      note: '***************1234',
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactor.value(a)).toEqual({ name: 'a', self: '[Circular]' });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the level as a word and an ISO time', () => {
    const { log, capture } = logger();
    log.info({ requestId: 'r1' }, 'hello');
    expect(capture.lines()[0]).toMatchObject({ level: 'info', requestId: 'r1', msg: 'hello' });
    expect(String(capture.lines()[0].time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts messages, objects, bindings and logged errors', () => {
    const { log, capture } = logger();
    const child = log.child({ token: TOKEN, account: ACCOUNT });
    child.info(`calling with Authorization: Bearer ${TOKEN} for ${ACCOUNT} and phone ${PHONE}`);
    child.warn(
      { headers: { authorization: `Bearer ${TOKEN}`, 'x-device-phone': PHONE }, appKey: APP_KEY },
      'x',
    );
    child.error(new Error(`upstream refused appKey=${APP_KEY} secretKey=${SECRET} for ${ACCOUNT}`));
    child.error({ err: new Error(`token ${TOKEN} expired`) }, 'failed %s', ACCOUNT);
    const text = capture.text();
    expectClean(text);
    expect(text).toContain('*********8200');
    expect(capture.lines()).toHaveLength(4);
  });

  it('removes the values that currentSecrets names at the time of the call', () => {
    const capture = captureLogs();
    let current: string[] = [];
    const log = createLogger({
      level: 'info',
      currentSecrets: () => current,
      destination: capture.destination,
    });
    current = ['opaque-customer-token', 'dev-phone-value'];
    log.info({ note: 'user opaque-customer-token on dev-phone-value' });
    current = [];
    log.info({ note: 'no more secrets' });
    expect(capture.lines().map((l) => l.note)).toEqual(['user [REDACTED] on [REDACTED]', 'no more secrets']);
  });

  it('keeps the lines valid JSON after redaction', () => {
    const { log, capture } = logger();
    log.info({ note: `"quoted" Bearer ${TOKEN} \n newline ${APP_KEY}` });
    expect(() => capture.lines()).not.toThrow();
    expectClean(capture.text());
  });
});

describe('maskDigits', () => {
  it('keeps the last four digits', () => {
    expect(maskDigits('1002160010529')).toBe('*********0529');
  });
});
