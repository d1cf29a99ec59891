/**
 * The parent side of the benchmark's child processes: one process per target (and one for the
 * sandbox), so that each one's memory and CPU can be read apart. A child that exits before it is
 * told to stop fails the benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ReadyMessage } from './child';
import { DIST, RESULTS, ROOT } from './dist';

export interface ChildSpec {
  /** A short name: the log file is `bench/results/<name>.log.tmp`. */
  name: string;
  /** The script to run with `node`, relative to the repository's root. */
  script: string;
  args?: string[];
  env?: Record<string, string>;
  execArgv?: string[];
  /** How the child says it serves: an IPC `ready` message, or 200 from a health URL. */
  ready: { ipc: true } | { healthUrl: string; url: string };
  startTimeoutMs?: number;
}

export interface RunningChild {
  name: string;
  pid: number;
  /** Where it serves (for targets, the GraphQL endpoint). */
  url: string;
  /** What its `ready` message carried. */
  detail: Record<string, unknown>;
  /** Set when the child exited without being asked to. */
  failure(): Error | null;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** The compiled benchmark's own files (targets), under dist/bench. */
export function benchScript(relativePath: string): string {
  return join(DIST, 'bench', 'bench', `${relativePath}.js`);
}

export async function startChild(spec: ChildSpec): Promise<RunningChild> {
  const logFile = join(RESULTS, `${spec.name}.log.tmp`);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(spec.execArgv ?? []), spec.script, ...(spec.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...spec.env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  let stopping = false;
  let failure: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        failure = new Error(
          `${spec.name} exited unexpectedly (code ${code}, signal ${signal}); its output:\n${tail(logFile)}`,
        );
      }
      resolve(code);
    });
  });
  if (child.pid === undefined) throw new Error(`${spec.name} did not start`);

  const { url, detail } = await withTimeout(
    waitUntilReady(spec, child, () => failure),
    spec.startTimeoutMs ?? 30_000,
    () => `${spec.name} did not get ready; its output:\n${tail(logFile)}`,
  ).catch((error: unknown) => {
    stopping = true;
    child.kill('SIGKILL');
    throw error;
  });
  return {
    name: spec.name,
    pid: child.pid,
    url,
    detail,
    failure: () => failure,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A TCP port that was free a moment ago, for a child that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The last lines a child wrote. */
export function tail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

async function waitUntilReady(
  spec: ChildSpec,
  child: ChildProcess,
  failure: () => Error | null,
): Promise<{ url: string; detail: Record<string, unknown> }> {
  if ('ipc' in spec.ready) {
    return new Promise((resolve, reject) => {
      child.on('message', (message: ReadyMessage) => {
        if (message?.type === 'ready') resolve({ url: message.url, detail: message.detail ?? {} });
      });
      child.once('exit', () => reject(failure() ?? new Error(`${spec.name} exited before it was ready`)));
    });
  }
  const { healthUrl, url } = spec.ready;
  for (;;) {
    const error = failure();
    if (error) throw error;
    const ok = await fetch(healthUrl).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return { url, detail: {} };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
