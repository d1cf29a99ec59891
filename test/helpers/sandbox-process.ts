/**
 * The built sandbox (`node dist/sandbox/main.js`) in a process of its own, for tests that read the
 * times at which calls arrive: in the test's own process, its work (and an embedded service's)
 * would delay the arrivals the sandbox records. Call `ensureBuilt()` (./build) first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './build';

export interface SandboxProcess {
  process: ChildProcess;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  stop(): Promise<void>;
}

/** Starts the sandbox on a free port with `SANDBOX_*` settings (e.g. `{ SANDBOX_MAX_RPS: '20' }`). */
export async function spawnSandbox(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'sandbox', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', SANDBOX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`the sandbox exited before listening:\n${output}`)));
  });
  return {
    process: child,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
