/**
 * Entry point for authenticated denial of existence (RFC 4035 §5.4 NSEC, RFC 5155 §8 NSEC3).
 *
 * `records` are NSEC or NSEC3 RRs the caller has ALREADY signature-verified with the keys of
 * `zone` (their signer). This module only decides what they prove; anything short of a complete
 * proof is `failed` (bogus) or one of the explicit insecure outcomes.
 */
import type { Name, RR } from '../wire/types';
import type { Reason } from './result';
import { isNsec, proveNodataNsec, proveNxdomainNsec, proveWildcardAnswerNsec } from './nsec';
import { isNsec3, proveNodataNsec3, proveNxdomainNsec3, proveNxdomainOrNodataNsec3, proveWildcardAnswerNsec3, type HashBudget } from './nsec3';
import { failed as proofFailed, inZone } from './proof';
import { wildcardInfo } from './wildcard';

export type DenialResult =
  | { kind: 'proven'; closestEncloser?: Name } // secure denial
  | { kind: 'insecure-optout'; zone: Name } // RFC 5155 §9.2 / §6: opt-out span: insecure, not bogus
  | { kind: 'insecure-iterations'; iterations: number } // RFC 9276 §3.2
  | { kind: 'insecure-delegation'; zone: Name } // DS denied, NS present at qname: delegation is unsigned
  | { kind: 'failed'; reason: Reason }; // bogus

/**
 * What must be proven about `name`/`type`:
 *  - 'nxdomain': `name` does not exist and no wildcard could answer (RFC 4035 §5.4, RFC 5155 §8.4);
 *  - 'nodata': `name` has no RRset of `type` (RFC 4035 §5.4, RFC 5155 §8.5–§8.7); for DS also
 *    the unsigned-delegation outcomes (RFC 4035 §5.2, RFC 5155 §8.6);
 *  - 'either': NXDOMAIN or NODATA, whichever the records prove (the RRset does not exist);
 *  - 'wildcard-answer': a positive answer owned by `name`, whose RRSIG Labels field is
 *    `rrsigLabels`, was legitimately expanded from a wildcard (RFC 4035 §5.3.4, RFC 5155 §8.8).
 */
export type DenialQuestion =
  | { class: 'nxdomain' | 'nodata' | 'either'; name: Name; type: number }
  | { class: 'wildcard-answer'; name: Name; type: number; rrsigLabels: number };

function failed(code: Reason['code'], message: string, rule: string, q: DenialQuestion, zone: Name): DenialResult {
  return proofFailed(code, message, rule, { zone, name: q.name, type: q.type });
}

/**
 * Decide what the verified NSEC/NSEC3 `records` of `zone` prove about `q`. NSEC or NSEC3 is
 * chosen by what is present; a mix of both is refused (a zone is signed with one or the other,
 * RFC 5155 §10.4 transition aside, and a proof must not combine them). Other record types in
 * `records` are ignored. NSEC3 hashing is charged to `budget.hashes`.
 */
export async function proveDenial(q: DenialQuestion, records: RR[], zone: Name, budget: HashBudget): Promise<DenialResult> {
  const nsecs = records.filter(isNsec);
  const nsec3s = records.filter(isNsec3);
  if (!inZone(q.name, zone)) return failed('denial-invalid', `${q.name} is not in zone ${zone}`, 'RFC 4035 §5.4', q, zone);
  if (nsecs.length > 0 && nsec3s.length > 0) {
    return failed('denial-invalid', `both NSEC and NSEC3 records of ${zone} in one proof`, 'RFC 5155 §10.4', q, zone);
  }
  if (nsecs.length === 0 && nsec3s.length === 0) {
    return failed('denial-missing', `no NSEC or NSEC3 records of ${zone}`, q.class === 'wildcard-answer' ? 'RFC 4035 §5.3.4' : 'RFC 4035 §5.4', q, zone);
  }
  const useNsec3 = nsec3s.length > 0;

  switch (q.class) {
    case 'nxdomain':
      return useNsec3 ? proveNxdomainNsec3(nsec3s, q.name, zone, budget) : proveNxdomainNsec(nsecs, q.name, zone);
    case 'nodata':
      return useNsec3 ? proveNodataNsec3(nsec3s, q.name, q.type, zone, budget) : proveNodataNsec(nsecs, q.name, q.type, zone);
    case 'wildcard-answer': {
      if (!Number.isInteger(q.rrsigLabels)) {
        return failed('wildcard-invalid', 'wildcard answer without the RRSIG Labels value', 'RFC 4035 §5.3.4', q, zone);
      }
      const w = wildcardInfo(q.name, q.rrsigLabels);
      if ('invalid' in w) {
        return failed('labels-invalid', `RRSIG Labels ${q.rrsigLabels} exceeds the labels of ${q.name}`, 'RFC 4035 §5.3.1', q, zone);
      }
      // Not expanded (or the wildcard RRset itself): there is nothing to deny.
      if (!w.synthesized) return { kind: 'proven' };
      return useNsec3
        ? proveWildcardAnswerNsec3(nsec3s, q.name, w.closestEncloser, zone, budget)
        : proveWildcardAnswerNsec(nsecs, q.name, w.closestEncloser, zone);
    }
    case 'either': {
      if (useNsec3) return proveNxdomainOrNodataNsec3(nsec3s, q.name, q.type, zone, budget);
      const nd = proveNodataNsec(nsecs, q.name, q.type, zone);
      if (nd.kind !== 'failed') return nd;
      const nx = proveNxdomainNsec(nsecs, q.name, zone);
      return nx.kind !== 'failed' ? nx : nd;
    }
    default:
      return failed('denial-invalid', `unknown denial class ${String((q as { class: unknown }).class)}`, 'RFC 4035 §5.4', q, zone);
  }
}

