/**
 * Replacing a function that a module of the build exports, for the benchmark's variants: the
 * compiled CommonJS code reads an imported function from the exporting module's `exports` at each
 * call (`(0, module_1.fn)(…)`), so a replacement made before the first call is the one used.
 */
import { fromDist } from './dist';

/** `exports.<name>` of `dist/<modulePath>.js`, replaced by `replace(original)`. */
export function replaceExport<M, K extends keyof M>(
  modulePath: string,
  name: K,
  replace: (original: M[K]) => M[K],
): void {
  const exports = fromDist<M>(modulePath);
  const original = exports[name];
  if (typeof original !== 'function') {
    throw new Error(`dist/${modulePath}.js has no function ${String(name)} to replace`);
  }
  exports[name] = replace(original);
}
