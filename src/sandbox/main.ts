/** `npm run sandbox`: the sandbox alone, configured from SANDBOX_* variables (see `config.ts`). */
import { readSandboxConfig, SandboxConfigError } from './config';
import { SANDBOX_TOKENS, startSandbox } from './index';

/** The device fields of the document's request examples. */
const SAMPLE_BODY = JSON.stringify({
  dataHeader: {
    UTZPE_CNCT_IPAD: '10.0.0.1',
    UTZPE_CNCT_MCHR_UNQ_ID: '3B5E6E7B',
    UTZPE_CNCT_TEL_NO_TXT: '01012341234',
    UTZPE_CNCT_MCHR_IDF_SRNO: 'IMEI',
    UTZ_MCHR_OS_DSCD: '1',
    UTZ_MCHR_OS_VER_NM: '8.0.0',
    UTZ_MCHR_MDL_NM: 'SM-G930S',
    UTZ_MCHR_APP_VER_NM: '1.0.0',
  },
  dataBody: {},
});

/** This is a command-line program: its banner goes to the terminal, not to a log. */
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const shout = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let settings;
  try {
    settings = readSandboxConfig();
  } catch (error) {
    if (!(error instanceof SandboxConfigError)) throw error;
    shout(`sandbox: ${error.message}`);
    process.exit(2);
  }
  const sandbox = await startSandbox(settings);
  const { seed, today, wireFormat } = sandbox.settings;
  say(`Woori API sandbox listening on ${sandbox.url} (seed ${seed}, today ${today}, ${wireFormat} format)`);
  say(`  ledgers:   up to ${sandbox.ledgerEnd}, no later transaction (restart for newer ones)`);
  say(`  appKey:    ${sandbox.credentials.appKey}`);
  say(`  secretKey: ${sandbox.credentials.secretKey}`);
  for (const customer of sandbox.customers) {
    say(
      `  token ${customer.token.padEnd(20)} ${customer.accountNumbers.length} account(s): ${customer.description}`,
    );
  }
  say(`  control: GET /__sandbox/counters, POST /__sandbox/reset, POST /__sandbox/config`);
  say('  try:');
  say(
    `    curl -s -X POST ${sandbox.url}/oai/wb/v1/finance/getIndivAllAccInfo -H 'Content-Type: application/json' ` +
      `-H 'appKey: ${sandbox.credentials.appKey}' -H 'secretKey: ${sandbox.credentials.secretKey}' ` +
      `-H 'Authorization: Bearer ${SANDBOX_TOKENS.demo}' -d '${SAMPLE_BODY}'`,
  );

  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    say(`sandbox: ${signal}, closing`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  shout(`sandbox: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
