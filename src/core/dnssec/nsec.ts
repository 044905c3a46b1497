/**
 * Authenticated denial of existence with NSEC (RFC 4034 §4, RFC 4035 §3.1.3 and §5.4,
 * RFC 6840 §4.1 and §4.3, RFC 4592).
 *
 * Pure logic over NSEC RRs that the caller has ALREADY signature-verified and that belong to the
 * zone `zone` (their signer). These functions only decide what the records prove. Any doubt ends
 * in `failed`: a false proof would turn a lying resolver's answer into `secure`.
 */
import type { Name, NSECData, RR } from '../wire/types';
import { RRType } from '../wire/types';
import { commonAncestor, compareNames, isSubdomain, labelCount, namesEqual, wildcardOf } from '../wire/name';
import type { DenialResult } from './denial';
import { failed, inZone } from './proof';

export type NsecRR = RR<NSECData>;

/** True for an NSEC RR whose data was parsed as NSEC. */
export function isNsec(rr: RR): rr is NsecRR {
  return rr.type === RRType.NSEC && rr.data.kind === 'NSEC';
}

function has(nsec: NsecRR, type: number): boolean {
  return nsec.data.types.includes(type);
}

/**
 * RFC 6840 §4.1: an NSEC with NS set and SOA clear is at a delegation point (the parent side of
 * a zone cut), the "ancestor delegation" NSEC.
 */
function isDelegation(nsec: NsecRR): boolean {
  return has(nsec, RRType.NS) && !has(nsec, RRType.SOA);
}



/**
 * The NSEC at `name` (RFC 4034 §4.1: the owner is the name whose RRsets its bitmap lists).
 * A name equal to the owner is "matched", never "covered".
 */
export function nsecMatches(nsec: NsecRR, name: Name): boolean {
  return namesEqual(nsec.name, name);
}

/**
 * RFC 4035 §5.4 / RFC 4034 §4.1.1: `name` lies strictly between the owner and the Next Domain
 * Name in canonical order (RFC 4034 §6.1), so no RRset with that owner name exists in the zone.
 * The last NSEC of the zone has the apex as its next name (RFC 4034 §4.1.1) and covers every
 * name of the zone after its owner (wrap-around); an NSEC whose next name sorts at or before its
 * owner is accepted as the last one only when that next name is the apex.
 * Names outside `zone` are never covered.
 */
export function nsecCovers(nsec: NsecRR, name: Name, zone: Name): boolean {
  const owner = nsec.name;
  const next = nsec.data.nextName;
  if (!inZone(name, zone) || !inZone(owner, zone) || !inZone(next, zone)) return false;
  if (compareNames(owner, name) >= 0) return false; // name ≤ owner: equal is "matches"
  if (compareNames(owner, next) < 0) return compareNames(name, next) < 0;
  // next ≤ owner: last NSEC in the chain; RFC 4034 §4.1.1 says its next name is the apex.
  return namesEqual(next, zone);
}

/**
 * RFC 6840 §4.1 ("Clarifications on Nonexistence Proofs"): an ancestor delegation NSEC (NS set,
 * SOA clear) must not be used to deny anything below its owner, and an NSEC with the DNAME bit
 * set must not be used to deny any subdomain of its owner. Returns why `nsec` cannot speak for
 * `name`, or null when it can. (At the owner itself the delegation rule is applied by the NODATA
 * logic: only DS may be denied there.)
 */
function ancestorProblem(nsec: NsecRR, name: Name): string | null {
  if (namesEqual(nsec.name, name) || !isSubdomain(name, nsec.name)) return null;
  if (isDelegation(nsec)) return `NSEC at delegation point ${nsec.name} cannot deny names below the zone cut`;
  if (has(nsec, RRType.DNAME)) return `NSEC at DNAME owner ${nsec.name} cannot deny names below it`;
  return null;
}

type Cover = { nsec: NsecRR } | { nsec?: undefined; problem?: string };

/** An NSEC covering `name` that may be used for it (RFC 4035 §5.4 + RFC 6840 §4.1). */
function findCover(nsecs: NsecRR[], name: Name, zone: Name): Cover {
  let problem: string | undefined;
  for (const nsec of nsecs) {
    if (!nsecCovers(nsec, name, zone)) continue;
    const p = ancestorProblem(nsec, name);
    if (p === null) return { nsec };
    problem ??= p;
  }
  return { problem };
}

function findMatch(nsecs: NsecRR[], name: Name, zone: Name): NsecRR | undefined {
  return nsecs.find((n) => inZone(n.name, zone) && nsecMatches(n, name));
}

/**
 * Closest encloser of a name covered by `nsec` (RFC 4592 §3.3.1: the longest existing ancestor):
 * the owner and the next name both exist, hence so do their ancestors, and no name sorts between
 * them, so the longest common ancestor of `name` with either of them is the closest encloser
 * (RFC 4035 §5.4; the method of unbound's val_nsec.c nsec_closest_encloser).
 */
export function nsecClosestEncloser(nsec: NsecRR, name: Name): Name {
  const a = commonAncestor(name, nsec.name);
  const b = commonAncestor(name, nsec.data.nextName);
  return labelCount(a) >= labelCount(b) ? a : b;
}

/** The next name is strictly below `name`: `name` is an empty non-terminal, it exists (RFC 4035 §3.1.3.2 note, RFC 4592 §2.2.2). */
function provesEmptyNonTerminal(nsec: NsecRR, name: Name): boolean {
  const next = nsec.data.nextName;
  return isSubdomain(next, name) && !namesEqual(next, name);
}

function wildcardName(ce: Name): Name | null {
  try {
    return wildcardOf(ce);
  } catch {
    return null; // would exceed 255 octets: no such wildcard can exist (RFC 1035 §2.3.4)
  }
}

/**
 * NXDOMAIN (RFC 4035 §3.1.3.2 and §5.4): an NSEC covering `qname` (so `qname` does not exist) and
 * an NSEC covering the wildcard at the closest encloser (so no wildcard could have answered).
 * The closest encloser is derived from the covering NSEC.
 */
export function proveNxdomainNsec(nsecs: NsecRR[], qname: Name, zone: Name): DenialResult {
  const ctx = { zone, name: qname };
  if (!inZone(qname, zone) || namesEqual(qname, zone)) {
    return failed('denial-invalid', `${qname} is not a name below ${zone}`, 'RFC 4035 §5.4', ctx);
  }
  // RFC 4035 §5.4: an NSEC owned by qname says qname exists.
  if (findMatch(nsecs, qname, zone)) {
    return failed('denial-invalid', `an NSEC at ${qname} shows the name exists`, 'RFC 4035 §5.4', ctx);
  }
  const cover = findCover(nsecs, qname, zone);
  if (!cover.nsec) {
    return failed('denial-missing', cover.problem ?? `no NSEC covers ${qname}`, cover.problem ? 'RFC 6840 §4.1' : 'RFC 4035 §5.4', ctx);
  }
  // An empty non-terminal exists, so NXDOMAIN would be a lie (RFC 4035 §3.1.3.2, RFC 4592 §2.2.2).
  if (provesEmptyNonTerminal(cover.nsec, qname)) {
    return failed('denial-invalid', `${qname} is an empty non-terminal: it exists`, 'RFC 4035 §3.1.3.2', ctx);
  }
  const ce = nsecClosestEncloser(cover.nsec, qname);
  // RFC 4035 §5.4: also prove that no wildcard could have produced a positive answer.
  const wc = wildcardName(ce);
  if (wc === null) return { kind: 'proven', closestEncloser: ce };
  if (findMatch(nsecs, wc, zone)) {
    return failed('denial-invalid', `the wildcard ${wc} exists and would have matched ${qname}`, 'RFC 4035 §5.4', ctx);
  }
  const wcCover = findCover(nsecs, wc, zone);
  if (!wcCover.nsec) {
    return failed('denial-missing', wcCover.problem ?? `no NSEC proves the wildcard ${wc} absent`, wcCover.problem ? 'RFC 6840 §4.1' : 'RFC 4035 §5.4', ctx);
  }
  return { kind: 'proven', closestEncloser: ce };
}

/** Checks on an NSEC whose owner matches the name (or the wildcard) the type is denied at. */
function bitmapDenies(nsec: NsecRR, at: Name, qtype: number, zone: Name, wildcard: boolean): DenialResult | null {
  const ctx = { zone, name: at, type: qtype };
  // RFC 4035 §3.1.3.1 / §5.4: the bitmap must not list the type...
  if (has(nsec, qtype)) {
    return failed('denial-invalid', `the NSEC at ${at} lists type ${qtype}`, 'RFC 4035 §5.4', ctx);
  }
  // ...nor CNAME, which would have answered the query instead (RFC 6840 §4.3).
  if (has(nsec, RRType.CNAME)) {
    return failed('denial-invalid', `the NSEC at ${at} lists a CNAME`, 'RFC 6840 §4.3', ctx);
  }
  if (wildcard && has(nsec, RRType.NS)) {
    // A wildcard owning NS has no defined meaning (RFC 4592 §4.2); never let it deny anything.
    return failed('denial-invalid', `the wildcard ${at} owns NS`, 'RFC 4592 §4.2', ctx);
  }
  if (qtype !== RRType.DS && isDelegation(nsec)) {
    // RFC 6840 §4.1: at a delegation point the parent is authoritative for DS (and NSEC) only.
    return failed('denial-invalid', `the NSEC at ${at} is from the parent side of a zone cut: it can only deny DS`, 'RFC 6840 §4.1', ctx);
  }
  return null;
}

/**
 * NODATA (RFC 4035 §3.1.3.1, §3.1.3.4, §5.4):
 *  - an NSEC at `qname` whose bitmap lists neither `qtype` nor CNAME (RFC 6840 §4.3); at a
 *    delegation point (NS set, SOA clear) only DS may be denied (RFC 6840 §4.1), and a DS denial
 *    there proves an unsigned delegation (RFC 4035 §5.2, RFC 6840 §4.4): 'insecure-delegation';
 *  - an empty non-terminal: an NSEC covering `qname` whose next name is below `qname`;
 *  - a wildcard NODATA (RFC 4035 §3.1.3.4): an NSEC covering `qname` and an NSEC at the wildcard
 *    of the closest encloser whose bitmap lists neither `qtype` nor CNAME.
 * A DS denial must come from the parent zone (RFC 4035 §5.2: the child's apex NSEC has SOA set).
 */
export function proveNodataNsec(nsecs: NsecRR[], qname: Name, qtype: number, zone: Name): DenialResult {
  const ctx = { zone, name: qname, type: qtype };
  if (!inZone(qname, zone)) {
    return failed('denial-invalid', `${qname} is not in zone ${zone}`, 'RFC 4035 §5.4', ctx);
  }
  const isRoot = labelCount(qname) === 0;
  if (qtype === RRType.DS && namesEqual(qname, zone) && !isRoot) {
    // RFC 4035 §5.2: the DS RRset lives in the parent; the child cannot deny it.
    return failed('denial-invalid', `a denial of DS at ${qname} signed by ${zone} itself (child side)`, 'RFC 4035 §5.2', ctx);
  }

  const match = findMatch(nsecs, qname, zone);
  if (match) {
    const bad = bitmapDenies(match, qname, qtype, zone, false);
    if (bad) return bad;
    if (qtype === RRType.DS) {
      // RFC 4035 §5.2: "the SOA bit will be set in the child NSEC RR and clear in the parent's".
      if (has(match, RRType.SOA) && !isRoot) {
        return failed('denial-invalid', `the NSEC at ${qname} is the child's apex NSEC, not the parent's`, 'RFC 4035 §5.2', ctx);
      }
      // RFC 4035 §5.2, RFC 6840 §4.4: NS present, DS and SOA absent: an unsigned delegation.
      if (isDelegation(match)) return { kind: 'insecure-delegation', zone: match.name };
    }
    return { kind: 'proven' };
  }

  const cover = findCover(nsecs, qname, zone);
  if (!cover.nsec) {
    return failed('denial-missing', cover.problem ?? `no NSEC matches or covers ${qname}`, cover.problem ? 'RFC 6840 §4.1' : 'RFC 4035 §5.4', ctx);
  }
  // Empty non-terminal: qname exists (it has descendants) but owns no RRset at all
  // (RFC 4035 §3.1.3.2 note; RFC 5155 §7.2.3 is the NSEC3 analogue).
  if (provesEmptyNonTerminal(cover.nsec, qname)) return { kind: 'proven' };

  // qname does not exist: only a wildcard NODATA can explain a NOERROR (RFC 4035 §3.1.3.4).
  const ce = nsecClosestEncloser(cover.nsec, qname);
  const wc = wildcardName(ce);
  const wm = wc === null ? undefined : findMatch(nsecs, wc, zone);
  if (!wm || wc === null) {
    return failed('denial-invalid', `${qname} does not exist and no NSEC for a matching wildcard is present`, 'RFC 4035 §3.1.3.4', ctx);
  }
  const bad = bitmapDenies(wm, wc, qtype, zone, true);
  if (bad) return bad;
  return { kind: 'proven', closestEncloser: ce };
}

/**
 * Positive answer expanded from the wildcard "*.<closestEncloser>" (RRSIG Labels < owner labels):
 * an NSEC must prove that `qname` itself does not exist and that no closer match exists
 * (RFC 4035 §5.3.4), i.e. it covers `qname` and the closest encloser it implies is exactly
 * `closestEncloser` (otherwise a name between them exists and the wildcard did not apply,
 * RFC 4592 §3.3.1).
 */
export function proveWildcardAnswerNsec(nsecs: NsecRR[], qname: Name, closestEncloser: Name, zone: Name): DenialResult {
  const ctx = { zone, name: qname };
  if (!inZone(closestEncloser, zone) || !inZone(qname, closestEncloser)) {
    return failed('wildcard-invalid', `${qname} is not below the wildcard's closest encloser ${closestEncloser} in ${zone}`, 'RFC 4035 §5.3.4', ctx);
  }
  const wc = wildcardName(closestEncloser);
  if (wc !== null && namesEqual(wc, qname)) return { kind: 'proven', closestEncloser }; // the wildcard RRset itself
  if (namesEqual(qname, closestEncloser)) {
    return failed('wildcard-invalid', `${qname} cannot be expanded from a wildcard below itself`, 'RFC 4035 §5.3.4', ctx);
  }
  if (findMatch(nsecs, qname, zone)) {
    return failed('wildcard-invalid', `${qname} exists: a wildcard cannot have answered for it`, 'RFC 4035 §5.3.4', ctx);
  }
  const cover = findCover(nsecs, qname, zone);
  if (!cover.nsec) {
    return failed('denial-missing', cover.problem ?? `no NSEC proves that ${qname} does not exist`, cover.problem ? 'RFC 6840 §4.1' : 'RFC 4035 §5.3.4', ctx);
  }
  const derived = nsecClosestEncloser(cover.nsec, qname);
  if (!namesEqual(derived, closestEncloser)) {
    return failed('wildcard-invalid', `the NSEC shows ${derived} as closest encloser of ${qname}, not ${closestEncloser}`, 'RFC 4035 §5.3.4', ctx);
  }
  return { kind: 'proven', closestEncloser };
}
