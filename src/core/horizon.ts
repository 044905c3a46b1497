/**
 * The expiry horizon (`--days <n>`, issue #15 part 4): judge the same DNS data and the same
 * certificates as if it were n days later, and name what expires first and when. Pure: the
 * caller re-runs its own check at a later clock (`judge`), over the answers it already has.
 *
 * What can expire: RRSIGs (a signature past its expiration is bogus, RFC 4035 §5.3.1; the chain
 * links carry the earliest DNSKEY/DS signature of each zone) and, where it matters, certificate
 * validity — PKIX-TA/PKIX-EE (RFC 7671 §5.3, §5.4: PKIX validation) and the certificates below a
 * DANE-TA anchor (RFC 7671 §5.2, RFC 5280 §6.1.3 (a)(2)); never DANE-EE, whose dates are ignored
 * (RFC 7671 §5.1).
 */
import type { ChainLink } from './dnssec/result';
import { DAY_MS } from './expiry';

/**
 * Furthest horizon: RRSIG times are 32-bit serial numbers (RFC 4034 §3.1.5, RFC 1982), which
 * cannot say anything beyond 68 years; ten years covers any certificate or signing policy.
 */
export const MAX_HORIZON_DAYS = 3650;

/** Precision of the moment a verdict stops holding (found by bisection). */
export const HORIZON_PRECISION_MS = 3_600_000;

export interface ExpiryItem {
  kind: 'signature' | 'certificate' | 'verdict';
  /** In words: "DNSKEY/DS signatures of zone example.com.", "certificate #0 CN=…". */
  what: string;
  zone?: string;
  /** ms since the epoch. */
  at: number;
}

export interface HorizonJson {
  days: number;
  /** The moment judged (ISO 8601). */
  at: string;
  /** True when every state of the check is the same at `at` as now. */
  holds: boolean;
  /** What changes, "address: secure → bogus". */
  changes: string[];
  /** When it no longer holds: the first moment (within an hour) at which a state changes. */
  failsAt?: string;
  /** Why, as the check says it at `failsAt`. */
  reason?: string;
  /** What expires first, as far as it is known (null when nothing of it expires). */
  expiresFirst: { kind: ExpiryItem['kind']; what: string; zone?: string; at: string; inDays: number } | null;
}

/** The earliest expiry of the secure zones of a chain (their DNSKEY and DS signatures). */
export function chainExpiries(chain: readonly ChainLink[]): ExpiryItem[] {
  return chain
    .filter((l) => l.state === 'secure' && typeof l.signatureExpiration === 'number')
    .map((l) => ({ kind: 'signature' as const, what: `DNSKEY/DS signatures of zone ${l.zone}`, zone: l.zone, at: l.signatureExpiration! * 1000 }));
}

/** Which certificates' dates matter for a DANE match of `usage` at chain index `certIndex`. */
export function certificatesThatMatter(usage: number, certIndex: number, count: number): number[] {
  if (usage === 3) return []; // DANE-EE: validity dates ignored (RFC 7671 §5.1)
  if (usage === 2) return Array.from({ length: Math.max(0, Math.min(certIndex, count)) }, (_, i) => i); // below the TA
  return Array.from({ length: count }, (_, i) => i); // PKIX-TA/EE: the whole PKIX chain
}

export interface HorizonInput<T> {
  now: number;
  days: number;
  /** The check now (already done). */
  current: T;
  /** The same check at a later moment, over the same answers. */
  judge: (at: number) => Promise<T>;
  /** The states that must hold, by name ("address", "tlsa", "dane", …). */
  states: (r: T) => Record<string, string>;
  /** The reason a state has, in words, if any. */
  reason: (r: T, state: string) => string | undefined;
  /** Known expiries (signatures on the chain, certificates that matter). */
  known: ExpiryItem[];
}

/** ISO 8601 to the second. */
function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? '—'} → ${b[k] ?? '—'}`);
}

function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
}

/**
 * Judges the check at now + days. When a state changes, finds the first moment it does (bisection
 * to HORIZON_PRECISION_MS; expirations only move a verdict one way within the window) and its
 * reason; names the first known expiry, or the failure itself when it comes earlier (an answer's
 * own signature, which the chain does not list).
 */
export async function judgeHorizon<T>(input: HorizonInput<T>): Promise<HorizonJson> {
  const { now, days } = input;
  if (!(days >= 0) || !Number.isFinite(days)) throw new RangeError(`days must be a finite number ≥ 0, not ${days}`);
  const at = now + days * DAY_MS;
  const before = input.states(input.current);
  const later = await input.judge(at);
  const after = input.states(later);
  const changes = diff(before, after);
  const holds = changes.length === 0;
  const out: HorizonJson = { days, at: iso(at), holds, changes, expiresFirst: null };
  let first = [...input.known].sort((x, y) => x.at - y.at)[0] ?? null;
  if (!holds) {
    let lo = now;
    let hi = at;
    let atHi = later;
    while (hi - lo > HORIZON_PRECISION_MS) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const r = await input.judge(mid);
      if (changed(before, input.states(r)).length === 0) lo = mid;
      else {
        hi = mid;
        atHi = r;
      }
    }
    const keys = changed(before, input.states(atHi));
    const why = keys.map((k) => input.reason(atHi, k)).find((s) => s) ?? diff(before, input.states(atHi)).join('; ');
    // A known expiry inside the last interval is the exact moment; otherwise the interval's end.
    const exact = input.known.filter((k) => k.at > lo && k.at <= hi).sort((x, y) => x.at - y.at)[0];
    const failsAt = exact ? exact.at : hi;
    out.failsAt = iso(failsAt);
    out.reason = why;
    // A known expiry that explains the failure is named as it is; otherwise the failure itself.
    if (!first || first.at > failsAt) first = { kind: 'verdict', what: why, at: failsAt };
  }
  if (first) {
    out.expiresFirst = {
      kind: first.kind,
      what: first.what,
      ...(first.zone ? { zone: first.zone } : {}),
      at: iso(first.at),
      inDays: Math.round(((first.at - now) / DAY_MS) * 10) / 10,
    };
  }
  return out;
}
