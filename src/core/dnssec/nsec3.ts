/**
 * Authenticated denial of existence with NSEC3 (RFC 5155 §8, RFC 6840 §4.1/§4.4, RFC 9276).
 *
 * Pure logic over NSEC3 RRs that the caller has ALREADY signature-verified and that belong to the
 * zone `zone` (their signer). These functions only decide what the records prove. Any doubt ends
 * in `failed`: a false proof would turn a lying resolver's answer into `secure`.
 *
 * Work bound (CVE-2023-50868): every name is hashed at most once per parameter set, each hash is
 * charged to `budget.hashes` (LIMITS.maxNsec3HashesPerVerdict per verdict), and NSEC3 with more
 * than LIMITS.maxNsec3Iterations iterations are never hashed (RFC 9276 §3.2: insecure).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import type { Name, NSEC3Data, RR } from '../wire/types';
import { RRType } from '../wire/types';
import { isSubdomain, labelCount, namesEqual, nameToLabels, nameToWire, truncateToLabels, wildcardOf } from '../wire/name';
import { bytesEqual, compareBytes, fromBase32Hex, toHex } from '../util/encoding';
import { LIMITS } from './limits';
import type { DenialResult } from './denial';
import { failed, inZone } from './proof';

export type Nsec3RR = RR<NSEC3Data>;

/** RFC 5155 §11 / IANA "DNSSEC NSEC3 Hash Algorithms": 1 = SHA-1, the only one defined. */
export const NSEC3_HASH_SHA1 = 1;
/** RFC 5155 §3.1.2.1: the Opt-Out flag is the least significant bit of the Flags field. */
export const NSEC3_FLAG_OPTOUT = 0x01;
const SHA1_LENGTH = 20;

/** Hash budget shared by one verdict (the validator passes its context budget). */
export interface HashBudget {
  hashes: number;
}

/** True for an NSEC3 RR whose data was parsed as NSEC3. */
export function isNsec3(rr: RR): rr is Nsec3RR {
  return rr.type === RRType.NSEC3 && rr.data.kind === 'NSEC3';
}

/**
 * RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt);
 * the hash of a name is IH(salt, owner name in canonical wire form (RFC 4034 §6.2, lowercased),
 * iterations), with H = SHA-1 (RFC 5155 §3.1.1). Does not check limits: callers do.
 */
export async function nsec3Hash(name: Name, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > 0xffff) {
    throw new RangeError(`NSEC3 iterations out of range: ${iterations}`); // RFC 5155 §3.1.3: 16 bits
  }
  // SHA-1 in JavaScript (@noble/hashes): a few short inputs per verdict, where WebCrypto's
  // asynchronous digest costs a thread hop and a promise each (bench/cpu.ts).
  let digest = sha1(join(nameToWire(name, true), salt));
  for (let i = 0; i < iterations; i++) digest = sha1(join(digest, salt));
  return digest;
}

/** a || b in a fresh array. */
function join(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The hash encoded in an NSEC3 owner name, or null if the owner is not exactly one base32hex
 * label (RFC 5155 §3: "the hashed owner name ... prepended as a single label to the name of the
 * zone") of a SHA-1 hash directly below `zone`.
 */
export function nsec3OwnerHash(nsec3: Nsec3RR, zone: Name): Uint8Array | null {
  let labels: Uint8Array[];
  try {
    labels = nameToLabels(nsec3.name);
    if (labels.length !== labelCount(zone) + 1 || !isSubdomain(nsec3.name, zone)) return null;
  } catch {
    return null;
  }
  const text = new TextDecoder().decode(labels[0]);
  if (!/^[0-9a-vA-V]+$/.test(text)) return null; // RFC 4648 §7 alphabet, no padding (RFC 5155 §3.3)
  const hash = fromBase32Hex(text);
  return hash !== null && hash.length === SHA1_LENGTH ? hash : null;
}

/** RFC 5155 §1.3 "matches": the owner hash equals the hash of the name. */
export function nsec3MatchesHash(nsec3: Nsec3RR, hash: Uint8Array, zone: Name): boolean {
  const owner = nsec3OwnerHash(nsec3, zone);
  return owner !== null && bytesEqual(owner, hash);
}

/**
 * RFC 5155 §1.3 "covers": the hash sorts strictly between the owner hash and the Next Hashed
 * Owner Name (RFC 5155 §3.1.7; base32hex preserves the order of the raw hashes, §1.3). The last
 * NSEC3 of the chain has next ≤ owner (its next is the first hash, RFC 5155 §3.1.7 "the value of
 * the Next Hashed Owner Name Field in the last NSEC3 RR in the zone is the same as the hashed
 * owner name of the first NSEC3 RR") and covers everything above its owner or below its next;
 * a chain of one (next = owner) covers every hash but its own.
 */
export function nsec3CoversHash(nsec3: Nsec3RR, hash: Uint8Array, zone: Name): boolean {
  const owner = nsec3OwnerHash(nsec3, zone);
  if (owner === null) return false;
  return coversRaw(owner, nsec3.data.nextHashed, hash);
}

function coversRaw(owner: Uint8Array, next: Uint8Array, hash: Uint8Array): boolean {
  if (next.length !== owner.length || hash.length !== owner.length) return false;
  if (compareBytes(owner, next) < 0) return compareBytes(owner, hash) < 0 && compareBytes(hash, next) < 0;
  return compareBytes(hash, owner) > 0 || compareBytes(hash, next) < 0;
}

// ---------------------------------------------------------------------------------------------
// Filtering and parameter groups
// ---------------------------------------------------------------------------------------------

interface Entry {
  rr: Nsec3RR;
  owner: Uint8Array;
  next: Uint8Array;
  optOut: boolean;
}

interface Group {
  iterations: number;
  salt: Uint8Array;
  entries: Entry[];
}

/**
 * NSEC3 RRs usable for a proof in `zone`:
 *  - RFC 5155 §8.1: unknown hash algorithms are ignored (only SHA-1, §11);
 *  - RFC 5155 §8.2: RRs with a Flags value other than 0 or 1 are ignored;
 *  - the owner must be one base32hex SHA-1 label directly under `zone` (RFC 5155 §3), and the
 *    next hashed owner name a SHA-1 hash (RFC 5155 §3.1.7).
 * Grouped by (iterations, salt): a proof must use one parameter set throughout (RFC 5155 §8.2
 * allows treating mixed parameters as bogus; here records of another set are simply not combined
 * with this one, RFC 5155 §7.3/§10.3 one chain per parameter set).
 */
function groups(records: RR[], zone: Name): Group[] {
  const out = new Map<string, Group>();
  for (const rr of records) {
    if (!isNsec3(rr)) continue;
    const d = rr.data;
    if (d.hashAlgorithm !== NSEC3_HASH_SHA1) continue; // RFC 5155 §8.1
    if (d.flags !== 0 && d.flags !== NSEC3_FLAG_OPTOUT) continue; // RFC 5155 §8.2
    if (d.nextHashed.length !== SHA1_LENGTH) continue;
    const owner = nsec3OwnerHash(rr, zone);
    if (owner === null) continue;
    const key = `${d.iterations}/${toHex(d.salt)}`;
    let g = out.get(key);
    if (!g) {
      g = { iterations: d.iterations, salt: d.salt, entries: [] };
      out.set(key, g);
    }
    g.entries.push({ rr, owner, next: d.nextHashed, optOut: (d.flags & NSEC3_FLAG_OPTOUT) !== 0 });
  }
  return [...out.values()];
}

class BudgetExceeded extends Error {}

/** One parameter set, with a per-proof hash cache (each name hashed once, RFC 5155 §5). */
class Chain {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    readonly group: Group,
    readonly zone: Name,
    private readonly budget: HashBudget,
  ) {}

  async hash(name: Name): Promise<Uint8Array> {
    const key = toHex(nameToWire(name, true));
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (!(this.budget.hashes > 0)) throw new BudgetExceeded(); // LIMITS.maxNsec3HashesPerVerdict
    this.budget.hashes -= 1;
    const h = await nsec3Hash(name, this.group.salt, this.group.iterations);
    this.cache.set(key, h);
    return h;
  }

  async match(name: Name): Promise<Entry | undefined> {
    const h = await this.hash(name);
    return this.group.entries.find((e) => bytesEqual(e.owner, h));
  }

  async cover(name: Name): Promise<Entry | undefined> {
    const h = await this.hash(name);
    return this.group.entries.find((e) => coversRaw(e.owner, e.next, h));
  }
}

function has(e: Entry, type: number): boolean {
  return e.rr.data.types.includes(type);
}



/**
 * Run `proof` on each parameter set in turn and return the first result that is not `failed`.
 * Sets with more than LIMITS.maxNsec3Iterations iterations are not hashed at all: if nothing
 * else proves anything, the answer is 'insecure-iterations' (RFC 9276 §3.2). Running out of
 * hash budget ends everything with 'limit-exceeded'.
 */
async function withChains<R extends { kind: string }>(
  records: RR[],
  zone: Name,
  budget: HashBudget,
  what: { name: Name; type?: number },
  proof: (c: Chain) => Promise<R | DenialResult>,
): Promise<R | DenialResult> {
  const gs = groups(records, zone);
  if (gs.length === 0) {
    return failed('denial-missing', `no usable NSEC3 record of ${zone} (SHA-1, flags 0 or 1, owner in the zone)`, 'RFC 5155 §8.1, §8.2', { zone, ...what });
  }
  let firstFailure: DenialResult | undefined;
  let tooMany: number | undefined;
  for (const g of gs) {
    if (g.iterations > LIMITS.maxNsec3Iterations) {
      tooMany = Math.max(tooMany ?? 0, g.iterations);
      continue;
    }
    let r: R | DenialResult;
    try {
      r = await proof(new Chain(g, zone, budget));
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        return failed('limit-exceeded', `NSEC3 hash budget exhausted proving ${what.name} in ${zone}`, 'CVE-2023-50868 (RFC 9276 §3.2)', { zone, ...what });
      }
      throw e;
    }
    if (r.kind !== 'failed') return r;
    firstFailure ??= r as DenialResult;
  }
  if (tooMany !== undefined) return { kind: 'insecure-iterations', iterations: tooMany };
  return firstFailure!;
}

// ---------------------------------------------------------------------------------------------
// Closest encloser (RFC 5155 §8.3)
// ---------------------------------------------------------------------------------------------

interface Encloser {
  closestEncloser: Name;
  ce: Entry;
  /** Undefined only when the closest encloser is qname itself (qname exists). */
  nextCloser?: Name;
  nc?: Entry;
}

/**
 * RFC 5155 §8.3: the longest ancestor X of `qname` (`qname` included) matched by an NSEC3 is the
 * candidate closest encloser; unless it is `qname` itself, the next closer name (X plus one label
 * of `qname`) must be covered. The NSEC3 at X must be from the proper zone: DNAME clear, and NS
 * set only together with SOA (RFC 5155 §8.3, RFC 6840 §4.1: an ancestor delegation NSEC3 cannot
 * deny names below the cut).
 */
async function closestEncloser(c: Chain, qname: Name): Promise<Encloser | DenialResult> {
  const ctx = { zone: c.zone, name: qname };
  const top = labelCount(c.zone);
  const qLabels = labelCount(qname);
  for (let n = qLabels; n >= top; n--) {
    const candidate = truncateToLabels(qname, n);
    const ce = await c.match(candidate);
    if (!ce) continue;
    if (n === qLabels) return { closestEncloser: candidate, ce };
    if (has(ce, RRType.DNAME)) {
      return failed('denial-invalid', `the closest encloser ${candidate} owns a DNAME: names below it are redirected`, 'RFC 5155 §8.3, RFC 6840 §4.1', ctx);
    }
    if (has(ce, RRType.NS) && !has(ce, RRType.SOA)) {
      return failed('denial-invalid', `the closest encloser ${candidate} is a delegation: ${c.zone} is not authoritative below it`, 'RFC 5155 §8.3, RFC 6840 §4.1', ctx);
    }
    const nextCloser = truncateToLabels(qname, n + 1);
    const nc = await c.cover(nextCloser);
    if (!nc) {
      return failed('denial-missing', `no NSEC3 covers the next closer name ${nextCloser}`, 'RFC 5155 §8.3', ctx);
    }
    return { closestEncloser: candidate, ce, nextCloser, nc };
  }
  return failed('denial-missing', `no NSEC3 matches any ancestor of ${qname} in ${c.zone}`, 'RFC 5155 §8.3', ctx);
}

function isEncloser(x: Encloser | DenialResult): x is Encloser {
  return 'closestEncloser' in x && 'ce' in x;
}

export type ClosestEncloserProof = {
  kind: 'closest-encloser';
  closestEncloser: Name;
  /** Absent when `qname` itself is matched (it exists). */
  nextCloser?: Name;
  /** The NSEC3 covering the next closer name has the Opt-Out flag (RFC 5155 §6). */
  optOut: boolean;
};

/** RFC 5155 §8.3 closest (provable) encloser of `qname`, as an exported, self-contained check. */
export async function findClosestEncloser(records: RR[], qname: Name, zone: Name, budget: HashBudget): Promise<ClosestEncloserProof | DenialResult> {
  return withChains<ClosestEncloserProof>(records, zone, budget, { name: qname }, async (c) => {
    const e = await closestEncloser(c, qname);
    if (!isEncloser(e)) return e;
    return { kind: 'closest-encloser', closestEncloser: e.closestEncloser, nextCloser: e.nextCloser, optOut: e.nc?.optOut ?? false };
  });
}

function badQname(qname: Name, zone: Name, allowApex: boolean): DenialResult | null {
  if (!inZone(qname, zone) || (!allowApex && namesEqual(qname, zone))) {
    return failed('denial-invalid', `${qname} is not a name ${allowApex ? 'in' : 'below'} ${zone}`, 'RFC 5155 §8', { zone, name: qname });
  }
  return null;
}

/** RFC 5155 §6, §9.2: an opt-out span may hide unsigned delegations; what lies in it is insecure. */
function optOutResult(zone: Name): DenialResult {
  return { kind: 'insecure-optout', zone };
}

// ---------------------------------------------------------------------------------------------
// Proofs
// ---------------------------------------------------------------------------------------------

async function nxdomain(c: Chain, qname: Name): Promise<DenialResult> {
  const ctx = { zone: c.zone, name: qname };
  const e = await closestEncloser(c, qname);
  if (!isEncloser(e)) return e;
  if (!e.nc) {
    return failed('denial-invalid', `an NSEC3 matches ${qname}: the name exists`, 'RFC 5155 §8.4', ctx);
  }
  // RFC 5155 §8.4: and an NSEC3 covering the wildcard at the closest encloser.
  const wc = wildcardOf(e.closestEncloser);
  if (await c.match(wc)) {
    return failed('denial-invalid', `the wildcard ${wc} exists and would have matched ${qname}`, 'RFC 5155 §8.4', ctx);
  }
  if (!(await c.cover(wc))) {
    return failed('denial-missing', `no NSEC3 covers the wildcard ${wc}`, 'RFC 5155 §8.4', ctx);
  }
  // RFC 5155 §9.2 / §6: with Opt-Out on the next closer span, an unsigned delegation (and the
  // names below it) may exist there: the NXDOMAIN cannot be authenticated as secure.
  if (e.nc.optOut) return optOutResult(c.zone);
  return { kind: 'proven', closestEncloser: e.closestEncloser };
}

/** RFC 5155 §8.4 Name Error: closest encloser proof + NSEC3 covering "*.<closest encloser>". */
export async function proveNxdomainNsec3(records: RR[], qname: Name, zone: Name, budget: HashBudget): Promise<DenialResult> {
  const bad = badQname(qname, zone, false);
  if (bad) return bad;
  return withChains(records, zone, budget, { name: qname }, (c) => nxdomain(c, qname));
}

/** Bitmap checks on an NSEC3 matching `at` (qname, or the wildcard for §8.7). */
function bitmapDenies(e: Entry, at: Name, qtype: number, zone: Name, wildcard: boolean): DenialResult | null {
  const ctx = { zone, name: at, type: qtype };
  // RFC 5155 §8.5 / §8.6 / §8.7: neither QTYPE nor CNAME may be set.
  if (has(e, qtype)) return failed('denial-invalid', `the NSEC3 matching ${at} lists type ${qtype}`, 'RFC 5155 §8.5', ctx);
  if (has(e, RRType.CNAME)) return failed('denial-invalid', `the NSEC3 matching ${at} lists a CNAME`, 'RFC 5155 §8.5, RFC 6840 §4.3', ctx);
  if (wildcard && has(e, RRType.NS)) return failed('denial-invalid', `the wildcard ${at} owns NS`, 'RFC 4592 §4.2', ctx);
  if (qtype !== RRType.DS && has(e, RRType.NS) && !has(e, RRType.SOA)) {
    // RFC 6840 §4.1: at a delegation point the parent side can only deny DS.
    return failed('denial-invalid', `the NSEC3 matching ${at} is from the parent side of a zone cut: it can only deny DS`, 'RFC 6840 §4.1', ctx);
  }
  return null;
}

async function nodata(c: Chain, qname: Name, qtype: number): Promise<DenialResult> {
  const ctx = { zone: c.zone, name: qname, type: qtype };
  const isRoot = labelCount(qname) === 0;
  const m = await c.match(qname);
  if (m) {
    // RFC 5155 §8.5 (and §8.6 for DS): the matching NSEC3 lacks QTYPE and CNAME.
    const bad = bitmapDenies(m, qname, qtype, c.zone, false);
    if (bad) return bad;
    if (qtype === RRType.DS) {
      // RFC 4035 §5.2 (and RFC 5155 §8.6): SOA set means the child's apex record, not the parent's.
      if (has(m, RRType.SOA) && !isRoot) {
        return failed('denial-invalid', `the NSEC3 matching ${qname} is from the child zone apex`, 'RFC 4035 §5.2, RFC 5155 §8.6', ctx);
      }
      // RFC 5155 §8.9, RFC 6840 §4.4: NS set, DS and SOA clear: an unsigned delegation.
      if (has(m, RRType.NS) && !has(m, RRType.SOA)) return { kind: 'insecure-delegation', zone: qname };
    }
    return { kind: 'proven' };
  }
  // No match: qname does not exist (or lies in an opt-out span); RFC 5155 §8.6/§8.7 need a
  // closest encloser proof.
  const e = await closestEncloser(c, qname);
  if (!isEncloser(e)) return e;
  if (!e.nc) return failed('denial-invalid', `inconsistent NSEC3 match for ${qname}`, 'RFC 5155 §8.3', ctx);
  // RFC 5155 §8.7: wildcard NODATA: an NSEC3 matching "*.<closest encloser>" without QTYPE/CNAME.
  const wc = wildcardOf(e.closestEncloser);
  const wm = await c.match(wc);
  if (wm) {
    const bad = bitmapDenies(wm, wc, qtype, c.zone, true);
    if (bad) return bad;
    // Opt-Out on the next closer: an unsigned delegation may sit between qname and the wildcard
    // (RFC 5155 §6, §9.2), so the wildcard is not proven to apply.
    if (e.nc.optOut) return optOutResult(c.zone);
    return { kind: 'proven', closestEncloser: e.closestEncloser };
  }
  // RFC 5155 §8.6: DS with no matching NSEC3: the next closer must be covered by an Opt-Out NSEC3;
  // the delegation (if any) is then unsigned. For other types (unbound: answers from below an
  // insecure delegation in an opt-out span), the same span makes the answer insecure, not secure.
  if (e.nc.optOut) return optOutResult(c.zone);
  return failed('denial-invalid', `no NSEC3 matches ${qname} or the wildcard ${wc}, and the next closer span is not Opt-Out`, qtype === RRType.DS ? 'RFC 5155 §8.6' : 'RFC 5155 §8.5', ctx);
}

/**
 * NODATA: RFC 5155 §8.5 (matching NSEC3 without QTYPE and CNAME; at a delegation point only DS,
 * RFC 6840 §4.1), §8.6 (DS: matching NSEC3 without DS — with NS it is an unsigned delegation —,
 * or a closest encloser proof whose next closer is covered by an Opt-Out NSEC3), §8.7 (wildcard
 * NODATA). A DS denial must come from the parent (RFC 4035 §5.2).
 */
export async function proveNodataNsec3(records: RR[], qname: Name, qtype: number, zone: Name, budget: HashBudget): Promise<DenialResult> {
  const bad = badQname(qname, zone, true);
  if (bad) return bad;
  if (qtype === RRType.DS && namesEqual(qname, zone) && labelCount(qname) > 0) {
    return failed('denial-invalid', `a denial of DS at ${qname} signed by ${zone} itself (child side)`, 'RFC 4035 §5.2', { zone, name: qname, type: qtype });
  }
  return withChains(records, zone, budget, { name: qname, type: qtype }, (c) => nodata(c, qname, qtype));
}

/** NXDOMAIN or NODATA, whichever the records prove (one hash cache for both attempts). */
export async function proveNxdomainOrNodataNsec3(records: RR[], qname: Name, qtype: number, zone: Name, budget: HashBudget): Promise<DenialResult> {
  const bad = badQname(qname, zone, true);
  if (bad) return bad;
  if (qtype === RRType.DS && namesEqual(qname, zone) && labelCount(qname) > 0) {
    return failed('denial-invalid', `a denial of DS at ${qname} signed by ${zone} itself (child side)`, 'RFC 4035 §5.2', { zone, name: qname, type: qtype });
  }
  return withChains(records, zone, budget, { name: qname, type: qtype }, async (c) => {
    const nx = namesEqual(qname, zone) ? undefined : await nxdomain(c, qname);
    if (nx && nx.kind !== 'failed') return nx;
    const nd = await nodata(c, qname, qtype);
    return nd.kind !== 'failed' || !nx ? nd : nx;
  });
}

/**
 * RFC 5155 §8.8: a positive answer expanded from "*.<closestEncloser>" needs an NSEC3 covering
 * the next closer name of `qname` (so no closer match exists). With Opt-Out on that span an
 * unsigned delegation may hide there (RFC 5155 §6, §9.2): 'insecure-optout'.
 */
export async function proveWildcardAnswerNsec3(records: RR[], qname: Name, closestEncloser: Name, zone: Name, budget: HashBudget): Promise<DenialResult> {
  const ctx = { zone, name: qname };
  if (!inZone(closestEncloser, zone) || !inZone(qname, closestEncloser) || namesEqual(qname, closestEncloser)) {
    return failed('wildcard-invalid', `${qname} is not below the wildcard's closest encloser ${closestEncloser} in ${zone}`, 'RFC 5155 §8.8', ctx);
  }
  if (namesEqual(qname, wildcardOf(closestEncloser))) return { kind: 'proven', closestEncloser }; // the wildcard RRset itself
  const nextCloser = truncateToLabels(qname, labelCount(closestEncloser) + 1);
  return withChains(records, zone, budget, { name: qname }, async (c) => {
    if (await c.match(nextCloser)) {
      return failed('wildcard-invalid', `the next closer name ${nextCloser} exists: the wildcard cannot apply`, 'RFC 5155 §8.8', ctx);
    }
    const nc = await c.cover(nextCloser);
    if (!nc) return failed('denial-missing', `no NSEC3 covers the next closer name ${nextCloser}`, 'RFC 5155 §8.8', ctx);
    if (nc.optOut) return optOutResult(zone);
    return { kind: 'proven', closestEncloser };
  });
}

/**
 * RFC 5155 §8.9 (referral to an unsigned subzone), RFC 6840 §4.4: either an NSEC3 matching the
 * delegation name with NS set and DS and SOA clear ('insecure-delegation'), or a closest encloser
 * proof whose next closer name is covered by an Opt-Out NSEC3 ('insecure-optout').
 */
export async function proveInsecureDelegationNsec3(records: RR[], delegation: Name, zone: Name, budget: HashBudget): Promise<DenialResult> {
  const bad = badQname(delegation, zone, false);
  if (bad) return bad;
  const ctx = { zone, name: delegation, type: RRType.DS };
  return withChains(records, zone, budget, ctx, async (c) => {
    const m = await c.match(delegation);
    if (m) {
      if (!has(m, RRType.NS)) return failed('denial-invalid', `the NSEC3 matching ${delegation} has no NS: not a delegation`, 'RFC 6840 §4.4', ctx);
      if (has(m, RRType.DS)) return failed('denial-invalid', `the NSEC3 matching ${delegation} lists DS`, 'RFC 5155 §8.9', ctx);
      if (has(m, RRType.SOA)) return failed('denial-invalid', `the NSEC3 matching ${delegation} is from the child zone apex`, 'RFC 5155 §8.9', ctx);
      return { kind: 'insecure-delegation', zone: delegation };
    }
    const e = await closestEncloser(c, delegation);
    if (!isEncloser(e)) return e;
    if (e.nc?.optOut) return optOutResult(zone);
    return failed('denial-invalid', `the next closer span of ${delegation} is not Opt-Out`, 'RFC 5155 §8.9', ctx);
  });
}
