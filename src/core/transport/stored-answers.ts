/**
 * Answers kept for the next life of the background. Chrome stops an idle extension service
 * worker after 30 s and Firefox suspends an idle event page: every cache in memory is gone, and
 * the next navigation, even to the site just left, would ask the whole chain of trust again.
 *
 * `StoredAnswers` is a `QueryResolver` in front of the DoH client that keeps the raw DNS messages
 * that proved a good verdict (secure or insecure), each until its TTL runs out, as a caching
 * resolver does (RFC 1035 §7.4, RFC 2181 §8; negative answers RFC 2308 §5), serves them again
 * as if the resolver had answered, with the TTLs counted down (RFC 1035 §3.2.1: the time the
 * record may still be cached), and gives a snapshot to store and loads one back.
 *
 * Nothing here is trusted: the validator verifies a served message from the trust anchor as
 * it verifies one from the network (signatures against the clock of now, RFC 4035 §5.3.1). The
 * store keeps only the messages of proven verdicts from the configured resolver, each no longer
 * than its TTL and its signatures (RFC 4035 §5.3.3), and at most the named limits below. A loaded snapshot is checked entry by entry; whatever does not fit is dropped
 * with its reason counted, never an exception.
 */
import { namesEqual, parseName, questionKey } from '../wire/name';
import { parseMessage } from '../wire/packet';
import { RRType, type Message, type Name } from '../wire/types';
import { fromBase64, toBase64 } from '../util/encoding';
import type { QueryResolver } from '../dnssec/fetcher';
import { serialDiff } from '../dnssec/rrsig';
import type { DohResult } from './doh';

/** The bounds of the store, each with its reason. */
export const STORED_ANSWER_LIMITS = {
  /** Messages kept: a day of browsing asks a few hundred questions; a snapshot stays well below storage.session's 10 MB. */
  maxEntries: 512,
  /** Largest message kept (bytes): chain answers are 0.5–3 KB; a huge answer is asked again instead of filling the store. */
  maxBytes: 8192,
  /** Longest a message is kept (seconds): as the background's per-host verdict cache (engine.ts CACHE_MAX_MS). */
  maxTtlSeconds: 3600,
} as const;

/** The `url` of a result served from the store (DohResult.url names where the answer came from). */
export const STORED_URL = 'stored:';

/** A snapshot as it is written to storage: JSON only (browser storage keeps no Uint8Array). */
export interface StoredAnswersSnapshot {
  v: 1;
  /** The resolver URLs the answers came from: a snapshot of other resolvers is not loaded. */
  resolvers: string[];
  /** q: "name./type"; b: the message, base64; f: when it arrived, e: until when it may be served (ms since the epoch). */
  answers: { q: string; b: string; f: number; e: number }[];
}

export type LoadOutcome =
  | { loaded: number; dropped: number; droppedWhy: Partial<Record<DropReason, number>> }
  | { loaded: 0; refused: 'not-a-snapshot' | 'other-resolvers' };

export type DropReason = 'malformed' | 'expired' | 'too-large' | 'question-mismatch' | 'too-long' | 'superseded' | 'over-limit';

/**
 * A kept message. One loaded from a snapshot stays base64 text until it is asked for: a restarted
 * background reads hundreds of entries and uses a handful, so decoding, parsing and checking
 * each (question, TTL, signatures) happen on first use; what fails there is dropped then.
 */
interface Entry {
  bytes: Uint8Array | null;
  b64: string | null;
  fetched: number;
  expires: number;
}

interface Seen {
  key: string;
  bytes: Uint8Array;
  fetched: number;
  /** Served from the store (then its entry's expiry is never extended). */
  stored: boolean;
}

/**
 * The shortest TTL a message may be cached for (seconds): every record of the answer and
 * authority sections and, for the SOA of a negative answer, its MINIMUM field (RFC 2308 §5).
 * 0 when there is nothing to bound it (then it is not kept).
 */
export function messageTtl(m: Message): number {
  let ttl = Infinity;
  for (const rr of [...m.answer, ...m.authority]) {
    ttl = Math.min(ttl, rr.ttl);
    if (rr.type === RRType.SOA && rr.data.kind === 'SOA') ttl = Math.min(ttl, rr.data.minimum);
  }
  return Number.isFinite(ttl) ? Math.max(0, ttl) : 0;
}

/**
 * Until when (ms since the epoch) a message that arrived at `fetched` may be served: its own TTL
 * from arrival, the limit, and the earliest expiration of its signatures (RFC 4035 §5.3.3: a
 * validated RRset lives no longer than its signature; serial number arithmetic, RFC 4034 §3.1.5).
 */
export function servableUntil(m: Message, fetched: number): number {
  let until = fetched + Math.min(messageTtl(m), STORED_ANSWER_LIMITS.maxTtlSeconds) * 1000;
  const at = Math.floor(fetched / 1000);
  for (const rr of [...m.answer, ...m.authority]) {
    if (rr.type !== RRType.RRSIG || rr.data.kind !== 'RRSIG') continue;
    const left = serialDiff(rr.data.expiration, at >>> 0);
    until = Math.min(until, left === undefined || left < 0 ? fetched : (at + left) * 1000);
  }
  return until;
}

export class StoredAnswers implements QueryResolver {
  private readonly entries = new Map<string, Entry>();
  /** Every message handed out, with what it takes to keep it (by object: the fetcher keeps the Message). */
  private readonly seen = new WeakMap<Message, Seen>();

  constructor(
    private readonly inner: QueryResolver,
    readonly resolvers: readonly string[],
    private readonly now: () => number,
    private readonly maxEntries: number = STORED_ANSWER_LIMITS.maxEntries,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async query(name: Name, type: number): Promise<DohResult> {
    const key = questionKey(name, type);
    const hit = this.entries.get(key);
    if (hit) {
      const now = this.now();
      const message = hit.expires > now ? this.usable(name, type, hit) : null;
      if (message && hit.bytes) {
        const age = Math.max(0, Math.floor((now - hit.fetched) / 1000));
        for (const section of [message.answer, message.authority, message.additional]) {
          // The OPT pseudo-record's TTL field holds EDNS flags, not a time (RFC 6891 §6.1.3).
          for (const rr of section) if (rr.type !== RRType.OPT) rr.ttl = Math.max(0, rr.ttl - age);
        }
        this.seen.set(message, { key, bytes: hit.bytes, fetched: hit.fetched, stored: true });
        return { ok: true, message, bytes: hit.bytes, elapsedMs: 0, url: STORED_URL };
      }
      this.entries.delete(key);
    }
    const r = await this.inner.query(name, type);
    if (r.ok) this.seen.set(r.message, { key, bytes: r.bytes, fetched: this.now(), stored: false });
    return r;
  }

  /**
   * The entry's message, parsed; for an entry loaded from a snapshot, checked on this first use:
   * a DNS message (RFC 1035 §4.1) answering this very question, kept no longer than
   * `servableUntil`. Null (and counted in `droppedOnUse`) otherwise: the resolver is asked.
   */
  private usable(name: Name, type: number, e: Entry): Message | null {
    if (e.bytes) return parseMessage(e.bytes); // kept from the resolver in this life: parsed before
    const fail = (why: DropReason): null => {
      this.droppedOnUse[why] = (this.droppedOnUse[why] ?? 0) + 1;
      this.entries.delete(questionKey(name, type));
      return null;
    };
    // Its size (12 bytes to maxBytes) was checked from the base64 text at load.
    const bytes = e.b64 === null ? null : fromBase64(e.b64);
    if (!bytes) return fail('malformed');
    let m: Message;
    try {
      m = parseMessage(bytes);
    } catch {
      return fail('malformed');
    }
    const question = m.question[0];
    if (m.question.length !== 1 || !question || !namesEqual(question.name, name) || question.type !== type || !m.header.qr) return fail('question-mismatch');
    if (e.expires > servableUntil(m, e.fetched)) return fail('too-long');
    e.bytes = bytes;
    return m;
  }

  /** Loaded entries dropped on their first use, by reason (a snapshot's faults found late). */
  readonly droppedOnUse: Partial<Record<DropReason, number>> = {};

  /** Whether any of these messages was served from the store. */
  servedAny(messages: readonly Message[]): boolean {
    return messages.some((m) => this.seen.get(m)?.stored === true);
  }

  /**
   * Keeps the messages of a proven verdict (the caller knows which are), each until
   * `servableUntil`. Returns how many entries were added or replaced.
   */
  keep(messages: readonly Message[]): number {
    const now = this.now();
    let changed = 0;
    for (const m of messages) {
      const s = this.seen.get(m);
      // Served from the store: its entry stays as it is (never extended, never brought back).
      if (!s || s.stored || s.bytes.length > STORED_ANSWER_LIMITS.maxBytes) continue;
      const expires = servableUntil(m, s.fetched);
      if (expires <= now) continue;
      this.entries.delete(s.key);
      this.entries.set(s.key, { bytes: s.bytes, b64: null, fetched: s.fetched, expires });
      changed++;
    }
    this.trim();
    return changed;
  }

  /** Drops the entries these messages were served from (a verdict they gave was not good). */
  forget(messages: readonly Message[]): number {
    let dropped = 0;
    for (const m of messages) {
      const s = this.seen.get(m);
      if (s?.stored && this.entries.get(s.key)?.fetched === s.fetched) {
        this.entries.delete(s.key);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
  }

  snapshot(): StoredAnswersSnapshot {
    const now = this.now();
    const answers: StoredAnswersSnapshot['answers'] = [];
    for (const [q, e] of this.entries) {
      // Encoded once per entry (a snapshot is written after every verdict that kept something).
      if (e.expires > now) answers.push({ q, b: (e.b64 ??= toBase64(e.bytes!)), f: e.fetched, e: e.expires });
    }
    return { v: 1, resolvers: [...this.resolvers], answers };
  }

  /** Loads a stored snapshot (anything: it comes from storage) into the store, entry by entry. */
  load(data: unknown): LoadOutcome {
    if (!isSnapshotShape(data)) return { loaded: 0, refused: 'not-a-snapshot' };
    if (data.resolvers.length !== this.resolvers.length || data.resolvers.some((u, i) => u !== this.resolvers[i])) {
      return { loaded: 0, refused: 'other-resolvers' };
    }
    const now = this.now();
    const droppedWhy: Partial<Record<DropReason, number>> = {};
    const drop = (why: DropReason) => {
      droppedWhy[why] = (droppedWhy[why] ?? 0) + 1;
    };
    let loaded = 0;
    for (const a of data.answers) {
      const why = this.loadOne(a, now);
      if (why) drop(why);
      else loaded++;
    }
    const over = this.trim();
    for (let i = 0; i < over; i++) drop('over-limit');
    loaded -= over;
    return { loaded, dropped: Object.values(droppedWhy).reduce((s, n) => s + n, 0), droppedWhy };
  }

  private loadOne(a: unknown, now: number): DropReason | null {
    if (typeof a !== 'object' || a === null) return 'malformed';
    const { q, b, f, e } = a as Record<string, unknown>;
    if (typeof q !== 'string' || typeof b !== 'string' || typeof f !== 'number' || typeof e !== 'number') return 'malformed';
    if (!Number.isFinite(f) || !Number.isFinite(e)) return 'malformed';
    if (e <= now) return 'expired';
    // Never longer than the limit from arrival, and never an arrival in the future (a clock that went back).
    if (f > now) return 'too-long';
    const slash = q.lastIndexOf('/');
    const name = slash > 0 ? parseName(q.slice(0, slash)) : null;
    const type = Number(q.slice(slash + 1));
    if (!name || !Number.isInteger(type) || type < 1 || type > 0xffff || questionKey(name, type) !== q) return 'malformed';
    // Base64 (RFC 4648 §4: 3 bytes per 4 characters, less the padding) of at most maxBytes; decoded on first use.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b)) return 'malformed';
    const size = Math.floor((b.length * 3) / 4) - (b.endsWith('==') ? 2 : b.endsWith('=') ? 1 : 0);
    if (size > STORED_ANSWER_LIMITS.maxBytes) return 'too-large';
    if (size < 12) return 'malformed'; // shorter than a DNS header (RFC 1035 §4.1.1)
    if (e - f > STORED_ANSWER_LIMITS.maxTtlSeconds * 1000) return 'too-long';
    const current = this.entries.get(q);
    if (current && current.fetched >= f) return 'superseded'; // what this life already has is as new or newer
    this.entries.delete(q);
    this.entries.set(q, { bytes: null, b64: b, fetched: f, expires: e });
    return null;
  }

  /** Drops the oldest entries beyond the limit; returns how many. */
  private trim(): number {
    let n = 0;
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      n++;
    }
    return n;
  }
}

function isSnapshotShape(x: unknown): x is { v: 1; resolvers: string[]; answers: unknown[] } {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return s.v === 1 && Array.isArray(s.resolvers) && s.resolvers.every((u) => typeof u === 'string') && Array.isArray(s.answers);
}
