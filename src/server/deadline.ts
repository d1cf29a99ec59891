/**
 * The deadline of one GraphQL request: a signal that aborts at REQUEST_DEADLINE_MS or when the
 * client goes away, and the time it aborts at the latest, on the upstream policy's clock, so that
 * a retry is only started while it still fits.
 */
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';

/** The reasons a request's signal is aborted with. */
export const DEADLINE_EXCEEDED = 'request deadline exceeded';
export const CLIENT_CLOSED = 'client closed the connection';

export class RequestDeadline {
  /** Aborts every upstream call and wait of the request. */
  readonly signal: AbortSignal;
  /** When `signal` aborts at the latest, on `now`'s clock. */
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onClose: () => void;

  constructor(
    private readonly res: ServerResponse,
    deadlineMs: number,
    now: () => number,
  ) {
    this.signal = this.controller.signal;
    // Every upstream call in flight or waiting listens to this one signal (a wide query: a hundred
    // or more), and removes its listener when it ends: Node's leak warning at 10 would be noise.
    setMaxListeners(0, this.signal);
    this.at = now() + deadlineMs;
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException(DEADLINE_EXCEEDED, 'TimeoutError')),
      deadlineMs,
    );
    this.onClose = () => {
      if (!res.writableFinished) this.controller.abort(new DOMException(CLIENT_CLOSED, 'AbortError'));
    };
    res.once('close', this.onClose);
  }

  /** The request is answered: no more aborting. */
  dispose(): void {
    clearTimeout(this.timer);
    this.res.off('close', this.onClose);
  }
}
