import { RetryBudget } from '../../src/woori/retry-budget';

function budgetAt(options: ConstructorParameters<typeof RetryBudget>[0]) {
  const clock = { now: 0 };
  const budget = new RetryBudget({ ...options, now: () => clock.now });
  return { budget, clock };
}

function retriesAllowed(budget: RetryBudget, max = 1000): number {
  let allowed = 0;
  while (allowed < max && budget.tryRetry()) allowed++;
  return allowed;
}

describe('RetryBudget', () => {
  it('allows the per-second allowance over the window when there is no traffic', () => {
    const { budget } = budgetAt({ percent: 20, minPerSecond: 1, windowMs: 10_000 });
    expect(retriesAllowed(budget)).toBe(10);
  });

  it('lets retries add at most the percentage to the calls of the window', () => {
    const { budget } = budgetAt({ percent: 20, minPerSecond: 0 });
    for (let i = 0; i < 100; i++) budget.recordCall();
    expect(retriesAllowed(budget)).toBe(20);
    for (let i = 0; i < 5; i++) budget.recordCall();
    expect(retriesAllowed(budget)).toBe(1);
  });

  it('forgets calls and retries once they leave the sliding window', () => {
    const { budget, clock } = budgetAt({ percent: 50, minPerSecond: 0, windowMs: 3_000 });
    for (let i = 0; i < 10; i++) budget.recordCall();
    expect(retriesAllowed(budget, 2)).toBe(2);
    clock.now = 1_500;
    for (let i = 0; i < 10; i++) budget.recordCall();
    // 20 calls earn 10 retries; 2 are spent.
    expect(budget.available()).toBe(8);
    clock.now = 3_000;
    // The first second (10 calls, 2 retries) has left the window.
    expect(budget.available()).toBe(5);
    clock.now = 4_999;
    expect(budget.available()).toBe(0);
    clock.now = 60_000;
    expect(budget.available()).toBe(0);
    budget.recordCall();
    budget.recordCall();
    expect(budget.available()).toBe(1);
  });

  it('refuses every retry when both the percentage and the allowance are zero', () => {
    const { budget } = budgetAt({ percent: 0, minPerSecond: 0 });
    for (let i = 0; i < 1000; i++) budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
  });

  it('names the bad option', () => {
    expect(() => new RetryBudget({ percent: -1 })).toThrow('percent');
    expect(() => new RetryBudget({ windowMs: 1500 })).toThrow('windowMs');
  });
});
