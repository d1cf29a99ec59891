/**
 * What makes a cache entry reveal nothing, in Redis or in a heap dump: its key is an HMAC under the
 * customer's key, and its value is sealed with AES-256-GCM under a key that only the customer's
 * token (with CACHE_SECRET) derives.
 *
 * - The storage key is `wg1:<customerKey>:<name>`: `customerKey` is `customerKeyOf(token, secret)`,
 *   and `name` an HMAC of what the entry is (its kind, account number, dates) under a key derived
 *   from the token. Neither reveals the token, an account number or a date.
 * - The value is `version | iv | ciphertext | tag`, sealed under a key derived (HKDF-SHA256) from the
 *   token and the secret, with the storage key as additional data: one customer's token cannot
 *   open another's entry, and an entry moved to another key does not open either.
 * - Inside: the entry's kind, when its answer left the upstream, and its payload.
 *
 * A new token for the same customer derives other keys: its cache starts cold (a deliberate
 * trade-off: the service never learns who a token belongs to, only the token).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** The sealed format; an entry of another version is unreadable, so a miss. */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** kind (1 byte) and fetchedAt (a float64, ms since the epoch). */
const HEADER_BYTES = 9;
/** Bytes a sealed entry adds to its payload. */
export const SEAL_OVERHEAD = 1 + IV_BYTES + TAG_BYTES + HEADER_BYTES;

/** The kinds of entry; a sealed entry opens only as the kind it was sealed as. */
export const EntryKind = { accounts: 1, basics: 2, transactions: 3, index: 4, document: 5 } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/** What an entry holds once opened. */
export interface Opened {
  /** When the answer left the upstream, ms since the epoch. */
  fetchedAt: number;
  payload: Buffer;
}

/** One customer's keys, derived once per request from the token. */
export class CustomerVault {
  private readonly nameKey: Buffer;
  private readonly valueKey: Buffer;

  /**
   * @param customerKey `customerKeyOf(token, secret)`: the namespace of the customer's entries.
   * @param token the customer's access token, from which the name and value keys are derived.
   * @param secret CACHE_SECRET.
   */
  constructor(
    private readonly customerKey: string,
    token: string,
    secret: string,
  ) {
    this.nameKey = derive(token, secret, 'woori-graphql cache names v1');
    this.valueKey = derive(token, secret, 'woori-graphql cache values v1');
  }

  /** The storage key of the entry `parts` name (e.g. `['basics', number, asOf]`). */
  key(...parts: string[]): string {
    const name = createHmac('sha256', this.nameKey).update(parts.join('\0')).digest('base64url').slice(0, 22);
    return `wg1:${this.customerKey}:${name}`;
  }

  seal(storageKey: string, kind: EntryKind, fetchedAt: number, payload: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.valueKey, iv);
    cipher.setAAD(Buffer.from(storageKey));
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt8(kind, 0);
    header.writeDoubleBE(fetchedAt, 1);
    const sealed = [cipher.update(header), cipher.update(payload), cipher.final()];
    return Buffer.concat([Buffer.of(VERSION), iv, ...sealed, cipher.getAuthTag()]);
  }

  /** The entry's contents, or undefined when it is not a readable entry of `kind` at `storageKey`. */
  open(storageKey: string, kind: EntryKind, sealed: Buffer): Opened | undefined {
    if (sealed.byteLength < SEAL_OVERHEAD || sealed[0] !== VERSION) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.valueKey, sealed.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(storageKey));
      decipher.setAuthTag(sealed.subarray(sealed.byteLength - TAG_BYTES));
      // GCM is a stream cipher: update() gives back every byte and final() only checks the tag, so
      // the plain text is not copied again (a cached year is 7.6 MB).
      let plain = decipher.update(sealed.subarray(1 + IV_BYTES, sealed.byteLength - TAG_BYTES));
      const rest = decipher.final();
      if (rest.byteLength > 0) plain = Buffer.concat([plain, rest]);
      if (plain.readUInt8(0) !== kind) return undefined;
      const fetchedAt = plain.readDoubleBE(1);
      if (!Number.isFinite(fetchedAt)) return undefined;
      return { fetchedAt, payload: plain.subarray(HEADER_BYTES) };
    } catch {
      // Tampered, truncated or sealed under another customer's key: unreadable, so a miss.
      return undefined;
    }
  }
}

function derive(token: string, secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, secret, info, 32));
}
