/** The operator's routes: liveness (`/healthz`), readiness (`/readyz`) and the Prometheus scrape (`/metrics`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, internalErrorBody } from '../graphql/errors';
import type { Logger } from './logger';
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

  scrape(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return scrape(this.options.metrics, req, res);
  }
}

/** The Prometheus scrape. */
export async function scrape(metrics: Metrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!onlyGet(req, res)) return;
  send(res, {
    status: 200,
    headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
    body: Buffer.from(await metrics.render()),
  });
}

/**
 * The listener of the port that serves only `/metrics` (METRICS_PORT), so that the scrape can stay
 * off the public port.
 */
export function metricsOnlyListener(
  metrics: Metrics,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      sendJson(res, 404, errorBody('Only /metrics is served on this port.', 'NOT_FOUND'));
      return;
    }
    scrape(metrics, req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'metrics scrape failed');
      if (!res.headersSent) sendJson(res, 500, internalErrorBody());
      else res.destroy();
    });
  };
}
