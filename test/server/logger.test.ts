import { createLogger, requestLogger } from '../../src/server/logger';
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

  it("removes a request logger's own secrets from its lines and its children's, those added later too", () => {
    const capture = captureLogs();
    const log = createLogger({ level: 'info', secrets: [APP_KEY], destination: capture.destination });
    const secretsA = ['opaque-customer-token'];
    const a = requestLogger(log, { requestId: 'a' }, secretsA);
    const b = requestLogger(log, { requestId: 'b' }, ['other-customer-token']);
    a.info({ note: 'user opaque-customer-token on dev-phone-value' });
    secretsA.push('dev-phone-value');
    a.child({ part: 'upstream' }).info({ note: `user opaque-customer-token on dev-phone-value, ${APP_KEY}` });
    b.info({ note: 'user other-customer-token' });
    log.info({ note: `the root logger still removes ${APP_KEY}` });
    expect(capture.lines().map((l) => [l.requestId, l.note])).toEqual([
      ['a', 'user [REDACTED] on dev-phone-value'],
      ['a', 'user [REDACTED] on [REDACTED], [REDACTED]'],
      ['b', 'user [REDACTED]'],
      [undefined, 'the root logger still removes [REDACTED]'],
    ]);
  });

  it('logs prose about tokens word for word, and only the values after the words', () => {
    const { log, capture } = logger();
    const missing =
      'A bearer token is required: send "Authorization: Bearer <the customer\'s Woori access token>".';
    log.warn({ err: new Error(missing) }, missing);
    log.info(`the token expired; retried with Authorization: Bearer ${TOKEN}`);
    const [warned, info] = capture.lines();
    expect(warned.msg).toBe(missing);
    expect(warned.err).toMatchObject({ message: missing });
    expect(info.msg).toBe('the token expired; retried with Authorization: Bearer [REDACTED]');
  });

  it('keeps the lines valid JSON after redaction', () => {
    const { log, capture } = logger();
    log.info({ note: `"quoted" Bearer ${TOKEN} \n newline ${APP_KEY}` });
    expect(() => capture.lines()).not.toThrow();
    expectClean(capture.text());
  });
});
