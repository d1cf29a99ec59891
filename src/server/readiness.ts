import { request } from 'undici';

export interface Readiness {
  ready: boolean;
  /** Why not, when not: safe to show (no URL credentials, no upstream body). */
  reason?: string;
  /**
   * Ready, but without something that makes the service better (Redis): what is missing and what
   * that means. Read live at every check, never cached.
   */
  degraded?: string;
  /** When the probe behind this answer ran. */
  checkedAt: string;
}

export interface ReadinessProbeOptions {
  /** The upstream's base URL. */
  baseUrl: string;
  /** How long one probe may take. */
  timeoutMs: number;
  /** How long an answer is reused, so that a busy `/readyz` costs the upstream one probe per period. */
  cacheMs?: number;
  now?: () => number;
  /**
   * The upstream client's circuit breaker: while it is `open`, calls fail without reaching the
   * upstream, so the service is not ready whatever the probe says. Read live, never cached.
   */
  circuitStatus?: () => 'closed' | 'open' | 'half-open';
  /**
   * What the service runs without now, when it runs without something (Redis down); undefined
   * when nothing is missing. Never makes it unready.
   */
  degraded?: () => string | undefined;
}

/**
 * Whether the upstream can be used: an HTTP `HEAD` of its base URL. Any HTTP answer, whatever its
 * status, proves that DNS, TCP, TLS and the upstream's HTTP server work. The probe sends no app key
 * and no customer token, so it spends neither call quota nor a customer's rate limit. It cannot
 * prove that our credentials are valid: a rejected app key shows up as MISCONFIGURED errors and in
 * `woori_upstream_calls_total{outcome="SYSCD03003"}`, not here.
 */
export class ReadinessProbe {
  private cached: { at: number; value: Readiness } | null = null;
  private inFlight: Promise<Readiness> | null = null;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ReadinessProbeOptions) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Not ready while the circuit is open; otherwise the cached answer when fresh, or one probe,
   * shared by every concurrent caller; either way with what the service runs without now.
   */
  async check(): Promise<Readiness> {
    const readiness = await this.upstreamReadiness();
    const degraded = this.options.degraded?.();
    return degraded === undefined ? readiness : { ...readiness, degraded };
  }

  private upstreamReadiness(): Promise<Readiness> {
    if (this.options.circuitStatus?.() === 'open') {
      return Promise.resolve({
        ready: false,
        reason: 'upstream calls suspended after repeated failures (circuit open)',
        checkedAt: new Date(this.now()).toISOString(),
      });
    }
    if (this.cached && this.now() - this.cached.at < this.cacheMs) return Promise.resolve(this.cached.value);
    this.inFlight ??= this.probe().then((value) => {
      this.cached = { at: this.now(), value };
      this.inFlight = null;
      return value;
    });
    return this.inFlight;
  }

  private async probe(): Promise<Readiness> {
    const checkedAt = new Date(this.now()).toISOString();
    try {
      const response = await request(this.options.baseUrl, {
        method: 'HEAD',
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.body.dump();
      return { ready: true, checkedAt };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const name = (error as { name?: unknown }).name;
      return { ready: false, reason: `upstream unreachable (${String(code ?? name ?? 'error')})`, checkedAt };
    }
  }
}
