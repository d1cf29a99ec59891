/**
 * The streaming decoder against the whole-text one: for every answer, however it is cut into
 * chunks and batches, `GridStreamParser` gives exactly what `parseBody` + the readers give (the
 * same records, the same error, or a `SyntaxError` for both). The whole-text path is the reference.
 */
import {
  decodeAnswer,
  GridStreamParser,
  parseBody,
  readAccountList,
  readTransactions,
  transactionOfRow,
  accountOfRow,
} from '../../src/woori/decode';
import { WooriError } from '../../src/woori/errors';
import {
  REFERENCE_ACCOUNTS,
  REFERENCE_TRANSACTIONS,
  referenceAccountListBody,
  referenceTransactionsBody,
} from './fixtures';

type Outcome = { value: unknown } | { syntaxError: true } | { error: string };

/** What a decode ends in: its value, a `SyntaxError` (not JSON), or the `WooriError` it throws. */
function outcomeOf(decode: () => unknown): Outcome {
  try {
    return { value: decode() };
  } catch (error) {
    if (error instanceof SyntaxError) return { syntaxError: true };
    if (error instanceof WooriError) return { error: error.message };
    throw error;
  }
}

const wholeText = (text: string) =>
  outcomeOf(() => decodeAnswer('listTransactions', parseBody(text), readTransactions));

function streamed(chunks: Buffer[], batchBytes?: number): Outcome {
  return outcomeOf(() => {
    const parser = new GridStreamParser(transactionOfRow, { batchBytes });
    for (const chunk of chunks) parser.write(chunk);
    return decodeAnswer('listTransactions', parser.end(), readTransactions);
  });
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** Chunks of 1 to `max` bytes, from a small seeded generator: the same cuts on every run. */
function randomChunks(bytes: Buffer, seed: number, max: number): Buffer[] {
  let state = seed;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const size = 1 + (state % max);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** Expects every way of streaming `text` to end as the whole-text decode does, and returns that. */
function expectSameEverywhere(text: string, { everySplit = false } = {}): Outcome {
  const expected = wholeText(text);
  const bytes = Buffer.from(text, 'utf8');
  for (const batchBytes of [1, 64, 700, undefined]) {
    for (const size of [1, 3, 64, 4096, bytes.length]) {
      expect({ size, batchBytes, outcome: streamed(chunksOf(bytes, size), batchBytes) }).toEqual({
        size,
        batchBytes,
        outcome: expected,
      });
    }
    for (const seed of [1, 2, 3]) {
      expect({ seed, batchBytes, outcome: streamed(randomChunks(bytes, seed, 300), batchBytes) }).toEqual({
        seed,
        batchBytes,
        outcome: expected,
      });
    }
  }
  if (everySplit) {
    for (let at = 1; at < bytes.length; at++) {
      const chunks = [bytes.subarray(0, at), bytes.subarray(at)];
      expect({ at, outcome: streamed(chunks, 64) }).toEqual({ at, outcome: expected });
    }
  }
  return expected;
}

/** The reference transactions, repeated to `rows` rows, each memo numbered. */
function manyRows(format: 'document' | 'woori', rows: number) {
  const body = referenceTransactionsBody(format);
  const [first, second] = body.dataBody.GRID;
  body.dataBody.GRID = Array.from({ length: rows }, (_, i) => ({
    ...(i % 2 === 0 ? first : second),
    TRN_TXT: `메모 ${i}`,
  }));
  body.dataBody.GRID_CNT = format === 'document' ? rows : String(rows).padStart(10, '0');
  return body;
}

describe.each(['document', 'woori'] as const)('streaming the %s wire format', (format) => {
  it('decodes the reference transactions exactly, cut anywhere', () => {
    const outcome = expectSameEverywhere(JSON.stringify(referenceTransactionsBody(format)), {
      everySplit: true,
    });
    expect(outcome).toEqual({ value: REFERENCE_TRANSACTIONS });
  });

  it('decodes many rows, compact and pretty-printed', () => {
    const body = manyRows(format, 60);
    const outcome = expectSameEverywhere(JSON.stringify(body));
    expect(outcome).toMatchObject({
      value: expect.arrayContaining([expect.objectContaining({ memo: '메모 59' })]),
    });
    expect(expectSameEverywhere(JSON.stringify(body, null, 2))).toEqual(outcome);
    expect(expectSameEverywhere(JSON.stringify(body, null, '\t').replace(/\n/g, '\r\n'))).toEqual(outcome);
  });

  it('reads the account list with its own row reader', () => {
    const bytes = Buffer.from(JSON.stringify(referenceAccountListBody(format)));
    const parser = new GridStreamParser(accountOfRow, { batchBytes: 1 });
    for (const chunk of chunksOf(bytes, 7)) parser.write(chunk);
    expect(decodeAnswer('listAccounts', parser.end(), readAccountList)).toEqual(REFERENCE_ACCOUNTS);
  });
});

describe('exact amounts', () => {
  it('keeps every digit of 18-digit and long fractional JSON numbers, in any batch', () => {
    const body = manyRows('document', 30);
    const text = JSON.stringify(body)
      .replace(/"DPS_BAL":\d+/, '"DPS_BAL":123456789012345678')
      .replace(
        /"PAY_AM":\d+,"DPS_BAL":(\d+)(?![\s\S]*"PAY_AM")/,
        '"PAY_AM":0.12345678901234567891,"DPS_BAL":$1',
      )
      .replace(/"RCV_AM":\d+/g, (match, at: number) => (at % 3 === 0 ? '"RCV_AM":9007199254740993' : match));
    const outcome = expectSameEverywhere(text) as {
      value: Array<{ balanceAfter: string; withdrawal: string; deposit: string }>;
    };
    expect(outcome.value[0].balanceAfter).toBe('123456789012345678');
    expect(outcome.value[29].withdrawal).toBe('0.12345678901234567891');
    expect(outcome.value.some((row) => row.deposit === '9007199254740993')).toBe(true);
  });

  it("keeps the zero-padded strings of Woori's format exact", () => {
    const text = JSON.stringify(manyRows('woori', 10)).replace(
      /"DPS_BAL":"[^"]*"/,
      '"DPS_BAL":"123456789012345678.120"',
    );
    const outcome = expectSameEverywhere(text) as { value: Array<{ balanceAfter: string }> };
    expect(outcome.value[0].balanceAfter).toBe('123456789012345678.12');
  });
});

describe('the shape of the envelope', () => {
  const rows = JSON.stringify(manyRows('document', 12).dataBody.GRID);

  it.each([
    [
      'dataBody before dataHeader',
      `{"dataBody":{"GRID_CNT":12,"GRID":${rows}},"dataHeader":{"GLBL_ID":"G1"}}`,
    ],
    ['GRID before GRID_CNT', `{"dataHeader":{"GLBL_ID":"G1"},"dataBody":{"GRID":${rows},"GRID_CNT":12}}`],
    [
      'other fields around it, a GRID deeper down that is not the rows',
      `{"dataHeader":{"GLBL_ID":"G1","X":{"GRID":[{"a":1}],"dataBody":{"GRID":[2]}}},"extra":[{"GRID":[]}],` +
        `"dataBody":{"A":{"GRID":[1]},"GRID_CNT":12,"GRID":${rows},"B":[{"c":"]}"}]}}`,
    ],
    ['white space everywhere', ` \n{ "dataHeader" : { } , "dataBody" : { "GRID" : \n ${rows} \r\n } } \t`],
    ['a repeated GRID: the last one counts', `{"dataBody":{"GRID":[{"x":1}],"GRID":${rows}}}`],
    ['a repeated GRID: the last one counts, even empty', `{"dataBody":{"GRID":${rows},"GRID":[]}}`],
    ['a repeated dataBody: the last one counts', `{"dataBody":{"GRID":${rows}},"dataBody":{"GRID_CNT":0}}`],
    ['a GRID key written with an escape (read whole)', `{"dataBody":{"GRI\\u0044":${rows}}}`],
    ['GRID empty', `{"dataBody":{"GRID_CNT":0,"GRID":[]}}`],
    ['GRID null', `{"dataBody":{"GRID_CNT":0,"GRID":null}}`],
    ['GRID absent with a zero count', `{"dataBody":{"GRID_CNT":"000"}}`],
  ])('reads %s as the whole text does', (_name, text) => {
    const outcome = expectSameEverywhere(text);
    expect(outcome).toHaveProperty('value');
  });

  it('keeps escapes, brackets and commas inside strings out of the structure', () => {
    const body = manyRows('document', 8);
    const tricky = ['},{"TRN_DT":"x"}', '"]}}', '\\', 'a\\"},{\\"b', '\u0000\u001f', '😀 한글 ,[]{}:'];
    body.dataBody.GRID.forEach((row, i) => Object.assign(row, { TRN_TXT: tricky[i % tricky.length] }));
    const outcome = expectSameEverywhere(JSON.stringify(body), { everySplit: true }) as {
      value: Array<{ memo: string }>;
    };
    expect(outcome.value.map((row) => row.memo)).toEqual(
      body.dataBody.GRID.map((row) => (row.TRN_TXT.trim() === '' ? null : row.TRN_TXT)),
    );
  });

  it('does not take a GRID that is not an array, or a dataBody that is not an object, for rows', () => {
    for (const text of [
      '{"dataBody":{"GRID":"rows"}}',
      '{"dataBody":[{"GRID":[1]}]}',
      '[{"dataBody":{"GRID":[]}}]',
      '{"dataBody":{"GRID_CNT":2}}',
    ]) {
      expect(expectSameEverywhere(text)).toHaveProperty('error');
    }
  });
});

describe('broken answers', () => {
  const good = JSON.stringify(manyRows('document', 6));

  it('fails as the whole text does wherever the body is cut short', () => {
    const bytes = Buffer.from(good);
    for (let end = 0; end < bytes.length; end++) {
      const text = bytes.subarray(0, end).toString('utf8');
      expect({ end, outcome: streamed(chunksOf(bytes.subarray(0, end), 50), 64) }).toEqual({
        end,
        outcome: wholeText(text),
      });
    }
  });

  it.each([
    ['a trailing comma in GRID', good.replace(/}]}}$/, '},]}}')],
    ['a leading comma in GRID', good.replace('"GRID":[', '"GRID":[,')],
    ['two commas between rows', good.replace('},{', '},,{')],
    ['no comma between rows', good.replace('},{', '}{')],
    ['a brace closing GRID', good.replace(/}]}}$/, '}}}}')],
    ['bytes after the answer', good + '{}'],
    ['a row that is cut', good.replace('},{', ',{')],
  ])('fails on %s', (_name, text) => {
    expect(expectSameEverywhere(text)).toEqual({ syntaxError: true });
  });

  it('names the row that cannot be read, as the whole text does', () => {
    const body = manyRows('document', 40);
    Object.assign(body.dataBody.GRID[25], { PAY_AM: 'lots' });
    const outcome = expectSameEverywhere(JSON.stringify(body));
    expect(outcome).toEqual({
      error: 'Woori API sent an unreadable dataBody.GRID[25].PAY_AM (expected a decimal number)',
    });
    const notARow = JSON.stringify(manyRows('document', 5)).replace('},{', '},7,{');
    expect(expectSameEverywhere(notARow)).toEqual({
      error: 'Woori API sent an unreadable dataBody.GRID[1] (expected an object)',
    });
  });

  it('refuses rows streamed with one reader and read with another', () => {
    const parser = new GridStreamParser(accountOfRow);
    parser.write(Buffer.from(good));
    expect(() => readTransactions((parser.end() as { dataBody: Record<string, unknown> }).dataBody)).toThrow(
      'GRID was streamed with another row reader',
    );
  });
});

describe('how the rows are cut', () => {
  it('cuts usual rows between them without scanning their bytes, and scans when a cut does not parse', () => {
    const usual = Buffer.from(JSON.stringify(manyRows('woori', 400)));
    const parser = new GridStreamParser(transactionOfRow, { batchBytes: 4096 });
    for (const chunk of chunksOf(usual, 8192)) parser.write(chunk);
    parser.end();
    // Only the envelope around the rows is scanned byte by byte.
    const envelope =
      usual.length - Buffer.byteLength(JSON.stringify(manyRows('woori', 400).dataBody.GRID)) + 2;
    expect(parser.scannedBytes).toBe(envelope);
    expect(usual.length).toBeGreaterThan(10 * 8192);

    // Every row starts with a memo holding `},{`: the last candidate for a cut is most often
    // inside a string, the cut does not parse, and scanning takes over.
    const body = manyRows('woori', 400);
    body.dataBody.GRID = body.dataBody.GRID.map(({ TRN_TXT: _memo, ...row }) => ({ TRN_TXT: '},{', ...row }));
    const tricky = Buffer.from(JSON.stringify(body));
    const scanning = new GridStreamParser(transactionOfRow, { batchBytes: 4096 });
    for (const chunk of chunksOf(tricky, 8192)) scanning.write(chunk);
    expect(decodeAnswer('listTransactions', scanning.end(), readTransactions)).toHaveLength(400);
    expect(scanning.scannedBytes).toBeGreaterThan(tricky.length / 2);
  });
});
