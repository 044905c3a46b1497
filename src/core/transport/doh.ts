/**
 * DNS-over-HTTPS client (RFC 8484). The resolver is only a transport: answers are validated by
 * the DNSSEC code, so this module just makes sure that what comes back is a well-formed DNS
 * response to the question we asked. It never throws for network or protocol failures; those
 * come back as a typed `ResolverError`.
 */
import { LIMITS } from '../dnssec/limits';
import { toBase64Url } from '../util/encoding';
import { namesEqual, parseName, questionKey } from '../wire/name';
import { buildQuery, parseMessage } from '../wire/packet';
import { RRClass, WireError, type Message, type Name } from '../wire/types';

export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>;

export type ResolverErrorKind =
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'content-type'
  | 'body-size'
  | 'truncated'
  | 'malformed'
  | 'id-mismatch'
  | 'question-mismatch'
  | 'aborted';

export interface ResolverError {
  kind: ResolverErrorKind;
  message: string;
  url: string;
  status?: number;
}

export type DohResult =
  | { ok: true; message: Message; bytes: Uint8Array; elapsedMs: number; url: string }
  | { ok: false; error: ResolverError };

export interface DohOptions {
  /** Resolver URLs, primary first, then failover in order. Validated with validateDohUrl. */
  urls: string[];
  /** RFC 8484 §4.1: POST body or GET "dns" parameter. Default POST. */
  method?: 'POST' | 'GET';
  /** Per HTTP attempt, including reading the body. Default 5000. */
  timeoutMs?: number;
  /** Retries per URL on timeout, network error or HTTP 5xx, with backoff 100 ms × 2^n. Default 1. */
  retries?: number;
  fetch?: FetchLike;
  /** Clock for elapsedMs. Default Date.now. */
  now?: () => number;
}

/** RFC 8484 §6: the media type of DNS messages. */
export const DNS_MESSAGE = 'application/dns-message';

/**
 * Check a resolver URL: https only, a host and a path, no credentials or fragment. A trailing
 * RFC 6570 "{?dns}" template (as RFC 8484 §4.1 publishes them) is stripped.
 */
export function validateDohUrl(url: string): { ok: true; url: string } | { ok: false; message: string } {
  const text = url.trim().replace(/\{\?dns\}$/, '');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: 'not a valid URL' };
  }
  if (u.protocol !== 'https:') return { ok: false, message: 'the resolver URL must use https (RFC 8484 §5)' };
  if (u.hostname === '') return { ok: false, message: 'the resolver URL has no host' };
  if (u.username !== '' || u.password !== '') return { ok: false, message: 'credentials in the resolver URL are not allowed' };
  if (u.hash !== '') return { ok: false, message: 'the resolver URL must not have a fragment' };
  if (u.pathname === '' || u.pathname === '/') return { ok: false, message: 'the resolver URL needs a path, e.g. https://dns.example/dns-query' };
  if (u.searchParams.has('dns')) return { ok: false, message: 'the resolver URL must not already carry a "dns" parameter' };
  if (/[{}]/.test(text)) return { ok: false, message: 'unsupported URI template in the resolver URL' };
  return { ok: true, url: u.href };
}

interface Inflight {
  promise: Promise<DohResult>;
  controller: AbortController;
  /** Callers that may still abort; callers without a signal pin the query (Infinity). */
  waiters: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Media type of a Content-Type value, without parameters, lowercased (RFC 9110 §8.3.1). */
function mediaType(value: string | null): string {
  return (value ?? '').split(';')[0].trim().toLowerCase();
}

export class DohClient {
  /** `queries`: HTTP requests sent (retries and failovers included); bytes of DNS messages out/in. */
  readonly stats = { queries: 0, bytesIn: 0, bytesOut: 0 };
  private readonly urls: string[];
  private readonly method: 'POST' | 'GET';
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly fetchFn: FetchLike;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Inflight>();

  constructor(opts: DohOptions) {
    if (opts.urls.length === 0) throw new TypeError('DohClient needs at least one resolver URL');
    this.urls = opts.urls.map((u) => {
      const v = validateDohUrl(u);
      if (!v.ok) throw new TypeError(`bad resolver URL ${u}: ${v.message}`);
      return v.url;
    });
    this.method = opts.method ?? 'POST';
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.retries = Math.max(0, opts.retries ?? 1);
    const f = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
    if (!f) throw new TypeError('no fetch available');
    // Unbound globalThis.fetch throws "Illegal invocation" in browsers.
    this.fetchFn = opts.fetch ?? ((input, init) => f.call(globalThis, input, init));
    this.now = opts.now ?? (() => Date.now());
  }

  /**
   * Ask for `name`/`type` (class IN) with DO=1 and CD=1. Concurrent identical queries (name
   * case-insensitive, same type) share one request and one result object (treat it as
   * read-only). Aborting `signal` gives {kind: 'aborted'} to this caller; the request itself is
   * cancelled once every caller sharing it has aborted.
   */
  query(name: Name, type: number, signal?: AbortSignal): Promise<DohResult> {
    const normalised = parseName(name);
    if (normalised === null) throw new TypeError(`invalid query name ${JSON.stringify(name)}`);
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw new TypeError(`invalid query type ${type}`);
    name = normalised;
    const aborted = (): DohResult => ({ ok: false, error: { kind: 'aborted', message: 'query aborted', url: this.urls[0] } });
    if (signal?.aborted) return Promise.resolve(aborted());
    const key = questionKey(name, type);
    let entry = this.inflight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: Inflight = { controller, waiters: 0, promise: Promise.resolve(null as unknown as DohResult) };
      created.promise = this.run(name, type, controller.signal).finally(() => {
        if (this.inflight.get(key) === created) this.inflight.delete(key);
      });
      this.inflight.set(key, created);
      entry = created;
    }
    const shared = entry;
    if (!signal) {
      shared.waiters = Infinity;
      return shared.promise;
    }
    shared.waiters += 1;
    return new Promise<DohResult>((resolve) => {
      const onAbort = () => {
        shared.waiters -= 1;
        if (shared.waiters <= 0) {
          if (this.inflight.get(key) === shared) this.inflight.delete(key);
          shared.controller.abort();
        }
        resolve(aborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void shared.promise.then((r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      });
    });
  }

  /** Try each URL in order, retrying transient failures with exponential backoff. */
  private async run(name: Name, type: number, signal: AbortSignal): Promise<DohResult> {
    // RFC 8484 §4.1: id 0 so that identical queries are cacheable by HTTP caches.
    const query = buildQuery({ id: 0, name, type });
    let last: DohResult | null = null;
    for (const url of this.urls) {
      for (let attempt = 0; attempt <= this.retries; attempt++) {
        if (signal.aborted) return { ok: false, error: { kind: 'aborted', message: 'query aborted', url } };
        const r = await this.once(url, query, name, type, signal);
        if (r.ok) return r;
        last = r;
        const e = r.error;
        if (e.kind === 'aborted') return r;
        const transient = e.kind === 'timeout' || e.kind === 'network' || e.kind === 'truncated' || (e.kind === 'http-status' && (e.status ?? 0) >= 500);
        if (!transient || attempt === this.retries) break;
        await sleep(100 * 2 ** attempt, signal);
      }
    }
    return last ?? { ok: false, error: { kind: 'network', message: 'no resolver tried', url: this.urls[0] } };
  }

  /** One HTTP exchange with one resolver. */
  private async once(url: string, query: Uint8Array, name: Name, type: number, outer: AbortSignal): Promise<DohResult> {
    const fail = (kind: ResolverErrorKind, message: string, status?: number): DohResult => ({
      ok: false,
      error: status === undefined ? { kind, message, url } : { kind, message, url, status },
    });
    const started = this.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onOuterAbort = () => controller.abort();
    outer.addEventListener('abort', onOuterAbort, { once: true });
    const whyStopped = (err: unknown): DohResult => {
      if (timedOut) return fail('timeout', `no answer within ${this.timeoutMs} ms`);
      if (outer.aborted) return fail('aborted', 'query aborted');
      return fail('network', err instanceof Error ? err.message : String(err));
    };
    try {
      let target = url;
      const headers: Record<string, string> = { accept: DNS_MESSAGE };
      let body: Uint8Array | undefined;
      if (this.method === 'GET') {
        // RFC 8484 §4.1: base64url without padding in the "dns" variable
        target = url + (url.includes('?') ? '&' : '?') + 'dns=' + toBase64Url(query);
      } else {
        headers['content-type'] = DNS_MESSAGE; // RFC 8484 §4.1
        body = query;
      }
      this.stats.queries += 1;
      this.stats.bytesOut += query.length;
      let res: Awaited<ReturnType<FetchLike>>;
      try {
        res = await this.fetchFn(target, { method: this.method, headers, body, signal: controller.signal });
      } catch (err) {
        return whyStopped(err);
      }
      // RFC 8484 §4.2.1: a DNS response comes with a successful HTTP status; we insist on 200.
      if (res.status !== 200) return fail('http-status', `HTTP status ${res.status}`, res.status);
      const ct = mediaType(res.headers.get('content-type'));
      if (ct !== DNS_MESSAGE) return fail('content-type', `unexpected content-type ${JSON.stringify(ct)}`); // RFC 8484 §6
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > LIMITS.maxResponseBytes) {
        return fail('body-size', `response of ${declared} bytes exceeds ${LIMITS.maxResponseBytes}`);
      }
      let buf: ArrayBuffer;
      try {
        buf = await res.arrayBuffer();
      } catch (err) {
        return whyStopped(err);
      }
      if (timedOut) return fail('timeout', `no answer within ${this.timeoutMs} ms`);
      if (outer.aborted) return fail('aborted', 'query aborted');
      const bytes = new Uint8Array(buf);
      this.stats.bytesIn += bytes.length;
      // RFC 1035 §2.3.4 via RFC 8484 §6: a DNS message is at most 65535 octets.
      if (bytes.length > LIMITS.maxResponseBytes) return fail('body-size', `response of ${bytes.length} bytes exceeds ${LIMITS.maxResponseBytes}`);
      // Shorter than a DNS header (RFC 1035 §4.1.1): nothing arrived that could be judged — a
      // transport failure (indeterminate), not malformed DNS data (bogus).
      if (bytes.length < 12) return fail('truncated', `response of ${bytes.length} bytes is shorter than a DNS header`);
      let message: Message;
      try {
        message = parseMessage(bytes);
      } catch (err) {
        return fail('malformed', err instanceof WireError ? err.message : `unparseable response: ${String(err)}`);
      }
      if (!message.header.qr) return fail('malformed', 'response does not have the QR bit set'); // RFC 1035 §4.1.1
      if (message.header.id !== 0) return fail('id-mismatch', `response id ${message.header.id}, expected 0`); // RFC 8484 §4.1
      const q = message.question;
      // RFC 1035 §7.3: the response must be for the question we asked.
      if (q.length !== 1 || !namesEqual(q[0].name, name) || q[0].type !== type || q[0].class !== RRClass.IN) {
        const got = q.map((x) => `${x.name}/${x.type}/${x.class}`).join(', ') || 'no question';
        return fail('question-mismatch', `response is for ${got}, expected ${name}/${type}/1`);
      }
      return { ok: true, message, bytes, elapsedMs: this.now() - started, url };
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    }
  }
}
