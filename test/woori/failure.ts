import { WooriError } from '../../src/woori/errors';

/** The `WooriError` a call fails with; fails the test when it succeeds or throws anything else. */
export async function failureOf(call: Promise<unknown>): Promise<WooriError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WooriError) return error;
    throw new Error(`expected a WooriError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}
