import { ConfigError, loadConfig } from '../../src/server/config';

const UPSTREAM = {
  WOORI_BASE_URL: 'https://openapi.wooribank.example:8443/',
  WOORI_APP_KEY: 'app-key-0123456789',
  WOORI_SECRET_KEY: 'secret-key-0123456789',
};
const PRODUCTION = {
  NODE_ENV: 'production',
  ...UPSTREAM,
  CURSOR_SECRET: 'x'.repeat(40),
  CACHE_SECRET: 'y'.repeat(40),
};

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
      WOORI_MAX_BODY_BYTES: '1048576',
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
      maxBodyBytes: 1048576,
      maxSpanDays: 90,
    });
    expect(config.deviceDefaults).toMatchObject({ deviceId: 'backend-7', ip: '10.0.0.7' });
  });

  it('has no Redis and an in-process cache with a random secret by default', () => {
    const config = loadConfig({});
    expect(config.redis).toBeNull();
    expect(config.cache).toMatchObject({
      ttlSeconds: 30,
      historyTtlSeconds: 3600,
      secretGenerated: true,
      maxEntryBytes: 16_777_216,
      maxBytes: 67_108_864,
    });
    expect(config.cache.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).cache.secret).not.toEqual(config.cache.secret);
  });

  it('reads the Redis and cache settings', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://user:pa%40ss@redis.internal:6380/2',
      REDIS_COMMAND_TIMEOUT_MS: '150',
      REDIS_CONNECT_TIMEOUT_MS: '900',
      CACHE_TTL_SECONDS: '0',
      CACHE_HISTORY_TTL_SECONDS: '600',
      CACHE_SECRET: 's'.repeat(32),
      CACHE_MAX_ENTRY_BYTES: '2048',
      CACHE_MAX_BYTES: '4096',
    });
    expect(config.redis).toEqual({
      url: 'rediss://user:pa%40ss@redis.internal:6380/2',
      commandTimeoutMs: 150,
      connectTimeoutMs: 900,
    });
    expect(config.cache).toEqual({
      ttlSeconds: 0,
      historyTtlSeconds: 600,
      secret: 's'.repeat(32),
      secretGenerated: false,
      maxEntryBytes: 2048,
      maxBytes: 4096,
    });
    expect(Object.isFrozen(config.redis)).toBe(true);
    expect(Object.isFrozen(config.cache)).toBe(true);
  });

  it.each(['http://redis.internal:6379', 'redis://', 'redis://host:6379/not-a-db', 'not a url'])(
    'rejects REDIS_URL %s, naming the variable and the rule',
    (value) => {
      const error = configError({ REDIS_URL: value });
      expect(error.variable).toBe('REDIS_URL');
      expect(error.message).toMatch(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    },
  );

  it('never echoes a Redis URL, which may carry a password', () => {
    const error = configError({ REDIS_URL: 'http://user:hunter2-secret@redis:6379' });
    expect(error.message).not.toContain('hunter2-secret');
  });

  it.each([
    [{ CACHE_TTL_SECONDS: '-1' }, 'CACHE_TTL_SECONDS', 'must be a whole number from 0 to 86400'],
    [{ CACHE_HISTORY_TTL_SECONDS: 'an hour' }, 'CACHE_HISTORY_TTL_SECONDS', 'must be a whole number'],
    [{ CACHE_SECRET: 'short' }, 'CACHE_SECRET', 'must be at least 32 characters long'],
    [{ CACHE_MAX_ENTRY_BYTES: '12' }, 'CACHE_MAX_ENTRY_BYTES', 'must be a whole number from 1024'],
    [
      { CACHE_MAX_ENTRY_BYTES: '8192', CACHE_MAX_BYTES: '4096' },
      'CACHE_MAX_ENTRY_BYTES',
      'must be at most CACHE_MAX_BYTES (4096), but got 8192',
    ],
    [{ REDIS_COMMAND_TIMEOUT_MS: '0', REDIS_URL: 'redis://r:6379' }, 'REDIS_COMMAND_TIMEOUT_MS', 'from 10'],
  ])('rejects %j naming the variable and the rule', (env, variable, rule) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(rule);
  });

  it('requires CACHE_SECRET in production while caching is on, and not when it is off', () => {
    const { CACHE_SECRET: _secret, ...withoutSecret } = PRODUCTION;
    const error = configError(withoutSecret);
    expect(error.variable).toBe('CACHE_SECRET');
    expect(error.message).toMatch(/^CACHE_SECRET is required in production while caching is on/);
    expect(() =>
      loadConfig({ ...withoutSecret, CACHE_TTL_SECONDS: '0', CACHE_HISTORY_TTL_SECONDS: '0' }),
    ).not.toThrow();
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
    [{ WOORI_MAX_BODY_BYTES: '100' }, 'WOORI_MAX_BODY_BYTES', 'must be a whole number from 1024'],
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

  it('refuses trusted documents on a federation subgraph, whose queries a router writes', () => {
    const error = configError({ TRUSTED_DOCUMENTS: '/tmp/manifest.json', FEDERATION_SUBGRAPH: 'true' });
    expect(error.variable).toBe('TRUSTED_DOCUMENTS');
    expect(error.message).toMatch(/must be unset when FEDERATION_SUBGRAPH=true/);
  });

  it('never echoes a secret value in its message', () => {
    const error = configError({ CURSOR_SECRET: 'my-short-secret' });
    expect(error.message).not.toContain('my-short-secret');
    expect(configError({ CACHE_SECRET: 'my-short-cache-secret' }).message).not.toContain('my-short');
    const phone = configError({ DEVICE_DEFAULT_PHONE: '0'.repeat(41) });
    expect(phone.message).not.toContain('0'.repeat(41));
  });
});
