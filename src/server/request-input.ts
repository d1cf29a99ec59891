/**
 * What the HTTP layer takes from a request for the GraphQL context: the customer's bearer token and
 * the device fields the upstream wants on every call (spec §1 "Device fields", §6).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { DEVICE_FIELD_MAX_LENGTH, type DeviceInfo } from '../woori/domain';
import { Redactor } from './redact';

/** The request header of each device field except the IP, which comes from the connection. */
export const DEVICE_HEADERS: Readonly<Record<Exclude<keyof DeviceInfo, 'ip'>, string>> = {
  deviceId: 'x-device-id',
  deviceSerial: 'x-device-serial',
  phone: 'x-device-phone',
  osCode: 'x-device-os',
  osVersion: 'x-device-os-version',
  model: 'x-device-model',
  appVersion: 'x-app-version',
};

/** A request header that breaks its rule: answered with a 400 `BAD_USER_INPUT` naming the header. */
export class BadHeaderError extends Error {
  override readonly name = 'BadHeaderError';
  constructor(
    readonly header: string,
    rule: string,
  ) {
    super(`The ${header} header ${rule}.`);
  }
}

export interface DeviceSource {
  headers: IncomingHttpHeaders;
  /** The connection's peer address (`socket.remoteAddress`). */
  remoteAddress: string | undefined;
}

/**
 * The device fields of one request: each header when present, the configured default otherwise.
 * The IP is the connection's address, or the left-most `X-Forwarded-For` entry when the proxy is
 * trusted. Throws {@link BadHeaderError} when a value is longer than the upstream accepts.
 */
export function deviceFromRequest(
  { headers, remoteAddress }: DeviceSource,
  defaults: Readonly<DeviceInfo>,
  trustProxy: boolean,
): DeviceInfo {
  const device: DeviceInfo = { ...defaults, ip: clientIp(headers, remoteAddress, defaults.ip, trustProxy) };
  for (const [field, header] of Object.entries(DEVICE_HEADERS) as [keyof typeof DEVICE_HEADERS, string][]) {
    const value = singleHeader(headers, header);
    if (value === undefined) continue;
    const max = DEVICE_FIELD_MAX_LENGTH[field];
    if (value.length > max) throw new BadHeaderError(header, `must be at most ${max} characters long`);
    device[field] = value;
  }
  return device;
}

/** The token of `Authorization: Bearer <token>`, or null when there is none. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(headers.authorization ?? '');
  return match ? match[1] : null;
}

/** Finds what must not be logged: the logger's own redaction, with nothing secret of its own. */
const personalData = new Redactor();

/**
 * The caller's `x-request-id` when it is safe to use as it is, else null (and the service makes one
 * up): at most 128 characters from a safe set, and nothing the log redaction would rewrite (an
 * account or card number, a phone number, a token). Request ids are logged whole, for correlation,
 * so one carrying personal data is replaced rather than logged, or logged half-masked.
 */
export function incomingRequestId(headers: IncomingHttpHeaders): string | null {
  const value = singleHeader(headers, 'x-request-id');
  if (value === undefined || !/^[A-Za-z0-9._:\-/+=@]{1,128}$/.test(value)) return null;
  return personalData.text(value) === value ? value : null;
}

function clientIp(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  fallback: string,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = singleHeader(headers, 'x-forwarded-for');
    if (forwarded !== undefined) {
      const first = unmapIPv4(forwarded.split(',')[0].trim());
      if (!isIP(first) || first.length > DEVICE_FIELD_MAX_LENGTH.ip) {
        throw new BadHeaderError('x-forwarded-for', 'must start with an IP address');
      }
      return first;
    }
  }
  const peer = remoteAddress ? unmapIPv4(remoteAddress) : fallback;
  return peer.length <= DEVICE_FIELD_MAX_LENGTH.ip ? peer : fallback;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`. */
function unmapIPv4(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/** A header's value; repeated headers are joined, as Node does for most headers. Empty is absent. */
function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
