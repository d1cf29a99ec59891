import { readSandboxConfig, SandboxConfigError } from '../../src/sandbox/config';
import { startSandbox } from '../../src/sandbox';

describe('sandbox configuration', () => {
  it('reads every SANDBOX_* variable', () => {
    expect(
      readSandboxConfig({
        SANDBOX_PORT: '9000',
        SANDBOX_HOST: '0.0.0.0',
        SANDBOX_SEED: '42',
        SANDBOX_TODAY: '2024-02-29',
        SANDBOX_WIRE_FORMAT: 'woori',
        SANDBOX_LATENCY_MS: '20',
        SANDBOX_JITTER_MS: '5',
        SANDBOX_MAX_RPS: '100',
        SANDBOX_QUOTA: '10000',
        SANDBOX_MAX_SPAN_DAYS: '93',
        SANDBOX_STALL_MS: '1000',
        SANDBOX_FAULTS:
          '[{"code":"SYSCD09999","rate":0.1},{"kind":"stall","rate":0.01,"operations":["listTransactions"]}]',
      }),
    ).toEqual({
      port: 9000,
      host: '0.0.0.0',
      seed: 42,
      today: '2024-02-29',
      wireFormat: 'woori',
      latencyMs: 20,
      jitterMs: 5,
      maxRps: 100,
      quota: 10000,
      maxSpanDays: 93,
      stallMs: 1000,
      faults: [
        { code: 'SYSCD09999', rate: 0.1 },
        { kind: 'stall', rate: 0.01, operations: ['listTransactions'] },
      ],
    });
  });

  it('listens on port 8090 when SANDBOX_PORT is not set', () => {
    expect(readSandboxConfig({})).toEqual({ port: 8090 });
  });

  it.each([
    ['SANDBOX_PORT', 'http'],
    ['SANDBOX_PORT', '70000'],
    ['SANDBOX_SEED', '1.5'],
    ['SANDBOX_TODAY', '2023-02-29'],
    ['SANDBOX_WIRE_FORMAT', 'xml'],
    ['SANDBOX_LATENCY_MS', '-1'],
    ['SANDBOX_MAX_RPS', 'ten'],
    ['SANDBOX_MAX_SPAN_DAYS', '0'],
    ['SANDBOX_FAULTS', '{not json'],
    ['SANDBOX_FAULTS', '[{"code":"SYSCD12345","rate":1}]'],
    ['SANDBOX_FAULTS', '[{"kind":"timeout","rate":2}]'],
  ])('rejects %s=%s with a message naming the variable', (name, value) => {
    expect(() => readSandboxConfig({ [name]: value })).toThrow(SandboxConfigError);
    expect(() => readSandboxConfig({ [name]: value })).toThrow(name);
  });

  it('rejects bad settings with an error naming the field', async () => {
    await expect(startSandbox({ today: '2019-13-01' })).rejects.toThrow(/today/);
    await expect(startSandbox({ maxSpanDays: 0 })).rejects.toThrow(/maxSpanDays/);
    await expect(startSandbox({ faults: [{ rate: 1 }] })).rejects.toThrow(/exactly one of 'code' and 'kind'/);
    await expect(
      startSandbox({ faults: [{ kind: 'timeout', rate: 1, operations: ['everything' as never] }] }),
    ).rejects.toThrow(/faults\[0\]\.operations\[0\]/);
    await expect(
      startSandbox({ faults: [{ code: 'SYSCD09999', rate: 1, accounts: ['1002-146'] }] }),
    ).rejects.toThrow(/faults\[0\]\.accounts\[0\] must be an account number/);
  });

  it('defaults today to the current date in KST and starts quickly', async () => {
    const started = performance.now();
    const sandbox = await startSandbox();
    try {
      expect(performance.now() - started).toBeLessThan(300);
      const kst = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
      expect(sandbox.settings.today).toBe(kst);
      expect(sandbox.settings.port).toBe(0);
      expect(() => sandbox.configure({ seed: 1 } as never)).toThrow(/seed/);
    } finally {
      await sandbox.close();
    }
  });
});
