import { parseIsoDate } from './data/dates';
import { applyPatch, defaultSettings } from './settings';
import type { SandboxSettings } from './types';

/** A bad environment variable; the message names it. */
export class SandboxConfigError extends Error {
  override readonly name = 'SandboxConfigError';
}

/** The port `npm run sandbox` listens on when SANDBOX_PORT is not set. */
export const DEFAULT_STANDALONE_PORT = 8090;

/**
 * The standalone sandbox's settings from the environment; the only place that reads
 * `process.env`. Unset variables keep the defaults of `startSandbox` (except the port, 8090).
 */
export function readSandboxConfig(env: NodeJS.ProcessEnv = process.env): Partial<SandboxSettings> {
  const settings: Partial<SandboxSettings> = { port: DEFAULT_STANDALONE_PORT };
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new SandboxConfigError(
        `${name} must be an integer from ${min} to ${max}, but got: ${JSON.stringify(raw)}`,
      );
    }
    return value;
  };
  const assign = <K extends keyof SandboxSettings>(key: K, value: SandboxSettings[K] | undefined): void => {
    if (value !== undefined) settings[key] = value;
  };

  assign('port', integer('SANDBOX_PORT', 0, 65535));
  assign('host', read('SANDBOX_HOST'));
  assign('seed', integer('SANDBOX_SEED', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  const today = read('SANDBOX_TODAY');
  if (today !== undefined && parseIsoDate(today) === undefined) {
    throw new SandboxConfigError(
      `SANDBOX_TODAY must be a YYYY-MM-DD date, but got: ${JSON.stringify(today)}`,
    );
  }
  assign('today', today);
  const wireFormat = read('SANDBOX_WIRE_FORMAT');
  if (wireFormat !== undefined && wireFormat !== 'document' && wireFormat !== 'woori') {
    throw new SandboxConfigError(
      `SANDBOX_WIRE_FORMAT must be 'document' or 'woori', but got: ${JSON.stringify(wireFormat)}`,
    );
  }
  assign('wireFormat', wireFormat);
  const maxInt = 2_147_483_647;
  assign('latencyMs', integer('SANDBOX_LATENCY_MS', 0, maxInt));
  assign('jitterMs', integer('SANDBOX_JITTER_MS', 0, maxInt));
  assign('maxRps', integer('SANDBOX_MAX_RPS', 0, maxInt));
  assign('quota', integer('SANDBOX_QUOTA', 0, maxInt));
  assign('maxSpanDays', integer('SANDBOX_MAX_SPAN_DAYS', 1, 100_000));
  assign('stallMs', integer('SANDBOX_STALL_MS', 0, maxInt));
  const faults = read('SANDBOX_FAULTS');
  if (faults !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(faults);
    } catch {
      throw new SandboxConfigError(
        `SANDBOX_FAULTS must be a JSON array of faults, but got: ${JSON.stringify(faults)}`,
      );
    }
    try {
      settings.faults = applyPatch(defaultSettings(0), {
        faults: parsed as SandboxSettings['faults'],
      }).faults;
    } catch (error) {
      throw new SandboxConfigError(`SANDBOX_FAULTS is invalid: ${(error as Error).message}`);
    }
  }
  return settings;
}
