/**
 * Opaque pagination cursors that this service can verify. A cursor names a position in one list
 * (an account, a range, a filter and an order) and carries an HMAC of all of it, so a cursor that
 * was forged, altered or issued for another list is rejected instead of silently paging wrong.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The list a cursor belongs to. */
export interface CursorScope {
  accountNumber: string;
  from: string;
  to: string;
  type: string | null | undefined;
  order: string;
}

export class CursorCodec {
  constructor(private readonly secret: string) {}

  /** The cursor of the item at `offset` (0-based) in the list of `scope`. */
  encode(scope: CursorScope, offset: number): string {
    const payload = String(offset);
    return `${payload}_${this.sign(scope, payload)}`;
  }

  /** The offset a cursor points at, or null when this service did not issue it for `scope`. */
  decode(scope: CursorScope, cursor: string): number | null {
    const m = /^(\d{1,9})_([A-Za-z0-9-]{22})$/.exec(cursor);
    if (!m) return null;
    const expected = Buffer.from(this.sign(scope, m[1]));
    const given = Buffer.from(m[2]);
    return expected.length === given.length && timingSafeEqual(expected, given) ? Number(m[1]) : null;
  }

  private sign(scope: CursorScope, payload: string): string {
    return createHmac('sha256', this.secret)
      .update([scope.accountNumber, scope.from, scope.to, scope.type ?? '', scope.order, payload].join('\n'))
      .digest('base64url')
      .slice(0, 22)
      .replace(/_/g, '-');
  }
}
