import type { ServerResponse } from 'node:http';
import type { BodyFaultKind, SandboxFault } from './types';

/**
 * The faults that shape a successful answer into one that a client must not take as data: a body
 * too large to read (`oversized`, `endless`), an HTML page with status 200 (`html200`), a status
 * other than 200 (`status299`). Each keeps the answer's own bytes where it can, so that a client
 * that accepted it would decode real data.
 */

/** An HTTP answer as the server writes it (the shape of the server's own `Answer`). */
export interface ShapedAnswer {
  type: 'answer';
  status: number;
  code: string;
  contentType: string;
  body: string | Buffer[];
}

/** A body written for as long as the client reads: `head`, then `unit` again and again. */
export interface EndlessAnswer {
  type: 'endless';
  code: 'ENDLESS';
  contentType: string;
  head: Buffer;
  /** Written after `head` repeatedly; starts with the separator a repetition needs (`,` between rows). */
  unit: Buffer;
}

/** Larger than a client's default limit of 64 MiB. */
export const DEFAULT_OVERSIZED_BYTES = 80 * 1024 * 1024;
/** Each write of an endless body is at least this large, so that a few rows are not written one by one. */
const ENDLESS_UNIT_BYTES = 64 * 1024;
const SPACES = Buffer.alloc(1024 * 1024, ' ');
const GRID_START = Buffer.from('"GRID":[');
const DATA_BODY = Buffer.from('"dataBody":');
const HTML_200 =
  '<!DOCTYPE html>\r\n<html><head><title>Service maintenance</title></head>\r\n' +
  '<body><h1>The service is under maintenance</h1><p>Please try again later.</p></body></html>\r\n';

export function isBodyFault(
  fault: SandboxFault | undefined,
): fault is SandboxFault & { kind: BodyFaultKind } {
  const kind = fault?.kind;
  return kind === 'oversized' || kind === 'endless' || kind === 'html200' || kind === 'status299';
}

/**
 * `answer` shaped by `fault`. Only a successful answer (200) is shaped: an error answer is
 * already not data.
 */
export function shapeAnswer(
  fault: SandboxFault & { kind: BodyFaultKind },
  answer: ShapedAnswer,
): ShapedAnswer | EndlessAnswer {
  if (answer.status !== 200) return answer;
  switch (fault.kind) {
    case 'status299':
      return { ...answer, status: 299, code: 'STATUS299' };
    case 'html200':
      return {
        type: 'answer',
        status: 200,
        code: 'HTML200',
        contentType: 'text/html; charset=utf-8',
        body: HTML_200,
      };
    case 'oversized':
      return oversized(answer, fault.bytes ?? DEFAULT_OVERSIZED_BYTES);
    case 'endless':
      return endless(answer);
  }
}

/** The answer followed by white space up to `bytes` (still valid JSON), sent with its length. */
function oversized(answer: ShapedAnswer, bytes: number): ShapedAnswer {
  const chunks = chunksOf(answer.body);
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const padding: Buffer[] = [];
  for (let left = bytes - length; left > 0; left -= SPACES.length) {
    padding.push(left >= SPACES.length ? SPACES : SPACES.subarray(0, left));
  }
  return { ...answer, code: 'OVERSIZED', body: [...chunks, ...padding] };
}

/**
 * A list answer up to its first row, then its rows again and again; any other answer up to its
 * `dataBody`, then white space. Either way a valid beginning of JSON that never ends.
 */
function endless(answer: ShapedAnswer): EndlessAnswer {
  const whole = Buffer.concat(chunksOf(answer.body));
  const gridAt = whole.indexOf(GRID_START);
  const gridEnd = whole.lastIndexOf(']');
  const rowsAt = gridAt + GRID_START.length;
  if (gridAt >= 0 && gridEnd > rowsAt) {
    const rows = whole.subarray(rowsAt, gridEnd);
    const parts: Buffer[] = [];
    let size = 0;
    while (size < ENDLESS_UNIT_BYTES) {
      parts.push(Buffer.from(','), rows);
      size += rows.length + 1;
    }
    return {
      type: 'endless',
      code: 'ENDLESS',
      contentType: answer.contentType,
      head: whole.subarray(0, gridEnd),
      unit: Buffer.concat(parts),
    };
  }
  const bodyAt = whole.indexOf(DATA_BODY);
  const head =
    bodyAt >= 0 ? whole.subarray(0, bodyAt + DATA_BODY.length) : Buffer.from('{"dataHeader":{},"dataBody":');
  return {
    type: 'endless',
    code: 'ENDLESS',
    contentType: answer.contentType,
    head,
    unit: SPACES.subarray(0, ENDLESS_UNIT_BYTES),
  };
}

/**
 * Writes an endless answer (chunked, no length) at the pace the client reads it, until the client
 * goes away or the sandbox closes the connection.
 */
export function sendEndless(res: ServerResponse, answer: EndlessAnswer): void {
  res.writeHead(200, { 'Content-Type': answer.contentType });
  res.write(answer.head);
  const pump = (): void => {
    while (!res.destroyed && !res.writableEnded) {
      if (!res.write(answer.unit)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function chunksOf(body: string | Buffer[]): Buffer[] {
  return typeof body === 'string' ? [Buffer.from(body, 'utf8')] : body;
}
