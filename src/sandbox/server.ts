import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type EndlessAnswer, isBodyFault, sendEndless, shapeAnswer } from './body-faults';
import { SYSTEM_CODES } from './codes';
import { Bank } from './data/bank';
import type { Customer } from './data/customers';
import { compactDate, isoDate, isoInstant, ledgerEnd, parseCompactDate, parseIsoDate } from './data/dates';
import { Random } from './data/random';
import { CallLog, Quota, RateLimiter } from './gateway';
import { checkEnvelope, checkInputs, isObject, type Json } from './request';
import { applyPatch } from './settings';
import type {
  SandboxCallRecord,
  SandboxCounters,
  SandboxCustomer,
  SandboxFault,
  SandboxOperation,
  SandboxPatch,
  SandboxSettings,
} from './types';
import {
  accountListBody,
  basicsBody,
  envelope,
  envelopeChunks,
  errorEnvelope,
  transactionsBody,
} from './wire';

const ROUTES = new Map<string, SandboxOperation>([
  ['/oai/wb/v1/finance/getIndivAllAccInfo', 'listAccounts'],
  ['/oai/wb/v1/finance/getIndivAllAcclInfo', 'listAccounts'],
  ['/oai/wb/v1/finance/getAccBasicInfo', 'getAccountBasics'],
  ['/oai/wb/v1/finance/getAccTransList', 'listTransactions'],
  ['/oap/wb/v2/oauth/tokencheck', 'tokenCheck'],
]);

const CONTROL_PREFIX = '/__sandbox/';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_BODY_BYTES = 1 << 20;
/** Longer than any client pool's idle timeout, so pooled connections are reused, not raced. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const NOT_OWN_ACCOUNT_MESSAGE = `${SYSTEM_CODES.SYSCD01006.message} (조회 고객의 계좌가 아닙니다: INQ_ACNO)`;
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** An HTTP answer, ready to write. */
interface Answer {
  type: 'answer';
  status: number;
  code: string;
  contentType: string;
  /** Text, or bytes in chunks written one after the other (large transaction lists). */
  body: string | Buffer[];
  headers?: Record<string, string>;
}

/** What the sandbox decided to do with a call. */
type Outcome =
  Answer | EndlessAnswer | { type: 'reset'; code: 'RESET' } | { type: 'stall'; code: 'STALL'; held: Outcome };

/**
 * The HTTP face of the sandbox: the gateway's checks in the documented order (path, JSON, client,
 * token, rate, quota, injected fault, envelope, inputs), then the bank's answer.
 */
export class SandboxServer {
  readonly bank: Bank;
  private settings: SandboxSettings;
  private readonly server: Server;
  private readonly log = new CallLog();
  private readonly limiter: RateLimiter;
  private readonly quota: Quota;
  private faultRandom!: Random;
  private jitterRandom!: Random;
  private sequence = 0;
  private readonly globalIdPrefix: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private connections = { open: 0, opened: 0 };

  /** `startedAtMs` (epoch ms) fixes where the ledgers end: see `ledgerEnd`. */
  constructor(settings: SandboxSettings, startedAtMs: number) {
    this.settings = Object.freeze({ ...settings });
    const today = parseIsoDate(settings.today) as number;
    this.bank = new Bank(settings.seed, ledgerEnd(today, startedAtMs));
    this.globalIdPrefix = `${compactDate(today)}SBXWB`;
    this.limiter = new RateLimiter(settings.maxRps);
    this.quota = new Quota(settings.quota);
    this.restartRandom();
    this.server = createServer({
      noDelay: true,
      headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 5_000,
      requestTimeout: 120_000,
    });
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.server.on('connection', (socket: Socket) => {
      this.connections.open += 1;
      this.connections.opened += 1;
      socket.once('close', () => {
        this.connections.open -= 1;
      });
    });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) this.sendAnswer(res, this.error('SYSCD09999'));
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.settings.port, this.settings.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : this.settings.port;
        const host = this.settings.host.includes(':') ? `[${this.settings.host}]` : this.settings.host;
        resolve(`http://${host}:${port}`);
      });
    });
  }

  currentSettings(): Readonly<SandboxSettings> {
    return this.settings;
  }

  /** Where the ledgers end, e.g. `2026-12-02T20:27:00+09:00`. */
  ledgerEnd(): string {
    return isoInstant(this.bank.end);
  }

  customers(): SandboxCustomer[] {
    return this.bank.customers.map((customer) => ({
      name: customer.name,
      token: customer.token,
      description: customer.description,
      accountNumbers: customer.accounts.map((account) => account.number),
    }));
  }

  counters(): SandboxCounters {
    const { recent, ...calls } = this.log.snapshot();
    return { calls, connections: { ...this.connections }, recent };
  }

  reset(): void {
    this.log.reset();
    this.limiter.reset();
    this.quota.reset();
    this.connections.opened = 0;
    this.restartRandom();
  }

  configure(patch: SandboxPatch): void {
    this.settings = Object.freeze(applyPatch(this.settings, patch));
    this.limiter.setLimit(this.settings.maxRps);
    this.quota.setLimit(this.settings.quota);
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private restartRandom(): void {
    this.faultRandom = new Random(this.settings.seed, 'faults');
    this.jitterRandom = new Random(this.settings.seed, 'jitter');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    const body = await readBody(req);
    if (path.startsWith(CONTROL_PREFIX)) {
      this.control(path, req.method ?? 'GET', body, res);
      return;
    }
    const method = req.method ?? 'GET';
    const route = method === 'GET' || method === 'POST' ? ROUTES.get(path) : undefined;
    const call: SandboxCallRecord = {
      operation: route ?? 'unknown',
      customer: null,
      method,
      code: '',
      at: Date.now(),
    };
    const outcome = route ? this.decide(route, req, body, call) : this.error('SYSCD02901');
    call.code = outcome.code;
    this.log.record(call);
    const { latencyMs, jitterMs, stallMs } = this.settings;
    let delay = route ? latencyMs + (jitterMs > 0 ? this.jitterRandom.int(0, jitterMs) : 0) : 0;
    if (outcome.type === 'stall') delay += stallMs;
    if (delay === 0) this.send(req, res, outcome);
    else this.later(res, delay, () => this.send(req, res, outcome));
  }

  private decide(
    operation: SandboxOperation,
    req: IncomingMessage,
    raw: RawBody,
    call: SandboxCallRecord,
  ): Outcome {
    const tokenCheck = operation === 'tokenCheck';
    let body: unknown;
    if (!tokenCheck) {
      if (raw.tooLarge) return this.error('SYSCD01005');
      try {
        body = raw.text.trim() === '' ? {} : (JSON.parse(raw.text) as unknown);
      } catch {
        return this.error('SYSCD01005');
      }
      describeCall(body, call);
    }
    const customer = this.bank.customerByToken(customerToken(req) ?? '');
    if (customer) call.customer = customer.name;
    const { appKey, secretKey } = this.settings;
    const sentKey = header(req, 'appkey');
    const sentSecret = header(req, 'secretkey');
    if (sentKey !== appKey || (sentSecret === undefined ? !tokenCheck : sentSecret !== secretKey)) {
      return this.error('SYSCD03003');
    }
    if (!customer) return this.error('SYSCD03001');
    const waitMs = this.limiter.admit(appKey, performance.now());
    if (waitMs > 0) {
      return this.error('SYSCD03101', undefined, {
        'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
      });
    }
    if (!this.quota.take(appKey)) return this.error('SYSCD03102');
    const fault = this.drawFault(operation, call.accountNumber);
    if (fault?.code) return this.error(fault.code);
    if (fault?.kind === 'timeout') return this.error('SYSCD01003');
    if (fault?.kind === 'reset') return { type: 'reset', code: 'RESET' };
    if (fault?.kind === 'html') {
      return {
        type: 'answer',
        status: 502,
        code: 'HTML',
        contentType: 'text/html; charset=utf-8',
        body: HTML_502,
      };
    }
    const answer = tokenCheck ? this.tokenCheckAnswer(customer) : this.answer(operation, body, customer);
    if (isBodyFault(fault)) return shapeAnswer(fault, answer);
    if (fault?.kind === 'stall') return { type: 'stall', code: 'STALL', held: answer };
    if (fault?.kind === 'malformed') {
      const whole = typeof answer.body === 'string' ? Buffer.from(answer.body) : Buffer.concat(answer.body);
      const cut = whole.subarray(0, Math.max(1, Math.floor(whole.length / 2)));
      return { type: 'answer', status: 200, code: 'MALFORMED', contentType: JSON_TYPE, body: [cut] };
    }
    return answer;
  }

  private answer(operation: SandboxOperation, body: unknown, customer: Customer): Answer {
    const checked = checkEnvelope(body);
    if ('code' in checked) return this.error(checked.code);
    const { dataBody } = checked.request;
    const format = this.settings.wireFormat;
    const bank = this.bank;
    if (operation === 'listAccounts') {
      return this.ok(
        accountListBody(
          customer.accounts.map((account) => bank.summary(account)),
          format,
        ),
      );
    }
    if (operation === 'getAccountBasics') {
      const inputs = checkInputs(dataBody, ['INQ_BAS_DT']);
      if ('code' in inputs) return this.error(inputs.code);
      const account = bank.accountOf(customer, inputs.accountNumber);
      if (!account) return this.error('SYSCD01006', NOT_OWN_ACCOUNT_MESSAGE);
      return this.ok(basicsBody(bank.basics(account, inputs.dates[0]), format));
    }
    const inputs = checkInputs(dataBody, ['INQ_STA_DT', 'INQ_END_DT']);
    if ('code' in inputs) return this.error(inputs.code);
    const [from, to] = inputs.dates;
    if (from > to || to - from + 1 > this.settings.maxSpanDays) return this.error('SYSCD01006');
    const account = bank.accountOf(customer, inputs.accountNumber);
    if (!account) return this.error('SYSCD01006', NOT_OWN_ACCOUNT_MESSAGE);
    return this.ok(transactionsBody(bank.transactions(account, from, to), account.product.currency, format));
  }

  /**
   * The token check answers like the other operations: only GLBL_ID in dataHeader on success (a
   * client treats any SYSCD value there as an error code), and what it knows in dataBody.
   */
  private tokenCheckAnswer(customer: Customer): Answer {
    return this.ok(`{"TOKEN_VALID_YN":"Y","CUST_ID":"${customer.name}","SCOPE":"finance"}`);
  }

  private drawFault(
    operation: SandboxOperation,
    accountNumber: string | undefined,
  ): SandboxFault | undefined {
    for (const fault of this.settings.faults) {
      if (fault.operations && !fault.operations.includes(operation)) continue;
      if (fault.accounts && (accountNumber === undefined || !fault.accounts.includes(accountNumber)))
        continue;
      if (this.faultRandom.next() < fault.rate) return fault;
    }
    return undefined;
  }

  private ok(dataBody: string | Buffer[]): Answer {
    const globalId = this.globalId();
    const body =
      typeof dataBody === 'string' ? envelope(globalId, dataBody) : envelopeChunks(globalId, dataBody);
    return { type: 'answer', status: 200, code: 'OK', contentType: JSON_TYPE, body };
  }

  private error(code: string, message?: string, headers?: Record<string, string>): Answer {
    const known = SYSTEM_CODES[code];
    const body = errorEnvelope(this.globalId(), code, message ?? known.message);
    return { type: 'answer', status: known.status, code, contentType: JSON_TYPE, body, headers };
  }

  /** GLBL_ID, S(32): the sandbox's `today`, a marker and a sequence number, so runs are repeatable. */
  private globalId(): string {
    this.sequence += 1;
    return this.globalIdPrefix + String(this.sequence).padStart(19, '0');
  }

  private send(req: IncomingMessage, res: ServerResponse, outcome: Outcome): void {
    if (res.destroyed || res.writableEnded) return;
    if (outcome.type === 'reset') req.socket.destroy();
    else if (outcome.type === 'stall') this.send(req, res, outcome.held);
    else if (outcome.type === 'endless') sendEndless(res, outcome);
    else this.sendAnswer(res, outcome);
  }

  private sendAnswer(res: ServerResponse, answer: Answer): void {
    const chunks = typeof answer.body === 'string' ? [Buffer.from(answer.body, 'utf8')] : answer.body;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    res.writeHead(answer.status, {
      'Content-Type': answer.contentType,
      'Content-Length': String(length),
      ...answer.headers,
    });
    if (chunks.length === 1) {
      res.end(chunks[0]);
      return;
    }
    res.cork();
    for (const chunk of chunks) res.write(chunk);
    res.end();
    res.uncork();
  }

  /** Runs `action` after `delayMs` unless the client goes away first or the sandbox closes. */
  private later(res: ServerResponse, delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      res.off('close', cancel);
      action();
    }, delayMs);
    const cancel = (): void => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
    this.timers.add(timer);
    res.once('close', cancel);
  }

  private control(path: string, method: string, raw: RawBody, res: ServerResponse): void {
    const action = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
    const reply = (status: number, value: unknown): void =>
      this.sendAnswer(res, {
        type: 'answer',
        status,
        code: 'OK',
        contentType: JSON_TYPE,
        body: JSON.stringify(value),
      });
    switch (action) {
      case 'GET counters':
        return reply(200, this.counters());
      case 'POST reset':
        this.reset();
        return reply(200, { ok: true });
      case 'GET config':
        return reply(200, { settings: this.settings });
      case 'POST config': {
        try {
          this.configure(JSON.parse(raw.text || '{}') as SandboxPatch);
        } catch (error) {
          return reply(400, { error: error instanceof Error ? error.message : String(error) });
        }
        return reply(200, { settings: this.settings });
      }
      case 'GET customers':
        return reply(200, { customers: this.customers() });
      default:
        return reply(404, {
          error: `Unknown control endpoint '${action}'; try GET counters, POST reset, GET|POST config, GET customers`,
        });
    }
  }
}

interface RawBody {
  text: string;
  tooLarge: boolean;
}

function readBody(req: IncomingMessage): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const tooLarge = size > MAX_BODY_BYTES;
      resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge });
    });
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Authorization: Bearer <token>` (the document) or a `token` header (Woori's Swagger). */
function customerToken(req: IncomingMessage): string | undefined {
  const authorization = header(req, 'authorization');
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : header(req, 'token');
}

/** Copies what a test wants to see about a call (account, dates) into its record. */
function describeCall(body: unknown, call: SandboxCallRecord): void {
  if (!isObject(body) || !isObject(body.dataBody)) return;
  const dataBody = body.dataBody;
  const text = (value: Json | undefined): string | undefined =>
    typeof value === 'string' ? value : undefined;
  const date = (value: Json | undefined): string | undefined => {
    const raw = text(value);
    const day = raw === undefined ? undefined : parseCompactDate(raw);
    return day === undefined ? raw : isoDate(day);
  };
  const accountNumber = text(dataBody.INQ_ACNO);
  if (accountNumber !== undefined) call.accountNumber = accountNumber;
  const from = date(dataBody.INQ_STA_DT);
  if (from !== undefined) call.from = from;
  const to = date(dataBody.INQ_END_DT);
  if (to !== undefined) call.to = to;
  const asOf = date(dataBody.INQ_BAS_DT);
  if (asOf !== undefined) call.asOf = asOf;
}
