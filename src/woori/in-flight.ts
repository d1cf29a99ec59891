/**
 * The upstream calls of one request that have not ended yet. A request may start calls whose
 * answers it ends up not needing (a prefetch for an account the customer turns out not to own);
 * its response waits for them, so that `extensions.upstream` counts every call it caused.
 */
export class InFlightCalls {
  private readonly calls = new Set<Promise<unknown>>();

  /** Calls not ended now. */
  get size(): number {
    return this.calls.size;
  }

  /** Keeps `call` until it settles. */
  add(call: Promise<unknown>): void {
    this.calls.add(call);
    const forget = (): void => {
      this.calls.delete(call);
    };
    call.then(forget, forget);
  }

  /** Resolves once no call is in flight, counting calls started while it waits. Never rejects. */
  async settled(): Promise<void> {
    while (this.calls.size > 0) await Promise.allSettled(this.calls);
  }
}
