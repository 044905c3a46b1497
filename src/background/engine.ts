/**
 * The validation engine of the background: one `Validator` (with its caches) for the current
 * resolver and trust anchor settings, rebuilt when they change, and a per-host verdict cache
 * honouring the validated TTLs. Browser-independent: `fetch` and the clock are injected.
 */
import { combineAddress, toCheckResult, validateHost, type CheckResult, type HostVerdict } from '../core/check';
import { checkMail, type MailResult } from '../core/mail';
import { rdataToString } from '../core/wire/present';
import type { GeneratorResult } from '../shared/messages';
import { BUILTIN_ANCHORS, type TrustAnchor } from '../core/dnssec/anchors';
import { trustAnchorsFromText } from '../core/trust-anchor-text';
import type { LookupResult } from '../core/dnssec/result';
import { Validator } from '../core/dnssec/validator';
import { DohClient, type FetchLike } from '../core/transport/doh';
import { StoredAnswers, type LoadOutcome, type StoredAnswersSnapshot } from '../core/transport/stored-answers';
import { tcpTlsaName } from '../core/dane/names';
import { parseName } from '../core/wire/name';
import { RRType, type Message, type Name, type TLSAData } from '../core/wire/types';
import type { ResolverTestResult } from '../shared/messages';
import { negativeAnchorNames, resolverUrls, type Options, type TrustAnchorChoice } from '../shared/options';

/** One host's validated DNS facts. */
export interface HostCheck {
  host: string;
  port: number;
  result: CheckResult;
  verdict: HostVerdict;
  /** The TLSA RRset (validated state in result.tlsa.state), as data for matchTlsa. */
  tlsaRecords: TLSAData[];
  tlsaEnabled: boolean;
  /** The resolver URLs asked (primary first). */
  resolvers: string[];
  checkedAt: number;
}

/** Bounds of the per-host cache lifetime (the validated TTLs decide within them). */
export const CACHE_MIN_MS = 30_000;
export const CACHE_MAX_MS = 3_600_000;
/** A verdict that could not be reached is retried soon. */
export const CACHE_FAILURE_MS = 5_000;
const CACHE_ENTRIES = 512;
/** Mail checks (popup mail section) are kept this long: opening the popup again asks nothing. */
export const MAIL_CACHE_MS = 120_000;
const MAIL_CACHE_ENTRIES = 64;

/** The validated TLSA lookup the generator compares with. */
export type TlsaLookup = NonNullable<Extract<GeneratorResult, { ok: true }>['lookup']>;

export function anchorsFor(choice: TrustAnchorChoice): { anchors: readonly TrustAnchor[] } | { error: string } {
  if (choice.kind === 'builtin') return { anchors: BUILTIN_ANCHORS };
  const parsed = trustAnchorsFromText(choice.text);
  return parsed.ok ? { anchors: parsed.anchors } : { error: parsed.error };
}

/** How long a host check may be reused, from the TTLs of its lookups. Pure. */
export function cacheLifetimeMs(lookups: readonly Pick<LookupResult, 'state' | 'ttl'>[]): number {
  if (lookups.some((l) => l.state === 'indeterminate')) return CACHE_FAILURE_MS;
  const ttl = Math.min(...lookups.map((l) => l.ttl)) * 1000;
  if (!Number.isFinite(ttl)) return CACHE_MIN_MS;
  return Math.min(CACHE_MAX_MS, Math.max(CACHE_MIN_MS, ttl));
}

/** A TLSA verdict for when TLSA checking is off: no query is sent. */
function tlsaNotAsked(name: string): LookupResult {
  return { name, type: RRType.TLSA, state: 'insecure', result: 'nodata', records: [], links: [], chain: [], ttl: Infinity };
}

/**
 * Promises by key, each kept for the lifetime its value decides (from when it settles); a failed
 * one is dropped at once. At most `maxEntries`, the oldest dropped first.
 */
class PromiseCache<T> {
  private readonly entries = new Map<string, { promise: Promise<T>; expires: number; value?: T }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
    private readonly lifetimeMs: (value: T) => number,
  ) {}

  /** The cached promise for `key` while it lasts (unless `fresh`), else the one `run` starts. */
  get(key: string, fresh: boolean, run: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && !fresh && hit.expires > this.now()) return hit.promise;
    const entry: { promise: Promise<T>; expires: number; value?: T } = { promise: run(), expires: Infinity };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    entry.promise.then(
      (value) => {
        entry.value = value;
        entry.expires = this.now() + this.lifetimeMs(value);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.promise;
  }

  /** The settled value for `key` while it lasts, at once (no promise to wait for); undefined otherwise. */
  peek(key: string): T | undefined {
    const hit = this.entries.get(key);
    return hit?.value !== undefined && hit.expires > this.now() ? hit.value : undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Where the kept answers (core/transport/stored-answers.ts) live between lives of the background
 * (storage.session in the browser), injected.
 */
export interface AnswerStorage {
  /** What an earlier life stored, if anything (anything at all: it is checked entry by entry). */
  load(): Promise<unknown>;
  /** The kept answers changed: store the snapshot `take` gives (the storage may wait and coalesce). */
  save(take: () => StoredAnswersSnapshot): void;
}

/** The kept answers of one set of resolver URLs, and the loading of an earlier life's snapshot into them. */
interface Kept {
  answers: StoredAnswers;
  loading: Promise<void>;
}

/** A lookup that may be kept: proven one way or the other. */
const proven = (l: Pick<LookupResult, 'state'>) => l.state === 'secure' || l.state === 'insecure';

interface Configured {
  key: string;
  kept: Kept;
  validator: Validator | null;
  primed?: boolean;
  anchorError: string | null;
  urls: string[];
  tlsa: boolean;
}

export class Engine {
  private configured: Configured | null = null;
  private readonly cache: PromiseCache<HostCheck>;
  private readonly mailCache: PromiseCache<MailResult>;
  private readonly fetchFn: FetchLike | undefined;
  private readonly now: () => number;
  private readonly storage: AnswerStorage | undefined;
  /** An earlier life's snapshot, read at construction, until a store of its resolvers takes it. */
  private earlier: Promise<unknown> | null;
  /** What loading the earlier snapshot gave (for tests and the bench). */
  lastLoad: LoadOutcome | null = null;

  constructor(deps: { fetch?: FetchLike; now?: () => number; answers?: AnswerStorage } = {}) {
    this.fetchFn = deps.fetch;
    this.now = deps.now ?? (() => Date.now());
    this.storage = deps.answers;
    // Read at once, beside the options: a restarted worker's first verdict waits for both, not one after the other.
    this.earlier = this.storage ? this.storage.load().catch(() => undefined) : null;
    this.cache = new PromiseCache(CACHE_ENTRIES, this.now, (r) => cacheLifetimeMs([r.verdict.a, r.verdict.aaaa, r.verdict.tlsa]));
    this.mailCache = new PromiseCache(MAIL_CACHE_ENTRIES, this.now, (r) => (r.summary === 'indeterminate' ? CACHE_FAILURE_MS : MAIL_CACHE_MS));
  }

  /** The configured validator; throws when not configured or the trust anchor is unusable. */
  private usable(): Configured & { validator: Validator } {
    const c = this.configured;
    if (!c) throw new Error('engine not configured');
    if (c.anchorError !== null || !c.validator) throw new Error(`trust anchor unusable: ${c.anchorError}`);
    return { ...c, validator: c.validator };
  }

  /**
   * Applies the options; the validator (and every cache) is rebuilt only when they changed, or
   * always with `fresh` (a user's "check again": nothing learnt before is reused).
   */
  configure(o: Options, fresh = false): void {
    const urls = resolverUrls(o);
    const key = JSON.stringify([urls, o.trustAnchor, o.tlsa, o.negativeAnchors]);
    if (this.configured?.key === key && !fresh) return;
    this.cache.clear();
    this.mailCache.clear();
    const anchors = anchorsFor(o.trustAnchor);
    let validator: Validator | null = null;
    let anchorError: string | null = null;
    if ('error' in anchors) {
      anchorError = anchors.error;
    }
    const kept = this.keptFor(urls, fresh);
    if (!('error' in anchors)) {
      validator = new Validator({ resolver: kept.answers, anchors: anchors.anchors, negativeAnchors: negativeAnchorNames(o), now: this.now });
    }
    this.configured = { key, kept, validator, anchorError, urls, tlsa: o.tlsa };
  }

  /**
   * The kept answers of these resolver URLs: those in use when the URLs did not change (the
   * answers are the resolver's, whatever the anchors or TLSA option), else a new store, into
   * which an earlier life's snapshot of the same resolvers is loaded. `fresh` (the user's "check
   * again") starts empty and forgets the earlier snapshot.
   */
  private keptFor(urls: string[], fresh: boolean): Kept {
    const current = this.configured?.kept;
    if (current && !fresh && JSON.stringify(current.answers.resolvers) === JSON.stringify(urls)) return current;
    const answers = new StoredAnswers(new DohClient({ urls, fetch: this.fetchFn, timeoutMs: 5000, retries: 1 }), urls, this.now);
    if (fresh) {
      this.earlier = null;
      this.storage?.save(() => answers.snapshot());
    }
    const earlier = this.earlier;
    const loading = earlier
      ? earlier.then((data) => {
          if (data === undefined) return;
          const outcome = answers.load(data);
          this.lastLoad = outcome;
          if (!('refused' in outcome) && this.earlier === earlier) this.earlier = null;
        })
      : Promise.resolve();
    return { answers, loading };
  }

  /** Keeps the messages of a proven outcome, and has them stored. */
  private keep(kept: Kept, messages: readonly Message[]): void {
    if (kept.answers.keep(messages) > 0) this.storage?.save(() => kept.answers.snapshot());
  }

  /**
   * Asks the resolver for the trust anchors' keys now (Validator.prime), once per configuration:
   * the first navigation then finds them verified and the DoH connection open. Called by the
   * options lifecycle once the user's options are known (never on defaults standing in for
   * unreadable ones: nothing is sent then). At start-up (a Chrome worker restarts after 30 s
   * idle) and when the resolver or anchors change.
   */
  prime(): void {
    const c = this.configured;
    if (!c?.validator || c.primed) return;
    c.primed = true;
    const validator = c.validator;
    const kept = c.kept;
    void kept.loading.then(async () => {
      const ctx = validator.context();
      const keys = await validator.prime(ctx);
      if (keys.every(proven)) this.keep(kept, ctx.fetcher.arrived());
    });
  }

  /** The host's validated DNS facts, from the cache while its TTL lasts. Rejects when misconfigured. */
  check(host: string, port: number, opts: { fresh?: boolean } = {}): Promise<HostCheck> {
    let c: Configured & { validator: Validator };
    try {
      c = this.usable();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return this.cache.get(`${host}:${port}`, opts.fresh === true, () => this.run(c, host, port));
  }

  /**
   * The cached, settled check of the host while its TTL lasts, at once (no promise to wait for):
   * a repeat visit publishes its verdict with the navigation's first paint. Null otherwise.
   */
  peek(host: string, port: number): HostCheck | null {
    const c = this.configured;
    if (!c || c.anchorError) return null;
    return this.cache.peek(`${host}:${port}`) ?? null;
  }

  /**
   * The mail servers of `domain` and their DANE state (RFC 7672), cached for MAIL_CACHE_MS.
   * Rejects when misconfigured or the name is not a DNS name.
   */
  checkMail(domain: string, opts: { fresh?: boolean } = {}): Promise<MailResult> {
    let c: Configured & { validator: Validator };
    try {
      c = this.usable();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const name = parseName(domain);
    if (!name) return Promise.reject(new Error(`not a DNS name: ${domain}`));
    return this.mailCache.get(name.toLowerCase(), opts.fresh === true, () => this.mailFromKept(c, name));
  }

  /**
   * The validated TLSA RRset of `_<port>._tcp.<host>` (with the CNAME rules of RFC 7671 §7),
   * whatever the TLSA option says: for the record generator, which compares with it.
   */
  async lookupTlsa(host: string, port: number): Promise<TlsaLookup> {
    const c = this.usable();
    const name = parseName(host);
    if (!name) throw new Error(`not a DNS name: ${host}`);
    const v = await this.fromKept(c.kept, () => validateHost(c.validator, name, port));
    const address = combineAddress(v.a, v.aaaa);
    const failed = v.tlsa.state === 'indeterminate' && address.state === 'indeterminate';
    if (failed) throw new Error(v.tlsa.reason?.message ?? 'the resolver did not answer');
    return {
      name: v.tlsaName.replace(/\.$/, ''),
      state: v.tlsa.state,
      result: v.tlsa.result,
      records: v.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => rdataToString(r)),
      reason: v.tlsa.reason?.message ?? null,
    };
  }

  private async run(c: Configured & { validator: Validator }, host: string, port: number): Promise<HostCheck> {
    const validator = c.validator;
    const name = parseName(host);
    if (!name) throw new Error(`not a DNS name: ${host}`);
    const started = this.now();
    const validate = async (): Promise<HostVerdict> => {
      if (c.tlsa) return validateHost(validator, name, port);
      const ctx = validator.context();
      const [a, aaaa] = await Promise.all([validator.lookup(name, RRType.A, ctx), validator.lookup(name, RRType.AAAA, ctx)]);
      const tName = tcpTlsaName(name, port);
      return { a, aaaa, tlsa: tlsaNotAsked(tName), tlsaName: tName, ctx };
    };
    const verdict = await this.fromKept(c.kept, validate);
    const result = toCheckResult(host, port, verdict, this.now() - started);
    const tlsaRecords = verdict.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => r.data as TLSAData);
    return { host, port, result, verdict, tlsaRecords, tlsaEnabled: c.tlsa, resolvers: c.urls, checkedAt: this.now() };
  }

  /** A host verdict through the kept answers (see `throughKept`). */
  private fromKept(kept: Kept, validate: () => Promise<HostVerdict>): Promise<HostVerdict> {
    return this.throughKept(kept, async () => {
      const v = await validate();
      return { value: v, proven: [v.a, v.aaaa, v.tlsa].every(proven), messages: v.ctx.fetcher.arrived() };
    });
  }

  /** A mail check through the kept answers (see `throughKept`): proven when the MX lookup and every host's lookups are. */
  private mailFromKept(c: Configured & { validator: Validator }, domain: Name): Promise<MailResult> {
    return this.throughKept(c.kept, async () => {
      const messages: Message[] = [];
      const r = await checkMail(c.validator, domain, { clock: this.now, used: (m) => messages.push(...m) });
      const provenAll = proven(r.mx) && r.hosts.every((h) => proven(h.address) && proven(h.tlsa));
      return { value: r, proven: provenAll, messages };
    });
  }

  /**
   * A check through the kept answers: once the earlier life's snapshot is loaded; when kept
   * answers gave a result that is not proven (a key rolled, the clock jumped) they are dropped and
   * the resolver is asked, as a resolver re-fetches data that failed validation; a proven result's
   * answers are kept.
   */
  private async throughKept<T>(kept: Kept, run: () => Promise<{ value: T; proven: boolean; messages: readonly Message[] }>): Promise<T> {
    await kept.loading;
    let r = await run();
    if (!r.proven && kept.answers.servedAny(r.messages)) {
      kept.answers.forget(r.messages);
      this.storage?.save(() => kept.answers.snapshot());
      r = await run();
    }
    if (r.proven) this.keep(kept, r.messages);
    return r.value;
  }

  /**
   * The options page's "test resolver": validates the root DNSKEY set through `url` with the given
   * trust anchor, with fresh caches. Secure means the resolver delivers usable DNSSEC data.
   */
  async testResolver(url: string, choice: TrustAnchorChoice): Promise<ResolverTestResult> {
    const started = this.now();
    const fail = (reason: string): ResolverTestResult => ({
      ok: false,
      state: 'error',
      url,
      keys: 0,
      elapsedMs: this.now() - started,
      reasonCode: null,
      reason,
    });
    const anchors = anchorsFor(choice);
    if ('error' in anchors) return fail(anchors.error);
    let resolver: DohClient;
    try {
      resolver = new DohClient({ urls: [url], fetch: this.fetchFn, timeoutMs: 5000, retries: 0 });
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    const validator = new Validator({ resolver, anchors: anchors.anchors, now: this.now });
    const r = await validator.lookup('.', RRType.DNSKEY);
    return {
      ok: r.state === 'secure',
      state: r.state,
      url,
      keys: r.records.length,
      elapsedMs: this.now() - started,
      reasonCode: r.reason?.code ?? null,
      reason: r.reason?.message ?? null,
    };
  }
}
