/**
 * The demo dashboard in a real browser: headless Chromium (Debian's `chromium`) driven by
 * playwright-core opens `/demo`, which renders the demo customer's balances, a chart per account
 * and its latest transactions. Every figure on the page is compared with the API's own answer to
 * the same operation; "load more" brings the next page; nothing fails, nothing is loaded from
 * another origin, and nothing breaks the Content-Security-Policy.
 *
 * Without /usr/bin/chromium the test is skipped locally but fails on CI (`CI` set), where
 * `.ci/run` installs it.
 */
import type { Browser, Page } from 'playwright-core';
import { startService, type RunningService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { DemoConfig } from '../../src/server/demo';
import type { DemoDashboardQuery, DemoTransactionsQuery } from '../generated/graphql';
import { describeInChromium, launchChromium } from '../helpers/chromium';

describeInChromium('the demo dashboard in Chromium', () => {
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

  /** A page of the browser with everything that can go wrong on it recorded. */
  async function open(): Promise<{ page: Page; problems: string[]; graphqlBodies: unknown[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    const graphqlBodies: unknown[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(service.url) && !request.url().startsWith('data:'))
        problems.push(`foreign: ${request.url()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
      if (response.url() === service.graphqlUrl)
        void response.json().then(
          (body) => graphqlBodies.push(body),
          () => undefined,
        );
    });
    return { page, problems, graphqlBodies };
  }

  async function api<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('renders balances, a 12-month chart per account and the latest transactions, as the API answers them', async () => {
    const { page, problems, graphqlBodies } = await open();
    const response = await page.goto(service.demoUrl!, { waitUntil: 'load' });
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self';.*style-src 'self';/);
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe');
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30_000 });

    const config = JSON.parse((await page.locator('#demo-config').textContent()) ?? '') as DemoConfig;
    expect(config.token).toBe(service.sandbox!.demoToken);
    expect(config.months).toHaveLength(12);
    const expected = await api<DemoDashboardQuery>(
      config.operations.dashboard,
      { from: config.from, to: config.to, first: 5 },
      config.token!,
    );

    const balances = await page
      .locator('#balances .balance')
      .evaluateAll((items) =>
        items.map((li) => [
          li.getAttribute('data-currency'),
          li.querySelector('.amount')?.getAttribute('data-amount'),
        ]),
      );
    expect(balances).toEqual(expected.balances.map((b) => [b.currency, b.total.amount]));

    const accounts = page.locator('section.account');
    expect(await accounts.count()).toBe(expected.accounts.length);
    for (const [i, account] of expected.accounts.entries()) {
      const section = accounts.nth(i);
      expect(await section.getAttribute('data-number')).toBe(account.number);
      const groups = await section.locator('svg.chart g.month').evaluateAll((gs) =>
        gs.map((g) => ({
          month: g.getAttribute('data-month'),
          deposits: g.getAttribute('data-deposits'),
          withdrawals: g.getAttribute('data-withdrawals'),
        })),
      );
      // One group per month; a month the summary does not list had no transactions.
      const months = new Map(account.transactions!.summary.months.map((m) => [m.month, m]));
      expect(groups).toEqual(
        config.months.map((month) => ({
          month,
          deposits: months.get(month)?.deposits.amount ?? '0',
          withdrawals: months.get(month)?.withdrawals.amount ?? '0',
        })),
      );
      expect([...months.keys()].every((m) => config.months.includes(m))).toBe(true);
      const shown = await section
        .locator('.transactions .transaction')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-occurred-at')));
      expect(shown).toEqual(account.transactions!.nodes.map((n) => n.occurredAt));
    }
    // Some month of the demo account moved money, or the chart would prove nothing.
    expect(expected.accounts[0].transactions!.summary.months.length).toBeGreaterThan(0);

    // The page's own request cost the account list and one transactions call per account.
    const dashboard = graphqlBodies.find((b) => (b as { data?: { balances?: unknown } }).data?.balances) as {
      extensions: { upstream: { calls: number } };
    };
    expect(dashboard.extensions.upstream.calls).toBe(1 + expected.accounts.length);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('loads more transactions after the last one shown, as the API pages them', async () => {
    const { page, problems } = await open();
    await page.goto(service.demoUrl!, { waitUntil: 'load' });
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30_000 });
    const config = JSON.parse((await page.locator('#demo-config').textContent()) ?? '') as DemoConfig;
    const expected = await api<DemoDashboardQuery>(
      config.operations.dashboard,
      { from: config.from, to: config.to, first: 5 },
      config.token!,
    );
    const index = expected.accounts.findIndex((a) => a.transactions?.pageInfo.hasNextPage);
    expect(index).toBeGreaterThanOrEqual(0);
    const account = expected.accounts[index];
    const next = await api<DemoTransactionsQuery>(
      config.operations.transactions,
      {
        number: account.number,
        from: config.from,
        to: config.to,
        first: 10,
        after: account.transactions!.pageInfo.endCursor,
      },
      config.token!,
    );

    const section = page.locator('section.account').nth(index);
    await section.locator('button.load-more').click();
    const items = section.locator('.transactions .transaction');
    await items.nth(5 + next.account!.transactions!.nodes.length - 1).waitFor({ timeout: 30_000 });
    const shown = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-occurred-at')));
    expect(shown).toEqual([
      ...account.transactions!.nodes.map((n) => n.occurredAt),
      ...next.account!.transactions!.nodes.map((n) => n.occurredAt),
    ]);
    expect(await section.locator('button.load-more').isHidden()).toBe(
      !next.account!.transactions!.pageInfo.hasNextPage,
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("shows another customer's balances in every currency when its token is entered", async () => {
    const { page, problems } = await open();
    await page.goto(service.demoUrl!, { waitUntil: 'load' });
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30_000 });
    await page.locator('#token').fill('sandbox-token-many');
    await page.locator('#token-form button').click();
    await page.locator('section.account').nth(49).waitFor({ timeout: 60_000 });
    const currencies = await page
      .locator('#balances .balance')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-currency')));
    expect([...currencies].sort()).toEqual(['CNY', 'EUR', 'JPY', 'KRW', 'USD', 'XAU']);
    expect(await page.locator('svg.chart g.month').count()).toBe(50 * 12);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('is linked from GraphiQL and not served in production', async () => {
    const { page, problems } = await open();
    await page.goto(service.graphqlUrl, { waitUntil: 'load' });
    const link = page.locator('a.graphiql-demo-link');
    await link.waitFor({ state: 'visible', timeout: 30_000 });
    await Promise.all([page.waitForURL(service.demoUrl!), link.click()]);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
    await page.close();

    const production = await startService(
      loadConfig({
        NODE_ENV: 'production',
        CACHE_SECRET: 'k'.repeat(48),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        WOORI_BASE_URL: service.sandbox!.url,
        WOORI_APP_KEY: 'SBXwooriOpenApiSandboxAppKey20190628',
        WOORI_SECRET_KEY: 'sbxSecretKeyForWooriSandbox2019',
        CURSOR_SECRET: 'a production cursor secret of 32+ chars',
      }),
    );
    try {
      expect(production.demoUrl).toBeNull();
      expect((await fetch(`${production.url}/demo`)).status).toBe(404);
    } finally {
      await production.close();
    }
  }, 60_000);
});
