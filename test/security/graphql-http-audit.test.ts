/**
 * The GraphQL-over-HTTP audit of the `graphql-http` package against the running service.
 * Warnings that remain, and why, are listed in the README ("GraphQL over HTTP").
 */
import { auditServer } from 'graphql-http';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

/** The audits that query `__type`: introspection is off in production, so they cannot pass there. */
const INTROSPECTION_AUDITS = ['BF61', '28B9'];

describe('graphql-http audit', () => {
  let sandbox: RunningSandbox;
  afterAll(() => sandbox.close());
  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  async function audit(env: Record<string, string>) {
    const service: RunningService = await startService(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }),
    );
    try {
      const results = await auditServer({ url: service.graphqlUrl });
      return results.map((r) => ({ id: r.id, name: r.name, status: r.status }));
    } finally {
      await service.close();
    }
  }

  it('finds no audit in error in development mode', async () => {
    const results = await audit({ NODE_ENV: 'development' });
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('finds in production only the errors of the audits that need introspection', async () => {
    const results = await audit({
      NODE_ENV: 'production',
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: sandbox.credentials.appKey,
      WOORI_SECRET_KEY: sandbox.credentials.secretKey,
      CURSOR_SECRET: 'a production cursor secret of forty chars!',
      CACHE_SECRET: 'a production cache secret of forty chars!!',
    });
    const errors = results.filter((r) => r.status === 'error').map((r) => r.id);
    expect(errors.filter((id) => !INTROSPECTION_AUDITS.includes(id))).toEqual([]);
  });
});
