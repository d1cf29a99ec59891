/** The operator's routes: liveness (`/healthz`), readiness (`/readyz`) and the Prometheus scrape (`/metrics`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';
import { onlyGet, send, sendJson } from './responses';

export interface ProbesOptions {
  metrics: Metrics;
  readiness: { check(): Promise<Readiness> };
}

export class Probes {
  private draining = false;

  constructor(private readonly options: ProbesOptions) {}

  /** From now on `/readyz` answers 503, so that load balancers stop sending traffic. */
  startDraining(): void {
    this.draining = true;
  }

  health(req: IncomingMessage, res: ServerResponse): void {
    if (onlyGet(req, res)) sendJson(res, 200, { status: 'ok' });
  }

  async ready(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!onlyGet(req, res)) return;
    if (this.draining) {
      sendJson(res, 503, { status: 'unavailable', reason: 'shutting down' });
      return;
    }
    const readiness = await this.options.readiness.check();
    sendJson(res, readiness.ready ? 200 : 503, {
      status: readiness.ready ? (readiness.degraded ? 'degraded' : 'ready') : 'unavailable',
      ...readiness,
    });
  }

  async scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!onlyGet(req, res)) return;
    const { metrics } = this.options;
    send(res, {
      status: 200,
      headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
      body: Buffer.from(await metrics.render()),
    });
  }
}
