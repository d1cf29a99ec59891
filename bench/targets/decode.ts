/**
 * The speed of the exact decoding of a 100,000-transaction answer against plain `JSON.parse` on the
 * same text, in a process of its own (a clean heap, `--expose-gc`). The answer is fetched from the
 * sandbox as the client gets it (the socket's chunks, kept as they came), once per wire format; the
 * decoding is the client's own: the chunks fed to the streaming decoder (`GridStreamParser` with
 * `transactionOfRow`, then `decodeAnswer`), from bytes to records. `JSON.parse` gets the text
 * already decoded from UTF-8, so the comparison is, if anything, unfair to the decoder. The methods
 * run in interleaved rounds, each after a full GC, and the best time of each is kept.
 */
import { request } from 'undici';
import type * as Decode from '../../src/woori/decode';
import type * as Parse from '../../src/woori/parse';
import type * as Summary from '../../src/graphql/summary';
import type { TransactionRecord } from '../../src/woori/domain';
import { announceReady, childOptions, runTarget } from '../lib/child';
import { fromDist } from '../lib/dist';
import { transactionChunks } from '../lib/large-range';

export interface DecodeOptions {
  sandboxUrl: string;
  appKey: string;
  secretKey: string;
  token: string;
  accountNumber: string;
  from: string;
  to: string;
  formats: string[];
  rounds: number;
  /** Rounds of the forced lossless path (slow): the first ones only. */
  losslessRounds: number;
}

export interface DecodeFigures {
  format: string;
  bytes: number;
  rows: number;
  /** Whether `parseBody` would take its lossless path on the whole text. */
  needsLossless: boolean;
  /** The streaming decoder's input: the chunks the socket delivered, and the share of bytes it scanned one by one. */
  streamed?: { chunks: number; scannedShare: number };
  /** Best times, in ms. */
  bestMs: { jsonParse: number; decode: number; forcedLossless: number };
  allMs: { jsonParse: number[]; decode: number[]; forcedLossless: number[] };
  /** Both decodings gave the same records. */
  losslessAgrees: boolean;
}

/** `TransactionConnection.summary` over the decoded rows: what exact totals of a year cost. */
export interface SummingFigures {
  rows: number;
  months: number;
  /** Best time of `summarize` over every row, in ms, and every run's. */
  bestMs: number;
  allMs: number[];
  /** Heap growth during the best-timed kind of run (after a full GC, none forced meanwhile), in KB. */
  heapGrowthKb: number;
}

runTarget(async () => {
  // The service's own decoding, as its client calls it; `forced` takes the lossless path always.
  const { decodeAnswer, readTransactions, GridStreamParser, transactionOfRow } =
    fromDist<typeof Decode>('woori/decode');
  const { needsLosslessParse, parseLosslessly } = fromDist<typeof Parse>('woori/parse');
  const options = childOptions<DecodeOptions>();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  let scannedBytes = 0;
  const decode = (chunks: readonly Buffer[]): TransactionRecord[] => {
    const parser = new GridStreamParser(transactionOfRow);
    for (const chunk of chunks) parser.write(chunk);
    const rows = decodeAnswer('listTransactions', parser.end(), readTransactions);
    scannedBytes = parser.scannedBytes;
    return rows;
  };
  const forced = (text: string): TransactionRecord[] =>
    decodeAnswer('listTransactions', parseLosslessly(text), readTransactions);
  const time = (fn: () => unknown): number => {
    gc();
    const started = performance.now();
    fn();
    return performance.now() - started;
  };

  const answers = new Map<string, { chunks: Buffer[]; text: string }>();
  for (const format of options.formats) {
    await control(options.sandboxUrl, { wireFormat: format });
    const chunks = await fetchTransactions(options);
    answers.set(format, { chunks, text: new TextDecoder().decode(Buffer.concat(chunks)) });
  }
  await control(options.sandboxUrl, { wireFormat: 'document' });

  const figures: DecodeFigures[] = [];
  for (const [format, { chunks, text }] of answers) {
    const fast = decode(chunks);
    const exact = forced(text);
    figures.push({
      format,
      bytes: Buffer.byteLength(text),
      rows: fast.length,
      needsLossless: needsLosslessParse(text),
      streamed: { chunks: chunks.length, scannedShare: scannedBytes / Buffer.byteLength(text) },
      bestMs: { jsonParse: Infinity, decode: Infinity, forcedLossless: Infinity },
      allMs: { jsonParse: [], decode: [], forcedLossless: [] },
      losslessAgrees: sameRecords(fast, exact),
    });
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const entry of figures) {
      const { chunks, text } = answers.get(entry.format)!;
      entry.allMs.jsonParse.push(time(() => JSON.parse(text)));
      entry.allMs.decode.push(time(() => decode(chunks)));
      if (round < options.losslessRounds) entry.allMs.forcedLossless.push(time(() => forced(text)));
    }
  }
  for (const entry of figures) {
    entry.bestMs = {
      jsonParse: Math.min(...entry.allMs.jsonParse),
      decode: Math.min(...entry.allMs.decode),
      forcedLossless: Math.min(...entry.allMs.forcedLossless),
    };
  }
  announceReady('', {
    figures,
    summing: measureSumming(decode(answers.values().next().value!.chunks), options.rounds, gc),
  });
});

/**
 * Sums every row as `summary` does (the module is the service's build; its types need
 * reflect-metadata loaded first, as the service's entry point does).
 */
function measureSumming(rows: TransactionRecord[], rounds: number, gc: () => void): SummingFigures {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('reflect-metadata');
  const { summarize } = fromDist<typeof Summary>('graphql/summary');
  const allMs: number[] = [];
  const growthKb: number[] = [];
  let months = 0;
  for (let round = 0; round < Math.max(5, rounds); round++) {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    months = summarize(rows, null, 'KRW').months.length;
    allMs.push(performance.now() - started);
    growthKb.push((process.memoryUsage().heapUsed - heapBefore) / 1024);
  }
  const best = allMs.indexOf(Math.min(...allMs));
  return { rows: rows.length, months, bestMs: allMs[best], allMs, heapGrowthKb: growthKb[best] };
}

/** The answer as the client receives it: the socket's chunks. */
function fetchTransactions(o: DecodeOptions): Promise<Buffer[]> {
  const compact = (date: string): string => date.replaceAll('-', '');
  return transactionChunks(
    { url: o.sandboxUrl, appKey: o.appKey, secretKey: o.secretKey },
    o.token,
    o.accountNumber,
    compact(o.from),
    compact(o.to),
  );
}

async function control(sandboxUrl: string, patch: Record<string, unknown>): Promise<void> {
  const res = await request(`${sandboxUrl}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify(patch),
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`The sandbox refused ${JSON.stringify(patch)}`);
}

function sameRecords(a: readonly TransactionRecord[], b: readonly TransactionRecord[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as unknown as Record<string, unknown>;
    const y = b[i] as unknown as Record<string, unknown>;
    for (const key of Object.keys(x)) if (x[key] !== y[key]) return false;
  }
  return true;
}
