/**
 * Rollover readiness (issue #15): does a published TLSA RRset survive the server's next
 * certificate change without an outage? The two schemes of RFC 7671 §8.1 / §8.4 practice (and of
 * RFC 7672 §3.1.3 operators' advice):
 *  - "current + next": a record matches the chain presented now, and another record stands for a
 *    key that is not in use now (typically `3 1 1` current + `3 1 1` next);
 *  - "current + issuer": a DANE-TA(2) record matches an issuing CA of the presented chain (with the
 *    chain verified up to it), so a new certificate from that CA matches too (`3 1 1` + `2 1 1`).
 *
 * Stricter than internet.nl on purpose (their issues #1283 and #1206):
 *  - a `3` and a `2` record that both describe the certificate in use now are one key, not two;
 *  - a `2` record for a CA that did not issue the presented chain is no rollover path for it;
 *  - duplicate records count once.
 * Pure: the per-record matcher (RFC 7671/7672 rules, with the caller's reference identifiers) is
 * injected.
 */
import type { TLSAData } from '../wire/types';
import { generateTlsa, parseCertificate, tlsaToShortString, tlsaToString } from './match';
import { bytesEqual } from '../util/encoding';
import { splitUsable } from './usable';

export type RolloverState = 'ready' | 'not-ready' | 'not-applicable';

export interface RolloverVerdict {
  rollover: RolloverState;
  /** One sentence. */
  reason: string;
}

/** Does this one record, alone, authenticate the chain (usage rules, chain and name checks)? */
export type RecordMatcher = (record: TLSAData) => Promise<{ matched: boolean; certIndex?: number }>;

/** Chain indices whose selector/matching-type data equals the record's (whatever its usage). */
async function describes(r: TLSAData, chain: readonly Uint8Array[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < chain.length; i++) {
    try {
      const g = await generateTlsa(chain[i], r.usage, r.selector, r.matchingType);
      if (bytesEqual(g.data, r.data)) out.push(i);
    } catch {
      // unparseable certificate: describes nothing
    }
  }
  return out;
}

/**
 * The verdict for one presented chain. `records`: the RRset as the service may use it (for SMTP
 * the caller passes only usages 2 and 3, RFC 7672 §3.1.3); unusable records are ignored
 * (RFC 7671 §4.1).
 */
export async function rolloverReadiness(records: readonly TLSAData[], chain: readonly Uint8Array[], matches: RecordMatcher): Promise<RolloverVerdict> {
  const seen = new Set<string>();
  const unique: TLSAData[] = [];
  for (const { record } of splitUsable(records).usable) {
    const key = tlsaToString(record).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(record);
  }
  const dupNote = unique.length < splitUsable(records).usable.length ? ' (duplicate records count once)' : '';
  if (unique.length === 0) return { rollover: 'not-applicable', reason: 'there is no usable TLSA record to roll over' };
  if (chain.length === 0) return { rollover: 'not-applicable', reason: 'no certificate was seen, so the records cannot be compared with the one in use' };

  const judged = await Promise.all(unique.map(async (r) => ({ r, m: await matches(r), d: await describes(r, chain) })));
  const current = judged.filter((j) => j.m.matched);
  if (current.length === 0) {
    return { rollover: 'not-ready', reason: `none of the ${unique.length} usable record(s) matches the certificate presented now, so the next change starts from a broken state${dupNote}` };
  }
  const viaCa = current.find((j) => j.r.usage === 2 && (j.m.certIndex ?? 0) > 0);
  if (viaCa) {
    const ca = await parseCertificate(chain[viaCa.m.certIndex!]);
    return {
      rollover: 'ready',
      reason: `the DANE-TA record ${tlsaToShortString(viaCa.r)} matches the issuing CA${ca ? ` "${ca.subject}"` : ''} of the presented chain, so a renewed certificate from that CA matches too${dupNote}`,
    };
  }
  const next = judged.find((j) => !j.m.matched && j.r.usage === 3 && j.d.length === 0);
  if (next) {
    return {
      rollover: 'ready',
      reason: `besides ${tlsaToShortString(current[0].r)} for the key in use, ${tlsaToShortString(next.r)} stands for a key not in use now (current + next)${dupNote}`,
    };
  }
  const taOnLeaf = judged.find((j) => j.r.usage === 2 && j.d.includes(0));
  if (taOnLeaf) {
    return {
      rollover: 'not-ready',
      reason: `the DANE-TA record ${tlsaToShortString(taOnLeaf.r)} describes the server's own certificate, not an issuer, so it is the same key as the current record and no path for the next one${dupNote}`,
    };
  }
  const taElsewhere = judged.find((j) => j.r.usage === 2 && !j.m.matched && j.d.length === 0);
  if (taElsewhere) {
    return {
      rollover: 'not-ready',
      reason: `the DANE-TA record ${tlsaToShortString(taElsewhere.r)} is for a CA that did not issue the presented chain, so it is no rollover path for this certificate${dupNote}`,
    };
  }
  const taUnverified = judged.find((j) => j.r.usage === 2 && !j.m.matched && j.d.length > 0);
  if (taUnverified) {
    return {
      rollover: 'not-ready',
      reason: `the DANE-TA record ${tlsaToShortString(taUnverified.r)} describes certificate #${taUnverified.d[0]} of the chain, but the chain does not validate to it for this host, so it would not carry a renewed certificate either${dupNote}`,
    };
  }
  return {
    rollover: 'not-ready',
    reason: `every usable record stands for the certificate in use now; publish one for the next key (3 1 1) or for the issuing CA (2 1 1) before the next change${dupNote}`,
  };
}

/** Several chains (one per address): ready only when ready for each. */
export function combineRollover(verdicts: readonly { address: string; verdict: RolloverVerdict }[]): RolloverVerdict {
  if (verdicts.length === 0) return { rollover: 'not-applicable', reason: 'no certificate was seen, so the records cannot be compared with the one in use' };
  const bad = verdicts.find((v) => v.verdict.rollover === 'not-ready');
  if (bad) return { rollover: 'not-ready', reason: verdicts.length > 1 ? `at ${bad.address}: ${bad.verdict.reason}` : bad.verdict.reason };
  const ready = verdicts.find((v) => v.verdict.rollover === 'ready');
  return ready ? ready.verdict : verdicts[0].verdict;
}
