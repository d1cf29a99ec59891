/**
 * Prints the schema built from the code to `schema.graphql`, and the same schema as an Apollo
 * Federation 2 subgraph (what `_service { sdl }` answers with FEDERATION_SUBGRAPH=true) to
 * `subgraph.graphql` (`npm run schema`), or with `--check` fails when either committed file is stale.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { createSubgraphSchema, subgraphSdl } from '../src/graphql/federation';
import { createSchema } from '../src/graphql/schema';

export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');
export const SUBGRAPH_PATH = join(__dirname, '..', 'subgraph.graphql');

const LIMITS = { maxSpanDays: 366, upstreamMaxSpanDays: 366 };

export async function renderSchema(): Promise<string> {
  const schema = await createSchema();
  return `# Generated from the code by \`npm run schema\`: do not edit.\n\n${printSchema(schema)}\n`;
}

export async function renderSubgraphSchema(): Promise<string> {
  const sdl = await subgraphSdl(await createSubgraphSchema(LIMITS));
  return `# Generated from the code by \`npm run schema\`: do not edit. The subgraph's SDL for composition\n# (FEDERATION_SUBGRAPH=true), as it answers \`_service { sdl }\`.\n\n${sdl}\n`;
}

async function main(): Promise<void> {
  const files = [
    { path: SCHEMA_PATH, text: await renderSchema() },
    { path: SUBGRAPH_PATH, text: await renderSubgraphSchema() },
  ];
  if (process.argv.includes('--check')) {
    const stale = files.filter((f) => readFileSync(f.path, 'utf8') !== f.text);
    for (const f of stale) console.error(`${f.path} is stale: run \`npm run schema\`.`);
    if (stale.length > 0) process.exit(1);
    return;
  }
  for (const f of files) writeFileSync(f.path, f.text);
}

if (require.main === module) void main();
