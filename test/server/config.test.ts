import { ConfigError, loadConfig } from '../../src/server/config';

const UPSTREAM = {
  WOORI_BASE_URL: 'https://openapi.wooribank.example:8443/',
  WOORI_APP_KEY: 'app-key-0123456789',
  WOORI_SECRET_KEY: 'secret-key-0123456789',
};
const PRODUCTION = { NODE_ENV: 'production', ...UPSTREAM, CURSOR_SECRET: 'x'.repeat(40) };

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts in sandbox mode with defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 4000,
      host: '127.0.0.1',
      maxSpanDays: 366,
      requestDeadlineMs: 30_000,
      trustProxy: false,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      bodyLimitBytes: 102_400,
      cursorSecretGenerated: true,
      sandbox: { latencyMs: 0, wireFormat: 'document' },
    });
    expect(config.upstream).toMatchObject({
      baseUrl: null,
      appKey: null,
      secretKey: null,
      method: 'GET',
      tokenHeader: 'bearer',
      maxSpanDays: 366,
      accountListPath: 'getIndivAllAccInfo',
    });
    expect(config.cursorSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.deviceDefaults)).toBe(true);
  });

  it('makes a new random cursor secret per process when unset outside production', () => {
    expect(loadConfig({}).cursorSecret).not.toEqual(loadConfig({}).cursorSecret);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      ...UPSTREAM,
      PORT: '8080',
      HOST: '0.0.0.0',
      WOORI_HTTP_METHOD: 'post',
      WOORI_TOKEN_HEADER: 'TOKEN',
      WOORI_TIMEOUT_MS: '2500',
      WOORI_MAX_RPS: '5',
      WOORI_REPLICAS: '2',
      WOORI_CONNECTIONS: '8',
      WOORI_ACCOUNT_LIST_PATH: 'getIndivAllAcclInfo',
      WOORI_MAX_SPAN_DAYS: '90',
      MAX_SPAN_DAYS: '180',
      REQUEST_DEADLINE_MS: '9000',
      CURSOR_SECRET: 'c'.repeat(32),
      DEVICE_DEFAULT_ID: 'backend-7',
      DEVICE_DEFAULT_IP: '10.0.0.7',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: '2000',
      BODY_LIMIT_BYTES: '4096',
      SANDBOX_LATENCY_MS: '50',
      SANDBOX_WIRE_FORMAT: 'woori',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      maxSpanDays: 180,
      requestDeadlineMs: 9000,
      cursorSecret: 'c'.repeat(32),
      cursorSecretGenerated: false,
      trustProxy: true,
      logLevel: 'debug',
      shutdownGraceMs: 2000,
      bodyLimitBytes: 4096,
      sandbox: { latencyMs: 50, wireFormat: 'woori' },
    });
    expect(config.upstream).toEqual({
      baseUrl: 'https://openapi.wooribank.example:8443',
      appKey: UPSTREAM.WOORI_APP_KEY,
      secretKey: UPSTREAM.WOORI_SECRET_KEY,
      method: 'POST',
      tokenHeader: 'token',
      timeoutMs: 2500,
      maxRps: 5,
      replicas: 2,
      connections: 8,
      accountListPath: 'getIndivAllAcclInfo',
      maxSpanDays: 90,
    });
    expect(config.deviceDefaults).toMatchObject({ deviceId: 'backend-7', ip: '10.0.0.7' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', WOORI_BASE_URL: '  ' })).toMatchObject({
      port: 4000,
      upstream: { baseUrl: null },
    });
  });

  it('listens on all interfaces by default in production only', () => {
    expect(loadConfig(PRODUCTION).host).toBe('0.0.0.0');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', 'must be a whole number from 0 to 65535, but got "eighty"'],
    [{ PORT: '70000' }, 'PORT', 'must be a whole number from 0 to 65535'],
    [{ PORT: '80.5' }, 'PORT', 'must be a whole number'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', 'must be one of development, production, test'],
    [
      { WOORI_BASE_URL: 'ftp://example.com' },
      'WOORI_BASE_URL',
      'must be an absolute http:// or https:// URL',
    ],
    [{ WOORI_BASE_URL: 'not a url' }, 'WOORI_BASE_URL', 'must be an absolute http:// or https:// URL'],
    [{ WOORI_HTTP_METHOD: 'PUT' }, 'WOORI_HTTP_METHOD', 'must be one of GET, POST'],
    [{ WOORI_TOKEN_HEADER: 'cookie' }, 'WOORI_TOKEN_HEADER', 'must be one of bearer, token'],
    [{ WOORI_TIMEOUT_MS: '0' }, 'WOORI_TIMEOUT_MS', 'must be a whole number from 100'],
    [{ WOORI_MAX_RPS: '-1' }, 'WOORI_MAX_RPS', 'must be a whole number from 0'],
    [{ WOORI_CONNECTIONS: '-1' }, 'WOORI_CONNECTIONS', 'must be a whole number from 1'],
    [{ WOORI_ACCOUNT_LIST_PATH: 'a/b' }, 'WOORI_ACCOUNT_LIST_PATH', 'must be one URL path segment'],
    [{ WOORI_MAX_SPAN_DAYS: '0' }, 'WOORI_MAX_SPAN_DAYS', 'must be a whole number from 1'],
    [{ MAX_SPAN_DAYS: 'x' }, 'MAX_SPAN_DAYS', 'must be a whole number'],
    [{ MAX_QUERY_DEPTH: '1' }, 'MAX_QUERY_DEPTH', 'must be a whole number from 2'],
    [{ MAX_QUERY_COST: 'lots' }, 'MAX_QUERY_COST', 'must be a whole number'],
    [{ REQUEST_DEADLINE_MS: '5' }, 'REQUEST_DEADLINE_MS', 'must be a whole number from 100'],
    [{ CURSOR_SECRET: 'short' }, 'CURSOR_SECRET', 'must be at least 32 characters long'],
    [{ DEVICE_DEFAULT_OS: '12' }, 'DEVICE_DEFAULT_OS', 'must be at most 1 characters long'],
    [{ DEVICE_DEFAULT_IP: 'localhost' }, 'DEVICE_DEFAULT_IP', 'must be an IPv4 or IPv6 address'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', 'must be true or false'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ SHUTDOWN_GRACE_MS: '-5' }, 'SHUTDOWN_GRACE_MS', 'must be a whole number from 0'],
    [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES', 'must be a whole number from 1024'],
    [{ SANDBOX_LATENCY_MS: 'slow' }, 'SANDBOX_LATENCY_MS', 'must be a whole number'],
    [{ SANDBOX_WIRE_FORMAT: 'xml' }, 'SANDBOX_WIRE_FORMAT', 'must be one of'],
    [{ HOST: 'bad host!' }, 'HOST', 'must be an IP address or a host name'],
  ])('rejects %j naming the variable and the rule', (env, variable, rule) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(rule);
  });

  it('requires the upstream in production, naming WOORI_BASE_URL', () => {
    const error = configError({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(40) });
    expect(error.variable).toBe('WOORI_BASE_URL');
    expect(error.message).toMatch(/^WOORI_BASE_URL is required in production/);
  });

  it.each(['WOORI_APP_KEY', 'WOORI_SECRET_KEY', 'CURSOR_SECRET'])('requires %s in production', (variable) => {
    expect(configError({ ...PRODUCTION, [variable]: '' }).variable).toBe(variable);
  });

  it('requires the credentials whenever WOORI_BASE_URL is set', () => {
    expect(configError({ WOORI_BASE_URL: UPSTREAM.WOORI_BASE_URL }).variable).toBe('WOORI_APP_KEY');
  });

  it('never echoes a secret value in its message', () => {
    const error = configError({ CURSOR_SECRET: 'my-short-secret' });
    expect(error.message).not.toContain('my-short-secret');
    const phone = configError({ DEVICE_DEFAULT_PHONE: '0'.repeat(41) });
    expect(phone.message).not.toContain('0'.repeat(41));
  });
});
