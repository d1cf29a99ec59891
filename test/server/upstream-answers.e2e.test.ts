/**
 * Upstream answers that are not data, end to end (issue 14): the service with its production
 * policy (retries on) against the sandbox's body faults. The caller gets `UPSTREAM_ERROR`, the
 * upstream gets one call (no retry), and the warning line says why, naming the body limit.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { startService, type RunningService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { captureLogs, type LogCapture } from '../helpers/log-capture';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

let sandbox: RunningSandbox;
let service: RunningService;
let logs: LogCapture;

beforeAll(async () => {
  sandbox = await startSandbox({ today: '2024-06-30' });
  logs = captureLogs();
  service = await startService(
    loadConfig({
      PORT: '0',
      LOG_LEVEL: 'info',
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: sandbox.credentials.appKey,
      WOORI_SECRET_KEY: sandbox.credentials.secretKey,
      WOORI_MAX_BODY_BYTES: String(1024 * 1024),
      // Each test meets a new bad answer for the same call: none may be held back as a broken input.
      WOORI_HOLD_BACK_AFTER_FAILURES: '0',
    }),
    { logDestination: logs.destination },
  );
});
afterAll(async () => {
  await service.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.configure({ faults: [] });
  sandbox.reset();
});

async function accounts(): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_TOKENS.demo}` },
    body: JSON.stringify({ query: '{ accounts { number } }' }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const failedCalls = () =>
  logs
    .lines()
    .filter((line) => line.msg === 'upstream call failed')
    .map((line) => line.upstream as Record<string, unknown>);

it.each([
  [
    'an answer over WOORI_MAX_BODY_BYTES',
    { kind: 'oversized' as const, rate: 1, bytes: 2 * 1024 * 1024 },
    'OVERSIZED',
    `Woori API sent an answer over the body limit of ${1024 * 1024} bytes (it declared ${2 * 1024 * 1024}); maxBodyBytes sets it`,
  ],
  [
    'an endless answer',
    { kind: 'endless' as const, rate: 1 },
    'ENDLESS',
    `Woori API sent an answer over the body limit of ${1024 * 1024} bytes; maxBodyBytes sets it`,
  ],
  [
    'an HTML page with status 200',
    { kind: 'html200' as const, rate: 1 },
    'HTML200',
    'Woori API answered with content type text/html, not JSON (HTTP 200)',
  ],
  [
    'a 299',
    { kind: 'status299' as const, rate: 1 },
    'STATUS299',
    'Woori API answered HTTP 299, which is not an answer it sends',
  ],
])('answers %s with UPSTREAM_ERROR after one call, and logs why', async (_name, fault, code, why) => {
  sandbox.configure({ faults: [fault] });
  const before = failedCalls().length;
  const { status, body } = await accounts();
  expect(status).toBe(200);
  expect(body.data).toBeNull();
  expect(body.errors).toEqual([
    expect.objectContaining({ extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }) }),
  ]);
  expect(sandbox.counters().calls.byCode).toEqual({ [code]: 1 });
  expect(failedCalls().slice(before)).toEqual([
    expect.objectContaining({
      operation: 'listAccounts',
      outcome: 'UPSTREAM_ERROR',
      attempt: 1,
      message: why,
    }),
  ]);
});
