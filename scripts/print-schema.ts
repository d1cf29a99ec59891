/**
 * Prints the schema built from the code to `schema.graphql` (`npm run schema`), or with `--check`
 * fails when the committed file is stale.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { createSchema } from '../src/graphql/schema';

export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

export async function renderSchema(): Promise<string> {
  const schema = await createSchema({ maxSpanDays: 366, upstreamMaxSpanDays: 366 });
  return `# Generated from the code by \`npm run schema\`: do not edit.\n\n${printSchema(schema)}\n`;
}

async function main(): Promise<void> {
  const text = await renderSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_PATH, 'utf8') !== text) {
      console.error('schema.graphql is stale: run `npm run schema`.');
      process.exit(1);
    }
    return;
  }
  writeFileSync(SCHEMA_PATH, text);
}

if (require.main === module) void main();
