/**
 * The command line: `node dist/server/main.js` (`npm start`). Reads the settings, starts the
 * service, prints where GraphiQL is, and shuts down gracefully on SIGTERM or SIGINT.
 *
 * Logs are JSON lines on standard output; the human-readable banner and fatal start-up messages go
 * to standard error, so that standard output stays machine-readable.
 */
import 'reflect-metadata';
import { startService, type RunningService } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { Redactor } from './redact';

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
    throw error;
  }

  let service: RunningService;
  try {
    service = await startService(config);
  } catch (error) {
    const redactor = new Redactor([config.upstream.appKey, config.upstream.secretKey, config.cursorSecret]);
    fail(`Could not start: ${redactor.text(error instanceof Error ? error.message : String(error))}`);
  }

  process.stderr.write(banner(service));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, 'signal received');
    // However the drain goes, the process is gone within the grace period.
    setTimeout(() => {
      service.logger.error('shutdown did not finish within SHUTDOWN_GRACE_MS; exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function banner(service: RunningService): string {
  const lines = ['', `  Woori GraphQL is listening at ${service.graphqlUrl}`];
  if (service.graphiqlUrl) lines.push(`  GraphiQL:  open ${service.graphiqlUrl} in a browser`);
  if (service.demoUrl) lines.push(`  Demo:      open ${service.demoUrl} (a dashboard built on the API)`);
  if (service.sandbox) {
    lines.push(
      `  Upstream:  the embedded sandbox at ${service.sandbox.url} (WOORI_BASE_URL is unset)`,
      `  Demo customer's header:  Authorization: Bearer ${service.sandbox.demoToken}`,
    );
  }
  lines.push(
    `  Health: ${service.url}/healthz  Readiness: ${service.url}/readyz  Metrics: ${service.metricsUrl}`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  fail(`Unexpected start-up failure: ${error instanceof Error ? error.name : String(error)}`);
});
