/**
 * The streaming decoder against the whole-text one, side by side in one process (interleaved
 * rounds, a full GC before each): `node --expose-gc dist/bench/bench/decode-stream.js [rounds]`
 * after `npm run build && tsc -p bench/tsconfig.json`.
 *
 * The answers are fetched from an in-process sandbox as the client receives them (the socket's own
 * chunks, kept as they came), in both wire formats and in four sizes, from a dashboard's month of
 * one everyday account to the 100,000-transaction year. For each: the whole-text decode (join the
 * chunks, UTF-8, `parseBody`, `readTransactions`: what the client did before) and the streaming one
 * (`GridStreamParser` fed the same chunks). It prints the best and median times, their ratio, and
 * how many bytes the streaming decoder had to scan one by one. The figures choose whether small
 * answers keep the whole-text path (see `src/woori/client.ts`).
 */
import { loadavg } from 'node:os';
import type * as Decode from '../src/woori/decode';
import type * as Sandbox from '../src/sandbox';
import { fromDist } from './lib/dist';
import { transactionChunks } from './lib/large-range';

interface Answer {
  name: string;
  format: string;
  chunks: Buffer[];
  bytes: number;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 7);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with node --expose-gc');
  const { startSandbox } = fromDist<typeof Sandbox>('sandbox/index');
  const decode = fromDist<typeof Decode>('woori/decode');
  const sandbox = await startSandbox({ today: '2024-06-30' });
  const heavy = sandbox.customers.find((c) => c.name === 'heavy')!;
  const ten = sandbox.customers.find((c) => c.name === 'ten')!;
  const ranges = [
    {
      name: 'one month of an everyday account',
      token: ten.token,
      account: ten.accountNumbers[0],
      from: '20240601',
    },
    {
      name: 'one day of the heavy account',
      token: heavy.token,
      account: heavy.accountNumbers[0],
      from: '20240629',
    },
    {
      name: 'one month of the heavy account',
      token: heavy.token,
      account: heavy.accountNumbers[0],
      from: '20240601',
    },
    { name: 'the 100,000-row year', token: heavy.token, account: heavy.accountNumbers[0], from: '20230701' },
  ];
  const answers: Answer[] = [];
  for (const format of ['document', 'woori'] as const) {
    sandbox.configure({ wireFormat: format });
    for (const range of ranges) {
      const chunks = await transactionChunks(
        { url: sandbox.url, ...sandbox.credentials },
        range.token,
        range.account,
        range.from,
        '20240630',
      );
      answers.push({ name: range.name, format, chunks, bytes: chunks.reduce((n, c) => n + c.length, 0) });
    }
  }
  await sandbox.close();

  const wholeText = (answer: Answer) =>
    decode.decodeAnswer(
      'listTransactions',
      decode.parseBody(new TextDecoder().decode(Buffer.concat(answer.chunks))),
      decode.readTransactions,
    );
  const streamed = (answer: Answer) => {
    const parser = new decode.GridStreamParser(decode.transactionOfRow);
    for (const chunk of answer.chunks) parser.write(chunk);
    return { rows: decode.decodeAnswer('listTransactions', parser.end(), decode.readTransactions), parser };
  };

  const times = answers.map(() => ({ whole: [] as number[], stream: [] as number[] }));
  const loads = [loadavg()[0]];
  for (let round = 0; round < rounds; round++) {
    answers.forEach((answer, i) => {
      // Small answers decode in microseconds: repeat them to a measurable time.
      const repeat = Math.max(1, Math.round(2_000_000 / answer.bytes));
      for (const method of round % 2 === 0
        ? (['whole', 'stream'] as const)
        : (['stream', 'whole'] as const)) {
        gc();
        const started = performance.now();
        for (let r = 0; r < repeat; r++) {
          if (method === 'whole') wholeText(answer);
          else streamed(answer);
        }
        times[i][method].push((performance.now() - started) / repeat);
      }
    });
    loads.push(loadavg()[0]);
  }

  const lines = [
    `| answer | format | bytes | chunks | rows | whole text best / median ms | streamed best / median ms | streamed ÷ whole (best) | scanned byte by byte |`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  answers.forEach((answer, i) => {
    const whole = wholeText(answer);
    const { rows, parser } = streamed(answer);
    if (JSON.stringify(whole) !== JSON.stringify(rows))
      throw new Error(`${answer.name}: the two decodes differ`);
    const { whole: w, stream: s } = times[i];
    lines.push(
      `| ${answer.name} | ${answer.format} | ${answer.bytes} | ${answer.chunks.length} | ${rows.length} | ` +
        `${fmt(Math.min(...w))} / ${fmt(median(w))} | ${fmt(Math.min(...s))} / ${fmt(median(s))} | ` +
        `${(Math.min(...s) / Math.min(...w)).toFixed(2)} | ${((100 * parser.scannedBytes) / answer.bytes).toFixed(1)}% |`,
    );
  });
  const load = `load average (1 min) ${loads.map((l) => l.toFixed(2)).join(' → ')}`;
  process.stdout.write(
    `${lines.join('\n')}\n\n${rounds} interleaved rounds, node ${process.version}; ${load}\n`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
