/**
 * Debian's Chromium for the browser tests, driven by playwright-core. Without /usr/bin/chromium a
 * browser test is skipped locally, with the reason, but fails on CI (`CI` set), where `.ci/run`
 * installs it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium, as every browser test launches it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
}

/** `describe(name, tests)` when Chromium is installed; otherwise one test that says why it did not run. */
export function describeInChromium(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, tests);
    return;
  }
  const why = `${CHROMIUM} is missing (install it with: apt-get install -y chromium)`;
  if (process.env.CI) {
    it(name, () => {
      throw new Error(`${why}; CI must install it before the tests (see .ci/run).`);
    });
  } else {
    it.skip(`${name} (skipped: ${why})`, () => undefined);
  }
}
