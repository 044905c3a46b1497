/**
 * Which TLSA records a client can use at all.
 *
 * A record is "unusable" when its certificate usage, selector or matching type is unknown to
 * us, or its data cannot possibly match (empty, or a digest of the wrong length). Unusable
 * records are ignored; an RRset with only unusable records is treated as if there were no
 * usable TLSA records at all (RFC 7671 §4.1). Field values: RFC 6698 §2.1.1-§2.1.3.
 *
 * Digest algorithm agility (RFC 7671 §9): of the usable records with the same usage and selector,
 * a SHA2-256 record is set aside when a SHA2-512 one is there ("SHOULD NOT accept keys that match
 * only the weaker '3 1 1' record"); Full(0) records always count. OpenSSL and Postfix (always,
 * since 3.2) do this, so a stale SHA-512 record beside a current SHA-256 one fails their DANE
 * check: it must fail ours, or an operator would be told a mail server authenticates when the
 * senders reject it. A set-aside record is no unusable one: it never makes an RRset "no TLSA".
 */
import type { TLSAData } from '../wire/types';

/** Certificate usages, RFC 6698 §2.1.1, acronyms from RFC 7218 §2.1. */
export const Usage = { PKIX_TA: 0, PKIX_EE: 1, DANE_TA: 2, DANE_EE: 3 } as const;
/** Selectors, RFC 6698 §2.1.2, acronyms from RFC 7218 §2.2. */
export const Selector = { CERT: 0, SPKI: 1 } as const;
/** Matching types, RFC 6698 §2.1.3, acronyms from RFC 7218 §2.3. */
export const MatchingType = { FULL: 0, SHA2_256: 1, SHA2_512: 2 } as const;

/** Digest lengths of the hashed matching types (SHA-256: 32 octets, SHA-512: 64 octets). */
const DIGEST_LENGTH: Record<number, number> = { [MatchingType.SHA2_256]: 32, [MatchingType.SHA2_512]: 64 };

export type Usability = { usable: true } | { usable: false; reason: string };

/** Decide whether one TLSA record is usable. Never throws. */
export function checkUsable(r: TLSAData): Usability {
  if (r === null || typeof r !== 'object' || !(r.data instanceof Uint8Array)) {
    return { usable: false, reason: 'not a TLSA record' };
  }
  const { usage, selector, matchingType, data } = r;
  // Private-use values 255 (PrivCert/PrivSel/PrivMatch, RFC 6698 §7.2-7.4) have no agreed
  // meaning, so they are unknown to us like any unassigned value.
  if (!(usage === 0 || usage === 1 || usage === 2 || usage === 3)) {
    return { usable: false, reason: `unknown certificate usage ${String(usage)}` };
  }
  if (!(selector === 0 || selector === 1)) {
    return { usable: false, reason: `unknown selector ${String(selector)}` };
  }
  if (!(matchingType === 0 || matchingType === 1 || matchingType === 2)) {
    return { usable: false, reason: `unknown matching type ${String(matchingType)}` };
  }
  if (data.length === 0) return { usable: false, reason: 'empty certificate association data' };
  const want = DIGEST_LENGTH[matchingType];
  if (want !== undefined && data.length !== want) {
    return {
      usable: false,
      reason: `${matchingType === 1 ? 'SHA-256' : 'SHA-512'} digest is ${data.length} octets, expected ${want}`,
    };
  }
  return { usable: true };
}

export interface UsableSplit {
  usable: { record: TLSAData; index: number }[];
  unusable: { record: TLSAData; index: number; reason: string }[];
  /** Usable records not used: a stronger digest of the same usage and selector is there (RFC 7671 §9). */
  setAside: { record: TLSAData; index: number }[];
}

/** Split an RRset into usable, unusable and set-aside records, keeping the original indices. */
export function splitUsable(records: readonly TLSAData[]): UsableSplit {
  const out: UsableSplit = { usable: [], unusable: [], setAside: [] };
  if (!Array.isArray(records)) return out;
  const candidates: UsableSplit['usable'] = [];
  records.forEach((record, index) => {
    const u = checkUsable(record);
    if (u.usable) candidates.push({ record, index });
    else out.unusable.push({ record, index, reason: u.reason });
  });
  const strongest = new Set(candidates.filter((c) => c.record.matchingType === MatchingType.SHA2_512).map((c) => `${c.record.usage}/${c.record.selector}`));
  for (const c of candidates) {
    const weaker = c.record.matchingType === MatchingType.SHA2_256 && strongest.has(`${c.record.usage}/${c.record.selector}`);
    (weaker ? out.setAside : out.usable).push(c);
  }
  return out;
}
