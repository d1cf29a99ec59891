/**
 * What the checks before execution find depends on the operation and its variables only: the
 * argument check's errors, the estimates of upstream calls and of the response's size. A dashboard
 * asks the same document with the same variables again and again (every customer, all day), so
 * each check keeps its finding per document (Apollo hands out the same parsed document for the
 * same text) and per operation name and variables, and works it out once. Measured: the checks
 * cost about 0.1 ms of CPU per dashboard when worked out, almost nothing when found
 * (bench/ANALYSIS.md).
 */
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Variable sets kept per document, the least recently used dropped first. */
const PER_DOCUMENT = 64;
/** Longer variables (a router's list of entity references) are worked out every time, not kept. */
const MAX_KEY_LENGTH = 2048;

export interface OperationInput {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * `compute`, kept per operation and variables; the finding must not depend on anything else. Only
 * findings that `keep` accepts are kept: a check keeps what passed, so that a refusal is worked out
 * again (its errors are not shared between requests) and an attacker's variations of a bad request
 * take no room.
 */
export function perOperation<I extends OperationInput, T extends object>(
  compute: (input: I) => T,
  keep: (finding: T) => boolean = () => true,
): (input: I) => T {
  const byDocument = new WeakMap<DocumentNode, LRUCache<string, T>>();
  return (input) => {
    const key = keyOf(input);
    if (key === null) return compute(input);
    let found = byDocument.get(input.document);
    if (!found) {
      found = new LRUCache<string, T>({ max: PER_DOCUMENT });
      byDocument.set(input.document, found);
    }
    let value = found.get(key);
    if (value === undefined) {
      value = compute(input);
      if (keep(value)) found.set(key, value);
    }
    return value;
  };
}

function keyOf({ operationName, variables }: OperationInput): string | null {
  let text: string;
  try {
    text = JSON.stringify(variables ?? {});
  } catch {
    return null;
  }
  const key = `${operationName ?? ''}\u0000${text}`;
  return key.length <= MAX_KEY_LENGTH ? key : null;
}
