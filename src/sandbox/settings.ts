import { isSystemCode } from './codes';
import { parseIsoDate, todayInKst } from './data/dates';
import type { SandboxFault, SandboxOperation, SandboxPatch, SandboxSettings } from './types';

/** The sandbox's own credentials: the lengths of the document's samples (36 and 31), not its values. */
export const SANDBOX_APP_KEY = 'SBXwooriOpenApiSandboxAppKey20190628';
export const SANDBOX_SECRET_KEY = 'sbxSecretKeyForWooriSandbox2019';

export const OPERATIONS: readonly SandboxOperation[] = [
  'listAccounts',
  'getAccountBasics',
  'listTransactions',
  'tokenCheck',
];
const FAULT_KINDS = [
  'timeout',
  'stall',
  'reset',
  'malformed',
  'html',
  'oversized',
  'endless',
  'html200',
  'status299',
] as const;
const WIRE_FORMATS = ['document', 'woori'] as const;
const MAX_INT = 2_147_483_647;

export function defaultSettings(nowMs: number): SandboxSettings {
  return {
    host: '127.0.0.1',
    port: 0,
    seed: 20190628,
    today: todayInKst(nowMs),
    wireFormat: 'document',
    latencyMs: 0,
    jitterMs: 0,
    maxRps: 0,
    quota: 0,
    maxSpanDays: 366,
    stallMs: 60_000,
    faults: [],
    appKey: SANDBOX_APP_KEY,
    secretKey: SANDBOX_SECRET_KEY,
  };
}

/** Settings with defaults filled in; throws a TypeError naming the first bad field. */
export function resolveSettings(partial: Partial<SandboxSettings>, nowMs: number): SandboxSettings {
  const { host, port, seed, today, ...patch } = partial;
  const settings = applyPatch(defaultSettings(nowMs), patch);
  if (host !== undefined) settings.host = text(host, 'host');
  if (port !== undefined) settings.port = integer(port, 'port', 0, 65535);
  if (seed !== undefined)
    settings.seed = integer(seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (today !== undefined) {
    if (typeof today !== 'string' || parseIsoDate(today) === undefined)
      throw invalid('today', 'a YYYY-MM-DD date', today);
    settings.today = today;
  }
  return settings;
}

/** A copy of `settings` with `patch` applied; throws a TypeError naming the first bad field. */
export function applyPatch(settings: SandboxSettings, patch: SandboxPatch): SandboxSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new TypeError(`Sandbox settings must be an object, but got: ${describe(patch)}`);
  }
  const next = { ...settings };
  for (const [key, value] of Object.entries(patch) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    switch (key) {
      case 'wireFormat':
        next.wireFormat = oneOf(value, key, WIRE_FORMATS);
        break;
      case 'latencyMs':
      case 'jitterMs':
      case 'stallMs':
      case 'maxRps':
      case 'quota':
        next[key] = integer(value, key, 0, MAX_INT);
        break;
      case 'maxSpanDays':
        next.maxSpanDays = integer(value, key, 1, 100_000);
        break;
      case 'appKey':
      case 'secretKey':
        next[key] = text(value, key);
        break;
      case 'faults':
        next.faults = faults(value);
        break;
      default:
        throw new TypeError(`Unknown or read-only sandbox setting '${key}'`);
    }
  }
  return next;
}

function faults(value: unknown): SandboxFault[] {
  if (!Array.isArray(value)) throw invalid('faults', 'an array', value);
  return value.map((item: unknown, index) => {
    const name = `faults[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(name, 'an object', item);
    const fault = item as Record<string, unknown>;
    const rate = fault.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw invalid(`${name}.rate`, 'a number from 0 to 1', fault.rate);
    }
    if ((fault.code === undefined) === (fault.kind === undefined)) {
      throw new TypeError(`Sandbox setting ${name} must have exactly one of 'code' and 'kind'`);
    }
    const result: SandboxFault = { rate };
    if (fault.code !== undefined) {
      if (typeof fault.code !== 'string' || !isSystemCode(fault.code)) {
        throw invalid(`${name}.code`, "one of the document's SYSCD codes", fault.code);
      }
      result.code = fault.code;
    } else {
      result.kind = oneOf(fault.kind, `${name}.kind`, FAULT_KINDS);
    }
    if (fault.bytes !== undefined) {
      if (result.kind !== 'oversized')
        throw new TypeError(`Sandbox setting ${name}.bytes is only for kind 'oversized'`);
      result.bytes = integer(fault.bytes, `${name}.bytes`, 1, MAX_INT);
    }
    if (fault.operations !== undefined) {
      if (!Array.isArray(fault.operations)) throw invalid(`${name}.operations`, 'an array', fault.operations);
      result.operations = fault.operations.map((operation: unknown, i) =>
        oneOf(operation, `${name}.operations[${i}]`, OPERATIONS),
      );
    }
    if (fault.accounts !== undefined) {
      if (!Array.isArray(fault.accounts)) throw invalid(`${name}.accounts`, 'an array', fault.accounts);
      result.accounts = fault.accounts.map((account: unknown, i) => {
        if (typeof account !== 'string' || !/^\d{1,20}$/.test(account)) {
          throw invalid(`${name}.accounts[${i}]`, 'an account number (digits)', account);
        }
        return account;
      });
    }
    return result;
  });
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(
      name,
      min === 0 && max === MAX_INT ? 'a non-negative integer' : `an integer from ${min} to ${max}`,
      value,
    );
  }
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(name, 'a non-empty string', value);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, options: readonly T[]): T {
  if (!options.includes(value as T)) throw invalid(name, `one of ${options.join(', ')}`, value);
  return value as T;
}

function invalid(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Sandbox setting ${name} must be ${expected}, but got: ${describe(value)}`);
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
