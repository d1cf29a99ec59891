/**
 * Opaque pagination cursors that this service can verify. A cursor names a position in one list
 * (an account, a range, a filter and an order) and carries an HMAC of all of it, so a cursor that
 * was forged, altered or issued for another list is rejected instead of silently paging wrong.
 *
 * The account is in the cursor as a tag (an HMAC of the number, not the number), and the signature
 * covers the tag: so the signature can be checked from the field's arguments alone, before the
 * request runs (under `accounts`, nobody knows yet which account a field will be asked of), and the
 * binding to one account at the field, once its account is known.
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

/** A list as the field's arguments name it, without its account. */
export type ListScope = Omit<CursorScope, 'accountNumber'>;

/** What a cursor whose signature holds says: where it points and whose account it was issued for. */
export interface SignedCursor {
  offset: number;
  accountTag: string;
}

const CURSOR = /^(\d{1,9})_([A-Za-z0-9-]{11})_([A-Za-z0-9-]{22})$/;

export class CursorCodec {
  constructor(private readonly secret: string) {}

  /** The cursor of the item at `offset` (0-based) in the list of `scope`. */
  encode(scope: CursorScope, offset: number): string {
    const payload = String(offset);
    const tag = this.accountTag(scope.accountNumber);
    return `${payload}_${tag}_${this.sign(scope, tag, payload)}`;
  }

  /** The offset a cursor points at, or null when this service did not issue it for `scope`. */
  decode(scope: CursorScope, cursor: string): number | null {
    const signed = this.verify(scope, cursor);
    return signed && sameText(signed.accountTag, this.accountTag(scope.accountNumber)) ? signed.offset : null;
  }

  /**
   * The cursor's offset and account tag when this service signed it for a list with these
   * arguments (of some account), or null: what can be known before the account is.
   */
  verify(list: ListScope, cursor: string): SignedCursor | null {
    const m = CURSOR.exec(cursor);
    if (!m) return null;
    const [, payload, accountTag, signature] = m;
    return sameText(this.sign(list, accountTag, payload), signature)
      ? { offset: Number(payload), accountTag }
      : null;
  }

  private accountTag(accountNumber: string): string {
    return this.mac(['account', accountNumber]).slice(0, 11);
  }

  private sign(list: ListScope, accountTag: string, payload: string): string {
    return this.mac([accountTag, list.from, list.to, list.type ?? '', list.order, payload]).slice(0, 22);
  }

  private mac(parts: string[]): string {
    // '_' separates the parts of a cursor, so it never appears inside one.
    return createHmac('sha256', this.secret).update(parts.join('\n')).digest('base64url').replace(/_/g, '-');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
