/**
 * GraphiQL in a real browser: headless Chromium (Debian's `chromium`) driven by playwright-core
 * opens the page the service serves, runs the dashboard query of the first tab with the demo
 * customer's header that the page filled in, and finds the demo account in the result. Along the
 * way: nothing is loaded from another origin, and nothing breaks the Content-Security-Policy.
 *
 * Without /usr/bin/chromium the test is skipped locally but fails on CI (`CI` set), where
 * `.ci/run` installs it.
 */
import type { Browser } from 'playwright-core';
import { startService, type RunningService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { describeInChromium, launchChromium } from '../helpers/chromium';

const DEMO_ACCOUNT = '1002146788200';

describeInChromium('GraphiQL in Chromium', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('runs the dashboard query and shows the demo account', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(service.url) && !request.url().startsWith('data:'))
        foreign.push(request.url());
    });

    await page.goto(service.graphqlUrl, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.graphiql-tab', { hasText: 'Dashboard' }).first().waitFor({ timeout: 10_000 });

    const [response] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.url() === service.graphqlUrl &&
          r.request().method() === 'POST' &&
          isOperation(r.request().postData(), 'Dashboard'),
      ),
      page.locator('.graphiql-execute-button').click(),
    ]);
    expect(response.request().headers().authorization).toBe('Bearer sandbox-token-demo');
    await page.locator('.graphiql-response').getByText(DEMO_ACCOUNT).first().waitFor({ timeout: 30_000 });
    const shown = await page.locator('.graphiql-response').innerText();
    expect(shown).toContain(`"number": "${DEMO_ACCOUNT}"`);
    expect(shown).toContain('thisMonth');

    expect(foreign).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.close();
  }, 90_000);
});

function isOperation(postData: string | null, name: string): boolean {
  try {
    return (JSON.parse(postData ?? '{}') as { operationName?: string }).operationName === name;
  } catch {
    return false;
  }
}
