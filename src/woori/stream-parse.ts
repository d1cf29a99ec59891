import { DecodeError } from './errors';
import { parseBody } from './parse';

/**
 * The streaming parse strategy of the decoder: an answer's bytes in, as they arrive; its parsed
 * body out, with the rows of `dataBody.GRID` already read, one batch at a time, by a row reader of
 * `decode.ts`. So the whole text, the whole parsed tree and the records never live at once: only
 * the records, and a batch of bytes and of parsed rows at a time.
 *
 * It is not a JSON tokenizer: `JSON.parse` does the parsing, a batch of whole rows at a time
 * (through `parseBody`, which takes the lossless parser for a batch holding a number that needs it).
 * A byte scanner finds where the rows of `dataBody.GRID` start (it follows strings, nesting and the
 * keys of the first two levels). Inside the rows, where the bytes are, a batch is cut at the last
 * `}` followed by `,` and `{` and parsed as `[…]`: if that parses, the cut was between two rows
 * (JSON is read left to right, so a cut inside a string or a row leaves something unclosed, and
 * an array that ends early leaves bytes after it; either is a `SyntaxError`). When it does not
 * parse, or no such cut is found, the scanner reads those bytes one by one instead, and after two
 * such misses it reads the rest of the rows that way. Everything outside the rows (the envelope,
 * `GRID_CNT`, any other field) is kept as bytes and parsed once at the end, the rows standing in as
 * a {@link StreamedGrid}. Measured on the 100,000-transaction answer (bench/PROBES.md): the
 * JavaScript tokenizers `@streamparser/json` and `stream-json` were 5 and 25 times slower than
 * `JSON.parse`; scanning every byte in JavaScript cost about a third to all of the parse itself;
 * this decodes as fast as the whole text (bench/decode-stream.ts).
 *
 * Every byte is either in the skeleton or in a batch, and both are parsed by `JSON.parse`, so
 * malformed JSON anywhere fails as it would in one `JSON.parse` of the whole text; the scanner adds
 * the checks at the seams between batches (no empty element, no trailing comma). A `GRID` it does
 * not recognise (a key written with escapes) stays in the skeleton and is read as before.
 */

/** Reads one row of a `GRID` (a plain function of the row alone: `transactionOfRow`, `accountOfRow`). */
export type RowReader<T> = (row: Record<string, unknown>) => T;

/**
 * `dataBody.GRID` of an answer parsed by {@link GridStreamParser}: its rows, read as they arrived
 * by `readRow`, or the first row that could not be read (the rows after it are not read).
 */
export class StreamedGrid<T> {
  constructor(
    readonly readRow: RowReader<T>,
    readonly rows: T[],
    /** Names the row as the readers of `decode.ts` do: `GRID[3].PAY_AM`. */
    readonly error: DecodeError | undefined,
  ) {}
}

export interface GridStreamOptions {
  /**
   * Rows are parsed in batches of at least this many bytes (a batch ends at the first row boundary
   * after it). Default 32 KiB: the cost of a call to `JSON.parse` is then noise, and a batch takes
   * well under a millisecond.
   */
  batchBytes?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** What a key of the first two levels is, as far as the scanner cares. */
const OTHER_KEY = 0;
const DATA_BODY_KEY = 1;
const GRID_KEY = 2;
/** Longer keys are never `dataBody` or `GRID`: their bytes are not kept. */
const KEY_CAPTURE_BYTES = 8;
const DATA_BODY = Buffer.from('dataBody');
const GRID = Buffer.from('GRID');

const DEFAULT_BATCH_BYTES = 32 * 1024;
const EMPTY = new Uint8Array(0);
/** Cuts between rows that may fail to parse before every byte of the rest is scanned instead. */
const MAX_MISSES = 2;
/** Rows pending without a boundary found, in batches, before they are scanned byte by byte. */
const MAX_PENDING_BATCHES = 4;
const utf8 = new TextDecoder();

/**
 * Parses one answer from its bytes: `write` each chunk as it arrives, then `end()` for the parsed
 * body. Throws `SyntaxError` (from `write` or `end`) when the bytes are not JSON; a row that cannot
 * be read does not throw here, it is kept in the {@link StreamedGrid} for the reader to report.
 */
export class GridStreamParser<T> {
  private readonly batchBytes: number;
  // Where the scanner is: nesting depth, inside a string, after a backslash in one.
  private depth = 0;
  private inString = false;
  private escaped = false;
  // The containers of the first two levels and the keys they are at.
  private rootIsObject = false;
  private bodyIsObject = false;
  private rootKey = OTHER_KEY;
  private bodyKey = OTHER_KEY;
  // The bytes of the last string of the first two levels, which may be a key.
  private capturing = false;
  private readonly captured = Buffer.alloc(KEY_CAPTURE_BYTES);
  private capturedLength = 0;
  private lastString = OTHER_KEY;
  // Everything but the rows, copied: parsed once at the end.
  private readonly skeleton: Buffer[] = [];
  // The rows of dataBody.GRID, while the scanner is inside it.
  private inGrid = false;
  /** Whether the last `GRID` of the last `dataBody` is the one streamed (JSON keeps a repeated key's last value). */
  private streamedIsLast = false;
  /** Bytes of rows not parsed yet: the tail of earlier chunks, up to a row boundary. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Whether a row boundary (a comma) was already cut at in this grid: an element must follow it. */
  private cut = false;
  private rows: T[] = [];
  private rowError: DecodeError | undefined;
  private failure: SyntaxError | undefined;
  /** Cuts between rows that did not parse; from {@link MAX_MISSES} on, every byte is scanned. */
  private misses = 0;
  private scanned = 0;

  constructor(
    private readonly readRow: RowReader<T>,
    options: GridStreamOptions = {},
  ) {
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  }

  /** Takes `chunk`, parsing and reading the rows it completes. Throws `SyntaxError`. */
  write(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    try {
      let rest = chunk;
      while (rest.length > 0) rest = this.cutting ? this.rowBytes(rest, false) : this.scan(rest);
    } catch (error) {
      if (error instanceof SyntaxError) this.failure = error;
      throw error;
    }
  }

  /**
   * How many bytes were scanned one by one: the envelope around the rows, and rows where no cut
   * between them parsed. Small for rows as they usually come; for benchmarks and tests.
   */
  get scannedBytes(): number {
    return this.scanned;
  }

  /** The parsed body, `dataBody.GRID` a {@link StreamedGrid} when the rows were streamed. Throws `SyntaxError`. */
  end(): unknown {
    if (this.failure) throw this.failure;
    try {
      // The last rows, still pending, and whatever follows them.
      while (this.inGrid && this.pendingBytes > 0) {
        let rest = this.cutting ? this.rowBytes(EMPTY, true) : this.scanPending();
        if (this.inGrid && rest.length === 0) throw new SyntaxError('Unexpected end of JSON input');
        while (rest.length > 0) rest = this.cutting ? this.rowBytes(rest, false) : this.scan(rest);
      }
    } catch (error) {
      if (error instanceof SyntaxError) this.failure = error;
      throw error;
    }
    if (this.inString || this.depth !== 0) throw new SyntaxError('Unexpected end of JSON input');
    const body = parseBody(
      utf8.decode(this.skeleton.length === 1 ? this.skeleton[0] : Buffer.concat(this.skeleton)),
    );
    this.skeleton.length = 0;
    if (
      this.streamedIsLast &&
      isRecord(body) &&
      isRecord(body.dataBody) &&
      Array.isArray(body.dataBody.GRID)
    ) {
      body.dataBody.GRID = new StreamedGrid(this.readRow, this.rows, this.rowError);
    }
    return body;
  }

  /** Inside the rows, and cutting them into batches (not scanning them byte by byte). */
  private get cutting(): boolean {
    return this.inGrid && this.misses < MAX_MISSES;
  }

  /**
   * Reads `chunk` byte by byte: the envelope, or rows that could not be cut. Returns what it leaves
   * to `rowBytes`: the rest of the chunk after `"GRID":[`, unless cuts have missed too often.
   */
  private scan(chunk: Uint8Array): Uint8Array {
    const n = chunk.length;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let inGrid = this.inGrid;
    // Where the skeleton's part of this chunk starts (-1: inside the grid), where the rows not yet
    // parsed start, and the last row boundary seen.
    let skeletonFrom = inGrid ? -1 : 0;
    let gridFrom = 0;
    let lastComma = -1;

    for (let i = 0; i < n; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (this.capturing) this.endCapture();
        } else if (this.capturing) this.captureByte(b);
        continue;
      }
      switch (b) {
        case QUOTE:
          inString = true;
          if (!inGrid && (depth === 1 || depth === 2)) this.startCapture();
          break;
        case COMMA:
          if (inGrid && depth === 3) lastComma = i;
          break;
        case COLON:
          if (!inGrid) this.keyRead(depth);
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (depth === 2 && b === OPEN_ARRAY && !inGrid && this.atGrid()) {
            this.skeleton.push(Buffer.from(chunk.subarray(skeletonFrom, i + 1)));
            skeletonFrom = -1;
            inGrid = true;
            gridFrom = i + 1;
            lastComma = -1;
            this.enterGrid();
            if (this.misses < MAX_MISSES) {
              this.scanned += i + 1;
              this.depth = depth + 1;
              this.inString = false;
              this.escaped = false;
              this.inGrid = true;
              return chunk.subarray(i + 1);
            }
          } else if (depth === 0) {
            this.rootIsObject = b === OPEN_OBJECT;
            this.rootKey = OTHER_KEY;
          } else if (depth === 1) {
            this.bodyIsObject = b === OPEN_OBJECT && this.rootKey === DATA_BODY_KEY;
            this.bodyKey = OTHER_KEY;
          }
          depth++;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          if (inGrid && depth === 3) {
            if (b !== CLOSE_ARRAY) throw new SyntaxError(`Unexpected '}' closing GRID`);
            this.rowsUpTo(chunk, gridFrom, i, true);
            inGrid = false;
            skeletonFrom = i;
          }
          depth--;
          if (depth < 0) throw new SyntaxError('Unexpected close of a container');
          break;
      }
    }

    this.scanned += n;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.inGrid = inGrid;
    if (!inGrid) {
      if (skeletonFrom < n) this.skeleton.push(Buffer.from(chunk.subarray(skeletonFrom, n)));
      return EMPTY;
    }
    if (lastComma >= gridFrom && this.pendingBytes + (lastComma - gridFrom) >= this.batchBytes) {
      this.rowsUpTo(chunk, gridFrom, lastComma, false);
      gridFrom = lastComma + 1;
    }
    if (gridFrom < n) {
      // A view, not a copy: it is parsed within a batch or two.
      this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset + gridFrom, n - gridFrom));
      this.pendingBytes += n - gridFrom;
    }
    return EMPTY;
  }

  /** Whether an array opening at depth 2 is `dataBody.GRID`. */
  private atGrid(): boolean {
    return (
      this.rootIsObject && this.bodyIsObject && this.rootKey === DATA_BODY_KEY && this.bodyKey === GRID_KEY
    );
  }

  private enterGrid(): void {
    // A repeated GRID replaces the earlier one, as in JSON.parse.
    this.rows = [];
    this.rowError = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    this.cut = false;
    this.streamedIsLast = true;
  }

  /** A `:` outside the grid: the string before it was a key of its object. */
  private keyRead(depth: number): void {
    const key = this.lastString;
    this.lastString = OTHER_KEY;
    if (depth === 1 && this.rootIsObject) {
      this.rootKey = key;
      // A new dataBody: the grid streamed so far is no longer the answer's.
      if (key === DATA_BODY_KEY) this.streamedIsLast = false;
    } else if (depth === 2 && this.bodyIsObject) {
      this.bodyKey = key;
      if (key === GRID_KEY) this.streamedIsLast = false;
    }
  }

  private startCapture(): void {
    this.capturing = true;
    this.capturedLength = 0;
  }

  private captureByte(b: number): void {
    if (this.capturedLength < KEY_CAPTURE_BYTES) this.captured[this.capturedLength] = b;
    this.capturedLength++;
  }

  private endCapture(): void {
    this.capturing = false;
    const length = this.capturedLength;
    const bytes = this.captured;
    if (length === DATA_BODY.length && bytes.equals(DATA_BODY)) this.lastString = DATA_BODY_KEY;
    else if (length === GRID.length && bytes.subarray(0, length).equals(GRID)) this.lastString = GRID_KEY;
    else this.lastString = OTHER_KEY;
  }

  /**
   * Parses and reads the rows pending plus `chunk[from, to)`, which ends at a row boundary: a
   * comma at the grid's level, or (`last`) the grid's closing bracket.
   */
  private rowsUpTo(chunk: Uint8Array, from: number, to: number, last: boolean): void {
    const pieces = this.pending;
    if (to > from) pieces.push(Buffer.from(chunk.buffer, chunk.byteOffset + from, to - from));
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    this.pending = [];
    this.pendingBytes = 0;
    const blank = isBlank(bytes);
    // `[ , …` or `…, ,` or `…, ]`: an element is missing at a seam, where JSON.parse cannot see it.
    if (blank && (!last || this.cut)) throw new SyntaxError('Unexpected "," in GRID');
    if (!last) this.cut = true;
    if (blank || this.rowError) return;
    this.readRows(parseRows(bytes));
  }

  /**
   * Inside the rows: keeps `chunk` and, once a batch's worth is pending (or at the `final` call),
   * cuts it where the rows end or at the last boundary between two rows, and reads the rows before
   * the cut (see the module's comment). Returns what follows the rows, for `scan`.
   */
  private rowBytes(chunk: Uint8Array, final: boolean): Uint8Array {
    if (chunk.length > 0) {
      this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.pendingBytes += chunk.length;
    }
    if (!final && this.pendingBytes < this.batchBytes) return EMPTY;
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [bytes];
    const close = lastRowsEnd(bytes);
    const cut = close === undefined && !final ? lastRowBoundary(bytes) : undefined;
    if (close === undefined && cut === undefined) {
      // No cut in a few batches' worth (not rows as they usually come), or the last rows.
      if (final || bytes.length >= MAX_PENDING_BATCHES * this.batchBytes) return this.scanPending();
      return EMPTY;
    }
    let parsed: unknown[];
    try {
      parsed = parseRows(bytes.subarray(0, (close ?? cut)!.end));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      this.misses++;
      return this.scanPending();
    }
    if (!this.rowError) this.readRows(parsed);
    if (close !== undefined) {
      // The rows are over: the scanner takes the closing bracket and what follows.
      this.pending = [];
      this.pendingBytes = 0;
      this.inGrid = false;
      this.depth = 3;
      this.inString = false;
      this.escaped = false;
      return bytes.subarray(close.next);
    }
    this.pending = [bytes.subarray(cut!.next)];
    this.pendingBytes = bytes.length - cut!.next;
    this.cut = true;
    return EMPTY;
  }

  /**
   * Scans the pending bytes one by one, from where they start: the start of a row, in the grid.
   * Finds the boundaries (or the end of the rows, or the `SyntaxError`) that a cut could not.
   */
  private scanPending(): Uint8Array {
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.depth = 3;
    this.inString = false;
    this.escaped = false;
    return this.scan(bytes);
  }

  private readRows(parsed: unknown[]): void {
    const rows = this.rows;
    const readRow = this.readRow;
    for (let j = 0; j < parsed.length; j++) {
      const row = parsed[j];
      try {
        if (!isRecord(row)) throw new DecodeError('', 'an object');
        rows.push(readRow(row));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        this.rowError = new DecodeError(
          `GRID[${rows.length}]${error.field ? '.' + error.field : ''}`,
          error.expected,
        );
        return;
      }
    }
  }
}

/** Parses bytes holding whole rows (and the commas between them) as an array. Throws `SyntaxError`. */
function parseRows(bytes: Buffer): unknown[] {
  return parseBody(`[${bytes.toString('utf8')}]`) as unknown[];
}

/** How many `}` from the end `lastRowBoundary` tries before it gives up on a batch. */
const BOUNDARY_TRIES = 8;

/**
 * The last `}`, `,`, `{` (white space between them allowed) in `bytes`: where the row before it
 * ends (`end`, after the `}`) and the next one starts (`next`, after the `,`). Only a candidate:
 * the `}` may be in a string or end an object inside a row, which parsing the cut tells.
 */
function lastRowBoundary(bytes: Buffer): { end: number; next: number } | undefined {
  let at = bytes.length - 1;
  for (let tries = 0; tries < BOUNDARY_TRIES && at > 0; tries++) {
    const close = bytes.lastIndexOf(CLOSE_OBJECT, at);
    if (close < 0) return undefined;
    let i = close + 1;
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (i < bytes.length && bytes[i] === COMMA) {
      const comma = i;
      i++;
      while (i < bytes.length && isSpace(bytes[i])) i++;
      if (i < bytes.length && bytes[i] === OPEN_OBJECT) return { end: close + 1, next: comma + 1 };
    }
    at = close - 1;
  }
  return undefined;
}

/**
 * The last `}` followed by `]` (white space between allowed) in `bytes`: where the last row ends
 * (`end`, after the `}`) and the grid's closing bracket (`next`, at the `]`). Only a candidate, as
 * in `lastRowBoundary`.
 */
function lastRowsEnd(bytes: Buffer): { end: number; next: number } | undefined {
  const close = bytes.lastIndexOf(CLOSE_ARRAY);
  if (close < 0) return undefined;
  let i = close - 1;
  while (i >= 0 && isSpace(bytes[i])) i--;
  return i >= 0 && bytes[i] === CLOSE_OBJECT ? { end: i + 1, next: close } : undefined;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Only JSON white space (space, tab, line feed, carriage return), or nothing. */
function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
