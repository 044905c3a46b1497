/**
 * One verdict often meets the same RRset several times: the NSEC at `www` proves both "no DS" in
 * the walk and "no AAAA" in the answer; NSEC3 records of an NXDOMAIN serve the A, AAAA and TLSA
 * lookups alike. Verify each (zone, RRset, signatures, keys) once per verdict context.
 * Same inputs in the same context (same clock) give the same result, so this changes no verdict.
 */
import { once, type VerdictContext } from './context';
import { verifyRRset, type RRsetVerification } from './rrsig';
import { toHex } from '../util/encoding';
import { canonicalName } from '../wire/name';
import type { DNSKEYData, Name, RR, RRSIGData } from '../wire/types';

const keyIds = new WeakMap<readonly RR[], string>();

function idOf(records: readonly RR[]): string {
  let id = keyIds.get(records);
  if (id === undefined) {
    // Everything verifyRRset looks at: owner, type, class, TTL (it bounds the result) and RDATA.
    id = records.map((r) => `${canonicalName(r.name)}/${r.type}/${r.class}/${r.ttl}/${toHex(r.rdata)}`).sort().join(',');
    keyIds.set(records, id);
  }
  return id;
}

export function verifyRRsetOnce(rrset: RR[], sigs: RR<RRSIGData>[], keys: RR<DNSKEYData>[], zone: Name, ctx: VerdictContext): Promise<RRsetVerification> {
  const key = `verify:${canonicalName(zone)}|${idOf(rrset)}|${idOf(sigs)}|${idOf(keys)}`;
  return once(ctx, key, () => verifyRRset(rrset, sigs, keys, zone, ctx));
}
