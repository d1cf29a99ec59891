/**
 * A large decode does not hold up other work (issue 16, part 2): while the client decodes the
 * 100,000-transaction year (33 MB in Woori's padded format), the event loop keeps turning and a
 * small call made meanwhile is answered. The bounds are generous (a shared machine); the figures
 * themselves are bench/stall-probe.ts's.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { createCallContext } from '../../src/woori/call-context';
import { WooriClient } from '../../src/woori/client';
import { DEVICE } from './fixtures';

const TODAY = '2024-06-30';
const FROM = '2023-07-01';

let sandbox: RunningSandbox;
let client: WooriClient;
let heavyAccount: string;

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY, wireFormat: 'woori' });
  [heavyAccount] = sandbox.customers.find((customer) => customer.name === 'heavy')!.accountNumbers;
  client = new WooriClient({
    baseUrl: sandbox.url,
    appKey: sandbox.credentials.appKey,
    secretKey: sandbox.credentials.secretKey,
    timeoutMs: 60_000,
  });
  // The sandbox (in this process) renders the year once, on its first call: not the client's work.
  await client.listTransactions(largeContext(), heavyAccount, FROM, TODAY);
}, 60_000);
afterAll(async () => {
  await client.close();
  await sandbox.close();
});

const largeContext = () => createCallContext({ token: SANDBOX_TOKENS.heavy, device: DEVICE });
const smallContext = () => createCallContext({ token: SANDBOX_TOKENS.demo, device: DEVICE });

it('answers small calls and keeps the event loop turning while it decodes the 100,000-row year', async () => {
  // The longest the event loop went without running a 1 ms timer.
  let longestGapMs = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  };
  const ticker = setInterval(tick, 1);
  const smallMs: number[] = [];
  let done = false;
  const large = client.listTransactions(largeContext(), heavyAccount, FROM, TODAY).finally(() => {
    done = true;
  });
  const small = (async () => {
    while (!done) {
      const started = performance.now();
      await client.listAccounts(smallContext());
      smallMs.push(performance.now() - started);
    }
  })();
  const [rows] = await Promise.all([large, small]).finally(() => {
    // The last stretch too: the calls may end right after it, before the timer could run.
    tick();
    clearInterval(ticker);
  });

  expect(rows).toHaveLength(100_000);
  // Small calls went on during the decode, each answered within a generous bound; decoding the
  // whole text at once blocks for the whole decode (about 0.4 s on a quiet machine, over 1 s on a busy one).
  expect(smallMs.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...smallMs)).toBeLessThan(1_000);
  expect(longestGapMs).toBeLessThan(300);
}, 60_000);
