import {
  BadHeaderError,
  bearerToken,
  deviceFromRequest,
  incomingRequestId,
} from '../../src/server/request-input';
import type { DeviceInfo } from '../../src/woori/domain';

const DEFAULTS: DeviceInfo = {
  ip: '127.0.0.1',
  deviceId: 'woori-graphql',
  phone: '',
  deviceSerial: 'server',
  osCode: '1',
  osVersion: 'server',
  model: 'server',
  appVersion: '0.1.0',
};

describe('deviceFromRequest', () => {
  it('takes each device field from its header', () => {
    const device = deviceFromRequest(
      {
        headers: {
          'x-device-id': 'device-42',
          'x-device-serial': 'SERIAL42',
          'x-device-phone': '01012345678',
          'x-device-os': '2',
          'x-device-os-version': '17.5',
          'x-device-model': 'iPhone15,2',
          'x-app-version': '3.1.0',
        },
        remoteAddress: '::ffff:192.0.2.10',
      },
      DEFAULTS,
      false,
    );
    expect(device).toEqual({
      ip: '192.0.2.10',
      deviceId: 'device-42',
      deviceSerial: 'SERIAL42',
      phone: '01012345678',
      osCode: '2',
      osVersion: '17.5',
      model: 'iPhone15,2',
      appVersion: '3.1.0',
    });
  });

  it('falls back on the configured defaults for missing or empty headers', () => {
    const device = deviceFromRequest(
      { headers: { 'x-device-id': '', 'x-device-model': 'Pixel' }, remoteAddress: '10.1.2.3' },
      DEFAULTS,
      false,
    );
    expect(device).toEqual({ ...DEFAULTS, ip: '10.1.2.3', model: 'Pixel' });
  });

  it('uses the default IP when the connection has no address', () => {
    expect(deviceFromRequest({ headers: {}, remoteAddress: undefined }, DEFAULTS, false).ip).toBe(
      '127.0.0.1',
    );
  });

  it('rejects a header longer than the upstream field, naming the header', () => {
    const call = () =>
      deviceFromRequest({ headers: { 'x-device-os': '12' }, remoteAddress: '10.0.0.1' }, DEFAULTS, false);
    expect(call).toThrow(BadHeaderError);
    expect(call).toThrow('The x-device-os header must be at most 1 characters long.');
    expect(() =>
      deviceFromRequest(
        { headers: { 'x-device-id': 'd'.repeat(101) }, remoteAddress: '10.0.0.1' },
        DEFAULTS,
        false,
      ),
    ).toThrow(expect.objectContaining({ header: 'x-device-id' }));
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    const source = { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.2' }, remoteAddress: '10.0.0.2' };
    expect(deviceFromRequest(source, DEFAULTS, false).ip).toBe('10.0.0.2');
    expect(deviceFromRequest(source, DEFAULTS, true).ip).toBe('203.0.113.7');
  });

  it('rejects a trusted X-Forwarded-For that does not start with an address', () => {
    expect(() =>
      deviceFromRequest(
        { headers: { 'x-forwarded-for': 'evil' }, remoteAddress: '10.0.0.2' },
        DEFAULTS,
        true,
      ),
    ).toThrow(expect.objectContaining({ header: 'x-forwarded-for' }));
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def', 'abc.def'],
    ['bearer   sandbox-token-demo', 'sandbox-token-demo'],
    ['Basic dXNlcjpwYXNz', null],
    ['Bearer', null],
    ['Bearer two words', null],
    [undefined, null],
  ])('reads %j as %j', (authorization, token) => {
    expect(bearerToken({ authorization })).toBe(token);
  });
});

describe('incomingRequestId', () => {
  it('honours a sane x-request-id', () => {
    expect(incomingRequestId({ 'x-request-id': 'abc-123_DEF.4' })).toBe('abc-123_DEF.4');
  });

  it.each(['', 'has space', 'x'.repeat(129), 'line\nbreak', '<script>'])('refuses %j', (value) => {
    expect(incomingRequestId({ 'x-request-id': value })).toBeNull();
  });

  it.each([
    ['a UUID', '3f2b8c1e-9a4d-4e2f-8b1a-123456789012'],
    ['a short trace id', 'web-7f3a9c-42'],
    ['a date-stamped id', 'job-20260630.run7'],
  ])('keeps %s as it is', (_name, value) => {
    expect(incomingRequestId({ 'x-request-id': value })).toBe(value);
  });

  it.each([
    ['an account number', 'acct-1002146788200'],
    ['an account number in groups', 'req-1002-146-788200'],
    ['a phone number', '010-9876-5432'],
    ['a phone number without hyphens', 'call=01098765432'],
    ['an international phone number', '+82-10-9876-5432'],
    ['a token', 'token=abcdefghijklmnop1234'],
  ])('refuses an id carrying %s (it would be logged as it is)', (_name, value) => {
    expect(incomingRequestId({ 'x-request-id': value })).toBeNull();
  });
});
