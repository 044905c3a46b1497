/**
 * Signature expiry warnings: which zones of a chain of trust have signatures (DNSKEY, DS) that
 * expire within the warning period. A zone whose signatures expire is bogus from that moment
 * (RFC 4035 §5.3.1), so operators want to hear about it days before. Pure.
 */

export const DAY_MS = 86_400_000;

export interface ExpiringZone {
  zone: string;
  /** Earliest signature expiry of the zone, ms since the epoch. */
  expiresAt: number;
  /** Time left (ms); 0 or less when already expired. */
  msLeft: number;
}

/** True when a signature expiring at `expiresAt` falls within `warnDays` days of `now` (0 = never). */
export function expiresSoon(expiresAt: number | null | undefined, now: number, warnDays: number): boolean {
  if (expiresAt === null || expiresAt === undefined || !Number.isFinite(expiresAt)) return false;
  if (!(warnDays > 0)) return false;
  return expiresAt - now < warnDays * DAY_MS;
}

/**
 * Zones whose signatures expire within `warnDays` days of `now`, soonest first.
 * `expiresAt` is in ms since the epoch (null when unknown, e.g. an unsigned zone).
 */
export function expiringZones(
  chain: readonly { zone: string; expiresAt: number | null }[],
  now: number,
  warnDays: number,
): ExpiringZone[] {
  const seen = new Set<string>();
  const out: ExpiringZone[] = [];
  for (const l of chain) {
    const key = l.zone.toLowerCase();
    if (seen.has(key) || !expiresSoon(l.expiresAt, now, warnDays)) continue;
    seen.add(key);
    out.push({ zone: l.zone, expiresAt: l.expiresAt!, msLeft: l.expiresAt! - now });
  }
  return out.sort((a, b) => a.expiresAt - b.expiresAt);
}

/**
 * How to say "in X" for the time left: hours below two days, whole days above. For
 * `Intl.RelativeTimeFormat`, which words it in each language with the right plural.
 */
export function relativeExpiry(msLeft: number): { value: number; unit: 'hour' | 'day' } {
  if (msLeft < 2 * DAY_MS) return { value: Math.max(0, Math.ceil(msLeft / 3_600_000)), unit: 'hour' };
  return { value: Math.floor(msLeft / DAY_MS), unit: 'day' };
}
