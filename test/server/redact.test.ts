import { PHONE_REDACTED, REDACTED, Redactor, maskDigits } from '../../src/server/redact';
import { WooriError } from '../../src/woori/errors';

const APP_KEY = 'l7xx0123456789abcdef0123456789abcdef';
const SECRET = 'sk-secret-9876543210';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.customer-token.sig';
const PHONE = '010-1234-5678';
const ACCOUNT = '1002146788200';
const MISSING_TOKEN =
  'A bearer token is required: send "Authorization: Bearer <the customer\'s Woori access token>".';

describe('Redactor.text', () => {
  const redactor = new Redactor([APP_KEY, SECRET]);

  it('masks account numbers to their last four digits', () => {
    expect(redactor.text(`account ${ACCOUNT} not found`)).toBe('account *********8200 not found');
    expect(redactor.text('account 1002-146-788200')).toBe('account *********8200');
  });

  it('masks card numbers such as a counterparty', () => {
    expect(redactor.text('counterparty 6748803440422330')).toBe('counterparty ************2330');
  });

  it('masks an account number glued to letters or other digits of a longer token', () => {
    expect(redactor.text(`acct${ACCOUNT}x`)).toBe('acct*********8200x');
    expect(redactor.text(`acct-${ACCOUNT}`)).toBe('acct-*********8200');
    expect(redactor.text('GLBL 20261125SBXWB000000000000000001')).toBe(
      'GLBL 20261125SBXWB**************0001',
    );
  });

  it('keeps UUIDs whole, even when a group of one is all digits', () => {
    for (const id of ['40528451-8194-4c43-8c36-28564e944f90', '01012345-6789-4abc-8def-010123456789']) {
      expect(redactor.text(`request ${id}`)).toBe(`request ${id}`);
    }
  });

  it('leaves short numbers, dates, times and decimal amounts alone', () => {
    const text =
      '71888 won on 2019-01-10 at 10:56:55, status 200, balance 000000005014052.000, ' +
      'total 1234567890123.50, change +1500.25, rate 12.01012345678, UTC+9 2024-06-30, +9 2024-06-30';
    expect(redactor.text(text)).toBe(text);
  });

  it.each([
    PHONE,
    '01012345678',
    '+82 10 1234 5678',
    '+82-10-1234-5678',
    '+821012345678',
    '010.1234.5678',
    '011-123-4567',
    '+1 (202) 555-0143',
    '+44 20 7946 0958',
  ])('removes the phone number %s', (phone) => {
    expect(redactor.text(`call ${phone} now`)).toBe('call [PHONE] now');
  });

  it('removes bearer tokens and token-like key/value pairs, keeping the words that name them', () => {
    expect(redactor.text(`Authorization: Bearer ${TOKEN}`)).toBe('Authorization: Bearer [REDACTED]');
    expect(redactor.text(`{"authorization":"Bearer ${TOKEN}"}`)).toBe(
      '{"authorization":"Bearer [REDACTED]"}',
    );
    expect(redactor.text(`{"token":"${TOKEN}"}`)).toBe('{"token":"[REDACTED]"}');
    expect(redactor.text(`token=${TOKEN}&x=1`)).toBe('token=[REDACTED]&x=1');
    expect(redactor.text(`appKey: abc, secretKey: def`)).toBe('appKey: [REDACTED], secretKey: [REDACTED]');
    expect(redactor.text('the token sk-live-0123456789abcdef was refused')).toBe(
      'the token [REDACTED] was refused',
    );
    expect(redactor.text('sent bearer sandbox-token-ten')).toBe('sent bearer [REDACTED]');
  });

  it('leaves prose about tokens alone', () => {
    for (const text of [
      MISSING_TOKEN,
      'A Bearer Token is required; bearer authentication failed.',
      'the token expired. The secret key was rotated, the key is new.',
      'Authorization: Bearer',
      'send "Authorization: Bearer <token>" with "token": "" set',
      'WWW-Authenticate: Bearer realm="woori"',
    ]) {
      expect(redactor.text(text)).toBe(text);
    }
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
        traceId: '20261125SBXWB000000000000000001',
        note: '2019061200000001234',
      }),
    ).toEqual({
      requestId: '123456789012',
      traceId: '20261125SBXWB000000000000000001',
      note: '***************1234',
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactor.value(a)).toEqual({ name: 'a', self: '[Circular]' });
  });
});

describe('maskDigits', () => {
  it('keeps the last four digits', () => {
    expect(maskDigits('1002160010529')).toBe('*********0529');
  });
});

/**
 * Generated sentences mixing prose, credentials, account numbers, phone numbers, amounts, dates,
 * times and request ids, each piece with the text it must come out as. The whole sentence must come
 * out as those pieces joined: every secret gone, every other word and figure untouched.
 */
describe('Redactor.text on generated sentences', () => {
  let seed = 20240630;
  const random = (n: number): number => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const pick = <T>(items: readonly T[]): T => items[random(items.length)];
  const digits = (n: number): string => Array.from({ length: n }, () => String(random(10))).join('');
  const fromAlphabet = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => alphabet[random(alphabet.length)]).join('');
  const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const HEX = '0123456789abcdef';
  const credential = (): string =>
    pick([
      () => fromAlphabet(BASE64URL, 20 + random(21)),
      () => `sk-live-${fromAlphabet(HEX, 24)}`,
      () => `sandbox-token-${pick(['ten', 'heavy', 'demo', 'many'])}`,
      () => `${fromAlphabet(HEX, 32)}`,
    ])();
  const jwt = (): string =>
    `eyJ${fromAlphabet(BASE64URL, 16)}.${fromAlphabet(BASE64URL, 24)}.${fromAlphabet(BASE64URL, 20)}`;

  interface Piece {
    text: string;
    /** What the piece must come out as. */
    expected: string;
    /** Values that must not survive. */
    secrets: string[];
  }
  const kept = (text: string): Piece => ({ text, expected: text, secrets: [] });

  const PROSE = [
    MISSING_TOKEN,
    'A bearer token is required',
    'the token expired',
    'the secret key was rotated',
    'Authorization header missing',
    'token refresh failed',
    "the customer's phone is unknown",
    'the app key was rejected',
    'bearer tokens only',
    'Bearer authentication failed',
    'no token',
    'password reset requested',
    'key rotation is due',
    'the access token',
    'Authorization',
    'secret',
    'phone',
    'token',
    'Bearer',
    'retrying in 2 s',
    'upstream call failed (SYSCD01006)',
    'page 2 of 7',
    '우리은행 거래내역 조회',
    '전화번호 없음',
  ];

  const benign = (): Piece =>
    kept(
      pick([
        () => `amount ${random(2) ? '-' : ''}${1 + random(9)}${digits(random(9))}`,
        () => `amount ${1 + random(9)}${digits(random(18))}.${digits(1 + random(5))}${1 + random(9)}`,
        () => `balance ${digits(15)}.${digits(3)}`,
        () => `balance -${digits(7)}.${digits(2)}`,
        () => `change +${1 + random(9)}${digits(random(9))}.${digits(2)}`,
        () => `rate ${random(2) ? '-' : ''}${random(100)}.${digits(2)}%`,
        () => `on 20${digits(2)}-0${1 + random(9)}-${10 + random(19)}`,
        () => `on 20${digits(2)}0${1 + random(9)}${10 + random(19)}`,
        () => `on 20${digits(2)}.0${1 + random(9)}.${10 + random(19)}`,
        () => `at ${10 + random(14)}:${10 + random(50)}:${10 + random(50)}`,
        () => `at ${10 + random(14)}${10 + random(50)}${10 + random(50)}`,
        () => `at 2024-06-30T${10 + random(14)}:${10 + random(50)}:${10 + random(50)}+09:00`,
        () => `at 2024-06-30T0${random(10)}:${10 + random(50)}:${10 + random(50)}.${digits(3)}Z`,
        () => `request ${uuid()}`,
        () => `request req-${fromAlphabet(HEX, 8)}`,
        () => `status ${pick(['200', '400', '401', '429', '502'])}`,
        () => `took ${random(1000)}.${digits(1)} ms`,
        () => `count ${random(100000)}`,
      ])(),
    );
  const uuid = (): string =>
    `${fromAlphabet(HEX, 8)}-${fromAlphabet(HEX, 4)}-4${fromAlphabet(HEX, 3)}-a${fromAlphabet(HEX, 3)}-${random(2) ? digits(12) : fromAlphabet(HEX, 12)}`;

  const personal = (): Piece => {
    const account = `${pick(['1', '3'])}${digits(9 + random(6))}`;
    const masked = maskDigits(account);
    const card = `${4 + random(2)}${digits(15)}`;
    const mobile = `01${pick(['0', '1', '6', '7', '8', '9'])}`;
    const [a, b] = [digits(4), digits(4)];
    return pick([
      () => ({ text: `account ${account}`, expected: `account ${masked}`, secrets: [account] }),
      () => {
        const grouped = `${account.slice(0, 4)}-${account.slice(4, 7)}-${account.slice(7)}`;
        return { text: `account ${grouped}`, expected: `account ${masked}`, secrets: [grouped] };
      },
      () => ({ text: `acct${account}x`, expected: `acct${masked}x`, secrets: [account] }),
      () => ({ text: `counterparty ${card}`, expected: `counterparty ${maskDigits(card)}`, secrets: [card] }),
      ...[
        `${mobile}-${a}-${b}`,
        `${mobile}${a}${b}`,
        `${mobile}.${a}.${b}`,
        `${mobile} ${a} ${b}`,
        `011-${digits(3)}-${b}`,
        `+82 10 ${a} ${b}`,
        `+82-10-${a}-${b}`,
        `+8210${a}${b}`,
        `+1 (${2 + random(8)}${digits(2)}) ${digits(3)}-${b}`,
        `+44 20 ${a} ${b}`,
      ].map((phone) => () => ({
        text: `call ${phone}`,
        expected: `call ${PHONE_REDACTED}`,
        secrets: [phone, a + b],
      })),
    ])();
  };

  const secret = (): Piece => {
    const value = credential();
    const token = jwt();
    const named = (text: string, expected: string): Piece => ({ text, expected, secrets: [value] });
    return pick([
      () => named(`Authorization: Bearer ${value}`, `Authorization: Bearer ${REDACTED}`),
      () => named(`authorization=Bearer%20${value}`, `authorization=${REDACTED}`),
      () => named(`{"token":"${value}"}`, `{"token":"${REDACTED}"}`),
      () => named(`{"accessToken": "${value}"}`, `{"accessToken": "${REDACTED}"}`),
      () => named(`token=${value}`, `token=${REDACTED}`),
      () => named(`bearer ${value}`, `bearer ${REDACTED}`),
      () => named(`token ${value}`, `token ${REDACTED}`),
      () => named(`password=${value}`, `password=${REDACTED}`),
      () => named(`x-device-phone: ${value}`, `x-device-phone: ${REDACTED}`),
      () => ({ text: token, expected: REDACTED, secrets: [token] }),
      () => ({
        text: `Authorization: Bearer ${token}`,
        expected: `Authorization: Bearer ${REDACTED}`,
        secrets: [token],
      }),
      () => ({ text: `appKey: ${APP_KEY}`, expected: `appKey: ${REDACTED}`, secrets: [APP_KEY] }),
      () => ({ text: `signed with ${SECRET}`, expected: `signed with ${REDACTED}`, secrets: [SECRET] }),
    ])();
  };

  /**
   * Between pieces. A prose piece ends a clause, so a bare space never follows it: `token <id>` or
   * `Bearer <id>` is, by the redactor's rule, a token and its value.
   */
  const SEPARATORS = [' ', ', ', '; ', ' | ', '\n', ' - ', '. '];
  const AFTER_PROSE = SEPARATORS.filter((separator) => separator !== ' ');

  let lastWasProse = false;

  function sentence(): { text: string; expected: string; pieces: Piece[] } {
    const pieces: Piece[] = [];
    let text = '';
    let expected = '';
    for (let i = 3 + random(6); i > 0; i--) {
      const prose = random(4) === 0;
      const piece = prose ? kept(pick(PROSE)) : pick([benign, personal, secret])();
      const separator = pieces.length === 0 ? '' : pick(lastWasProse ? AFTER_PROSE : SEPARATORS);
      text += separator + piece.text;
      expected += separator + piece.expected;
      pieces.push(piece);
      lastWasProse = prose;
    }
    return { text, expected, pieces };
  }

  it('removes every secret and leaves every other piece as it was, in 3000 sentences', () => {
    const redactor = new Redactor([APP_KEY, SECRET]);
    const kinds = { secrets: 0, kept: 0 };
    for (let i = 0; i < 3000; i++) {
      const { text, expected, pieces } = sentence();
      const out = redactor.text(text);
      expect({ text, out }).toEqual({ text, out: expected });
      for (const piece of pieces) {
        for (const value of piece.secrets) expect(out).not.toContain(value);
        if (piece.secrets.length === 0) expect(out).toContain(piece.text);
        kinds[piece.secrets.length === 0 ? 'kept' : 'secrets'] += 1;
      }
    }
    expect(kinds.secrets).toBeGreaterThan(3000);
    expect(kinds.kept).toBeGreaterThan(3000);
  });
});
