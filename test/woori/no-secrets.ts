import { inspect } from 'node:util';

/**
 * Every string an error carries, however deep: `util.inspect` with hidden properties and no depth
 * limit, and every own property's value, enumerable or not (`message`, `stack`, `cause`, `errors`,
 * `code`…), followed down `cause` chains and into nested objects. `JSON.stringify` and `message`
 * alone miss the non-enumerable `cause`, where a raw error would sit.
 */
export function everythingIn(error: unknown): string {
  const texts = [inspect(error, { depth: Infinity, showHidden: true })];
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) walk(descriptor.value);
    }
  };
  walk(error);
  return texts.join('\n');
}

/** Fails naming the first of `secrets` found anywhere in `error` (see `everythingIn`). */
export function expectNoSecretsIn(error: unknown, secrets: readonly string[]): void {
  const text = everythingIn(error);
  const found = secrets.filter((secret) => secret !== '' && text.includes(secret));
  expect({ error: String(error), found }).toEqual({ error: String(error), found: [] });
}
