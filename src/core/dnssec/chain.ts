/**
 * The chain of trust (RFC 4035 §5.1–§5.3, RFC 6840 §4.1–§4.4), two ways down from the closest
 * trust anchor (RFC 4035 §4.4):
 *
 * 1. To a signer's zone (`signerZone`). A signed RRset is verified with the keys of the zone its
 *    RRSIG names as signer (RFC 4035 §5.3.1); that zone's DNSKEY RRset is authenticated by its DS
 *    RRset (RFC 4035 §5.2), which is verified with the keys of the zone that signed the DS — again
 *    named by the DS RRSIG's signer, a proper ancestor at or below the anchor — and so on up to the
 *    anchor. Only the DS RRsets of real zone cuts on the way are needed: no label below the signer,
 *    and no label between two zones, is asked about.
 *
 * 2. The zone-cut walk (`zoneFor`), one label at a time, for what needs it: an answer without a
 *    usable signature must be proven to lie below an unsigned delegation (RFC 4035 §5.2, §4.3). For
 *    every label the zone above is asked for the DS RRset of the next name; a signed proof about
 *    that DS found in any section of any answer of the verdict counts just as well. It proves one of:
 *   - a DS RRset: a secure zone cut; the child's DNSKEY RRset must be signed by a key that a DS
 *     matches (RFC 4035 §5.2);
 *   - a proven absence of DS where the name is not a delegation: no zone cut, keep walking;
 *   - a proven absence of DS at a delegation (NS without DS/SOA, or NSEC3 opt-out): an insecure
 *     delegation (RFC 4035 §5.2, RFC 6840 §4.4, RFC 5155 §8.6/§9.2): the walk stops, insecure;
 *   - a proven NXDOMAIN: nothing exists below, the current zone is the answer.
 *   Anything else (missing or bad signatures, missing proofs) is bogus; transport failures are
 *   indeterminate. Nothing here trusts the resolver's AD bit or its own idea of zone cuts.
 */
import { algorithmSupported } from './algorithms';
import { closestAnchor, DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_SEP, DNSKEY_FLAG_ZONE, type TrustAnchor } from './anchors';
import type { TtlCache } from './cache';
import { once, type VerdictContext } from './context';
import { proveDenial } from './denial';
import { dsMatchesKey, selectDsDigestTypes, supportedDigestType } from './ds';
import { keyTag } from './keytag';
import { LIMITS } from './limits';
import { isNsec, nsecCovers } from './nsec';
import type { ChainLink, Reason, SecurityState } from './result';
import { rrsetOf, rrsetsOfTypes, signersOf, type RRset } from './rrset';
import { verifyRRsetOnce } from './verify-once';
import { bytesEqual } from '../util/encoding';
import { ancestors, canonicalName, isSubdomain, labelCount, namesEqual, wildcardOf } from '../wire/name';
import { Rcode, RRType, type DNSKEYData, type DSData, type Message, type Name, type RR } from '../wire/types';

export type ZoneStatus =
  | {
      state: 'secure';
      zone: Name;
      keys: RR<DNSKEYData>[];
      chain: ChainLink[];
      ttl: number;
      /**
       * Set when a name between this zone and the one looked up could not be proven not to be a
       * zone cut (NSEC3 iterations above the RFC 9276 cap): data signed by this zone is still
       * secure, anything else below is insecure for this reason.
       */
      unproven?: Reason;
    }
  | { state: Exclude<SecurityState, 'secure'>; zone: Name; chain: ChainLink[]; reason: Reason; ttl: number };

export type SecureZone = Extract<ZoneStatus, { state: 'secure' }>;

/** What the zone above proved about one name below it. */
type Step =
  | { kind: 'cut'; zone: SecureZone }
  | { kind: 'not-cut'; ttl: number }
  | { kind: 'stop'; ttl: number } // NXDOMAIN or DNAME: nothing below exists in this zone
  | { kind: 'unknown'; reason: Reason; ttl: number } // no usable proof either way (RFC 9276 §3.2)
  | { kind: 'end'; status: ZoneStatus }; // insecure, bogus or indeterminate from here on

/** No proof in one message; `state`/`reason` say why, in case no other message has one either. */
type NoProof = { kind: 'none'; state: 'bogus' | 'indeterminate'; reason: Reason };

export interface ChainCaches {
  zones: TtlCache<SecureZone>;
  steps: TtlCache<Step>;
}

export interface ChainConfig {
  anchors: readonly TrustAnchor[];
  negativeAnchors: readonly Name[];
  caches: ChainCaches;
}

// The cache keys are this module's own business: other modules ask through the functions below.
const anchorKey = (zone: Name) => `anchor:${canonicalName(zone)}`;
const zoneKey = (zone: Name) => `zone:${canonicalName(zone)}`;
const kindKey = (name: Name) => `kind:${canonicalName(name)}`;
const stepKey = (name: Name, parent: Name) => `step:${canonicalName(name)}@${canonicalName(parent)}`;

/** Zone-cut candidates for `name` below `top`: every ancestor of `name` deeper than `top`, top-down. */
export function cutCandidates(name: Name, top: Name): Name[] {
  const depth = labelCount(top);
  return ancestors(name).filter((a) => labelCount(a) > depth);
}

/** Deepest name first (the closest possible signer of a name is the most specific one). */
function deepestFirst(names: Name[]): Name[] {
  return [...names].sort((a, b) => labelCount(b) - labelCount(a));
}

/**
 * Whether a zone named `signer` may sign the RRset `owner`/`type` (RFC 4035 §5.3.1): the signer is
 * the owner or an ancestor of it (for DS a proper ancestor: the DS RRset lives in the parent,
 * RFC 4035 §2.4), at or below the closest trust anchor of the owner (RFC 4035 §4.4).
 */
export function signerAllowed(cfg: ChainConfig, owner: Name, type: number, signer: Name): boolean {
  const anchor = closestAnchor(cfg.anchors, owner);
  if (!anchor) return false;
  try {
    if (!isSubdomain(owner, signer) || !isSubdomain(signer, anchor.zone)) return false;
  } catch {
    return false;
  }
  return !(type === RRType.DS && namesEqual(owner, signer) && labelCount(owner) > 0);
}

/** The signers of `sets` that may sign data at `owner` (deepest first, at most two tried). */
export function candidateSigners(cfg: ChainConfig, owner: Name, type: number, sets: RRset[]): Name[] {
  const all = signersOf(sets.flatMap((s) => s.sigs)).filter((s) => signerAllowed(cfg, owner, type, s));
  return deepestFirst(all).slice(0, 2);
}

/**
 * The questions a cold verdict for `name` may need, to be sent in parallel before any
 * verification (one round trip instead of one per zone): DNSKEY of the anchor, DS and DNSKEY of
 * each candidate zone cut below it, skipping what the caches already prove. Speculative only:
 * an answer the proof does not need changes nothing. Underscore labels (_443._tcp, RFC 8552) are
 * practically never zone cuts: nothing is asked there in advance.
 */
export function chainQuestions(cfg: ChainConfig, name: Name): { name: Name; type: number }[] {
  const list: { name: Name; type: number }[] = [];
  const anchor = closestAnchor(cfg.anchors, name);
  if (!anchor) return list;
  if (!cfg.caches.zones.get(anchorKey(anchor.zone))) list.push({ name: anchor.zone, type: RRType.DNSKEY });
  for (const c of cutCandidates(name, anchor.zone)) {
    const known = cfg.caches.steps.get(kindKey(c));
    if (known && (known.kind === 'stop' || known.kind === 'end')) break; // nothing below is needed
    if (c.startsWith('_')) continue;
    if (!known) list.push({ name: c, type: RRType.DS }, { name: c, type: RRType.DNSKEY });
    else if (known.kind === 'cut' && !cfg.caches.zones.get(zoneKey(c))) list.push({ name: c, type: RRType.DNSKEY });
  }
  return list;
}

function noAnchor(name: Name): ZoneStatus {
  return {
    state: 'indeterminate',
    zone: '.',
    chain: [],
    ttl: 0,
    reason: { code: 'no-trust-anchor', message: `no trust anchor encloses ${name}`, rule: 'RFC 4035 §4.4', name },
  };
}

/** RFC 7646 §2: a negative trust anchor makes its domain and everything below it insecure. */
function negativeAnchor(cfg: ChainConfig, name: Name): ZoneStatus | null {
  const nta = cfg.negativeAnchors.find((n) => isSubdomain(name, n));
  if (!nta) return null;
  return {
    state: 'insecure',
    zone: nta,
    chain: [],
    ttl: 0,
    reason: { code: 'negative-trust-anchor', message: `a negative trust anchor covers ${nta}`, rule: 'RFC 7646 §2', zone: nta },
  };
}

/**
 * The keys of the zone `signer` (RFC 4035 §5.2–§5.3.1): authenticated from the closest trust
 * anchor through the DS RRsets of the zone cuts above it, each verified with the keys of the zone
 * that signed it. When no signed DS RRset of `signer` is at hand, the zone-cut walk decides:
 * `signer` is a secure zone, lies below an unsigned delegation (insecure), or is no zone at all
 * (then nothing can be signed by it: bogus).
 */
export function signerZone(cfg: ChainConfig, signer: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  return once(ctx, `signer:${canonicalName(signer)}`, () => signerZoneUncached(cfg, canonicalName(signer), ctx));
}

async function signerZoneUncached(cfg: ChainConfig, signer: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  const anchor = closestAnchor(cfg.anchors, signer);
  if (!anchor) return noAnchor(signer);
  const nta = negativeAnchor(cfg, signer);
  if (nta) return nta;
  if (namesEqual(signer, anchor.zone)) return anchorZone(cfg, anchor, ctx);
  const cached = cfg.caches.zones.get(zoneKey(signer));
  if (cached) return cached;

  const ds = await signedDsAtHand(signer, ctx);
  const parents = ds ? deepestFirst(signersOf(ds.sigs).filter((p) => !namesEqual(p, signer) && isSubdomain(signer, p) && isSubdomain(p, anchor.zone))) : [];
  if (ds && parents.length > 0) {
    const parent = await signerZone(cfg, parents[0], ctx);
    if (parent.state !== 'secure') return parent;
    if (parent.chain.length > LIMITS.maxChainDepth) {
      return end(parent, signer, 'bogus', { code: 'limit-exceeded', message: `more than ${LIMITS.maxChainDepth} zone cuts`, zone: signer }).status;
    }
    // RFC 4035 §5.2: the DS RRset must be authenticated with the parent's keys.
    const v = await verifyRRsetOnce(ds.records, ds.sigs, parent.keys, parent.zone, ctx);
    if (!v.ok) return end(parent, signer, 'bogus', v.reason).status;
    const zone = await authenticateKeys(
      { zone: signer, ds: ds.records.map((r) => r.data as DSData), parentChain: parent.chain, dsTtl: v.ttl, dsExpiration: v.expiration },
      ctx,
    );
    if (zone.state === 'secure') {
      cfg.caches.zones.set(zoneKey(signer), zone, zone.ttl);
      cfg.caches.steps.set(kindKey(signer), { kind: 'cut', zone }, zone.ttl);
    }
    return zone;
  }

  // No signed DS RRset of the signer at hand: the walk proves what the signer is.
  const z = await zoneFor(cfg, signer, ctx);
  if (z.state !== 'secure' || namesEqual(z.zone, signer)) return z;
  if (z.unproven) return { state: 'insecure', zone: z.zone, chain: z.chain, reason: z.unproven, ttl: 0 };
  return end(z, signer, 'bogus', {
    code: 'signer-mismatch',
    message: `${signer} is named as signer but is no zone: ${z.zone} proves no delegation there`,
    rule: 'RFC 4035 §5.3.1',
    zone: signer,
  }).status;
}

/**
 * A DS RRset at `name` with signatures: in the answer section of the answer to "name DS", else in
 * any section of any other answer of this verdict. The answer to the DS question itself speaks
 * only through its answer section (RFC 1034 §3.7, §4.3.2; RFC 2181 §5.4.1 ranks additional data
 * lowest), as in the walk's `step`: a response that moved its DS RRset to the additional section
 * answers nothing, and the walk then judges it.
 */
async function signedDsAtHand(name: Name, ctx: VerdictContext): Promise<RRset | null> {
  const res = await ctx.fetcher.get(name, RRType.DS);
  const direct = res.ok ? rrsetOf(res.message.answer, name, RRType.DS) : null;
  if (direct && direct.sigs.length > 0) return direct;
  for (const m of await ctx.fetcher.settled()) {
    if (res.ok && m === res.message) continue;
    for (const section of [m.answer, m.authority, m.additional]) {
      const set = rrsetOf(section, name, RRType.DS);
      if (set && set.sigs.length > 0) return set;
    }
  }
  return null;
}

/** The zone holding `name` and its security status, by the zone-cut walk (RFC 4035 §5.2). */
export function zoneFor(cfg: ChainConfig, name: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  return once(ctx, `zonefor:${canonicalName(name)}`, () => walk(cfg, name, ctx));
}

async function walk(cfg: ChainConfig, name: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  const anchor = closestAnchor(cfg.anchors, name);
  if (!anchor) return noAnchor(name);
  const nta = negativeAnchor(cfg, name);
  if (nta) return nta;
  let cur: ZoneStatus = await anchorZone(cfg, anchor, ctx);
  if (cur.state !== 'secure') return cur;
  let depth = 0;
  for (const c of cutCandidates(name, anchor.zone)) {
    const step = await dsStep(cfg, c, cur, ctx);
    if (step.kind === 'not-cut') continue;
    if (step.kind === 'unknown') {
      cur = { ...cur, unproven: cur.unproven ?? step.reason };
      continue;
    }
    if (step.kind === 'stop') break;
    if (step.kind === 'end') return step.status;
    if (++depth > LIMITS.maxChainDepth) {
      return end(cur, c, 'bogus', { code: 'limit-exceeded', message: `more than ${LIMITS.maxChainDepth} zone cuts`, zone: c }).status;
    }
    cur = step.zone;
  }
  return cur;
}

function link(zone: Name, state: SecurityState, extra: Partial<ChainLink> = {}): ChainLink {
  return { zone, state, ds: [], keys: [], ...extra };
}

function end(parent: { chain: ChainLink[] }, zone: Name, state: Exclude<SecurityState, 'secure'>, reason: Reason, ttl = 0): { kind: 'end'; status: ZoneStatus } {
  return {
    kind: 'end',
    status: { state, zone, chain: [...parent.chain, link(zone, state, { reason })], reason, ttl },
  };
}

/** Verify the apex DNSKEY RRset of an anchored zone against its anchor (RFC 4035 §5.1, §4.4). */
async function anchorZone(cfg: ChainConfig, anchor: TrustAnchor, ctx: VerdictContext): Promise<ZoneStatus> {
  const key = anchorKey(anchor.zone);
  const cached = cfg.caches.zones.get(key);
  if (cached) return cached;
  return once(ctx, key, async () => {
    const status = await authenticateKeys({ zone: anchor.zone, ds: anchor.ds, anchorKeys: anchor.dnskeys, parentChain: [], anchor: true }, ctx);
    if (status.state === 'secure') cfg.caches.zones.set(key, status, status.ttl);
    return status;
  });
}

/** What the zone `parent` proves about DS at `name` (one label of the walk). */
async function dsStep(cfg: ChainConfig, name: Name, parent: SecureZone, ctx: VerdictContext): Promise<Step> {
  const key = stepKey(name, parent.zone);
  const cached = cfg.caches.steps.get(key);
  if (cached) {
    if (cached.kind !== 'cut') return cached;
    const zone = cfg.caches.zones.get(zoneKey(name));
    if (zone) return { kind: 'cut', zone };
  }
  return once(ctx, key, async () => {
    const step = await dsStepUncached(name, parent, ctx);
    const ttl = step.kind === 'cut' ? step.zone.ttl : step.kind === 'end' ? step.status.ttl : step.ttl;
    // What is known about this name whatever its parent: lets prefetching skip proven levels.
    cfg.caches.steps.set(kindKey(name), step, ttl);
    if (step.kind === 'cut') {
      cfg.caches.zones.set(zoneKey(name), step.zone, step.zone.ttl);
      cfg.caches.steps.set(key, step, step.zone.ttl);
    } else if (step.kind === 'not-cut' || step.kind === 'stop' || step.kind === 'unknown') {
      cfg.caches.steps.set(key, step, step.ttl);
    } else if (step.status.state === 'insecure' && step.status.ttl > 0) {
      cfg.caches.steps.set(key, step, step.status.ttl);
    }
    return step;
  });
}

/**
 * One label of the walk. The answer to "name DS" is read first; when it proves nothing (failed,
 * unsigned, a referral, a bad signature), a signed proof about DS at `name` in any section of any
 * other answer of this verdict counts just as well (RFC 4035 §5.2 asks for a signed proof, not for
 * a particular question), and last the parent's NSEC/NSEC3 at `name` in a "name DNSKEY" NODATA.
 * A signed proof already at hand is not asked again.
 */
async function dsStepUncached(name: Name, parent: SecureZone, ctx: VerdictContext): Promise<Step> {
  const f = ctx.fetcher;
  if (!f.asked(name, RRType.DS)) {
    for (const m of f.arrived()) {
      const s = await proofIn(m, name, parent, ctx, false);
      if (s.kind !== 'none') return s;
    }
  }
  const res = await f.get(name, RRType.DS);
  let failure: NoProof;
  if (res.ok) {
    const s = await proofIn(res.message, name, parent, ctx, true);
    if (s.kind !== 'none') return s;
    failure = s;
  } else {
    failure = { kind: 'none', state: res.bogus ? 'bogus' : 'indeterminate', reason: res.reason };
  }
  const direct = res.ok ? res.message : undefined;
  for (const m of await f.settled()) {
    if (m === direct) continue;
    const s = await proofIn(m, name, parent, ctx, false);
    if (s.kind !== 'none') return s;
  }
  if (!f.asked(name, RRType.DNSKEY)) {
    const k = await f.get(name, RRType.DNSKEY);
    if (k.ok) {
      const s = await proofIn(k.message, name, parent, ctx, false);
      if (s.kind !== 'none') return s;
    }
  }
  return end(parent, name, failure.state, failure.reason);
}

/**
 * What the records of `msg` signed by `parent` prove about DS at `name`. `direct`: `msg` answers
 * "name DS" (its answer section, CNAME/DNAME and RCODE speak about `name`); otherwise only a DS
 * RRset at `name` or NSEC/NSEC3 records, from any section, are used.
 */
async function proofIn(msg: Message, name: Name, parent: SecureZone, ctx: VerdictContext, direct: boolean): Promise<Step | NoProof> {
  const sections = direct ? [msg.answer] : [msg.answer, msg.authority, msg.additional];
  let failure: Reason | undefined;
  for (const section of sections) {
    const ds = rrsetOf(section, name, RRType.DS);
    if (!ds) continue;
    // RFC 4035 §5.2: the DS RRset must be authenticated with the parent's keys.
    const v = await verifyRRsetOnce(ds.records, ds.sigs, parent.keys, parent.zone, ctx);
    if (!v.ok) {
      failure ??= v.reason;
      continue;
    }
    const zone = await authenticateKeys(
      { zone: name, ds: ds.records.map((r) => r.data as DSData), parentChain: parent.chain, dsTtl: v.ttl, dsExpiration: v.expiration },
      ctx,
    );
    if (zone.state === 'secure') return { kind: 'cut', zone };
    return { kind: 'end', status: zone };
  }

  if (direct) {
    // A CNAME at the name (RFC 1034 §3.6.2): it cannot be a delegation point; keep walking.
    const cname = rrsetOf(msg.answer, name, RRType.CNAME);
    if (cname) {
      const v = await verifyRRsetOnce(cname.records, cname.sigs, parent.keys, parent.zone, ctx);
      if (!v.ok) return { kind: 'none', state: 'bogus', reason: v.reason };
      if (v.wildcard) {
        // RFC 4035 §5.3.4: an expanded CNAME needs the proof that the name itself does not exist.
        const denial = await verifiedDenial(msg, parent, ctx);
        const d = await proveDenial({ class: 'wildcard-answer', name, type: RRType.CNAME, rrsigLabels: v.sig.data.labels }, denial.records, parent.zone, ctx.budget);
        if (d.kind === 'failed') return { kind: 'none', state: 'bogus', reason: d.reason };
        if (d.kind !== 'proven') {
          return end(parent, name, 'insecure', { code: 'nsec3-optout', message: `wildcard CNAME at ${name} lies in an opt-out span of ${parent.zone}`, rule: 'RFC 5155 §9.2', zone: parent.zone });
        }
      }
      return { kind: 'not-cut', ttl: v.ttl };
    }
    // A DNAME above the name redirects everything below it (RFC 6672 §2.3): nothing below exists here.
    const dname = msg.answer.find((rr) => rr.type === RRType.DNAME && isSubdomain(name, rr.name) && !namesEqual(name, rr.name));
    if (dname) {
      const set = rrsetOf(msg.answer, dname.name, RRType.DNAME)!;
      const v = await verifyRRsetOnce(set.records, set.sigs, parent.keys, parent.zone, ctx);
      if (!v.ok) return { kind: 'none', state: 'bogus', reason: v.reason };
      return { kind: 'stop', ttl: v.ttl };
    }
  }

  // No DS: the parent must prove its absence (RFC 4035 §5.2, §5.4; RFC 5155 §8.6).
  const denial = await verifiedDenial(msg, parent, ctx, direct ? [msg.authority] : sections, direct ? undefined : name);
  if (denial.records.length === 0) {
    return {
      kind: 'none',
      state: 'bogus',
      reason: failure ??
        denial.failure ?? {
          code: 'no-ds-proof',
          message: `no signed proof that ${name} has no DS record in ${parent.zone}`,
          rule: 'RFC 4035 §5.2',
          zone: parent.zone,
          name,
          type: RRType.DS,
        },
    };
  }
  // The RCODE speaks only in the answer to this very question; elsewhere the records decide.
  const classes: ('nodata' | 'nxdomain')[] = direct ? [msg.header.rcode === Rcode.NXDOMAIN ? 'nxdomain' : 'nodata'] : ['nodata', 'nxdomain'];
  let last: Reason | undefined;
  for (const cls of classes) {
    const d = await proveDenial({ class: cls, name, type: RRType.DS }, denial.records, parent.zone, ctx.budget);
    switch (d.kind) {
      case 'proven':
        return cls === 'nxdomain' ? { kind: 'stop', ttl: denial.ttl } : { kind: 'not-cut', ttl: denial.ttl };
      case 'insecure-delegation':
        return end(parent, name, 'insecure', {
          code: 'insecure-delegation',
          message: `${name} is delegated without DS: the zone is unsigned`,
          rule: 'RFC 4035 §5.2, RFC 6840 §4.4',
          zone: name,
        }, denial.ttl);
      case 'insecure-optout':
        return end(parent, name, 'insecure', {
          code: 'nsec3-optout',
          message: `${name} lies in an NSEC3 opt-out span of ${parent.zone}: any delegation there is unsigned`,
          rule: 'RFC 5155 §6, §8.6',
          zone: parent.zone,
        }, denial.ttl);
      case 'insecure-iterations':
        // Whether `name` is a delegation cannot be told. Data that `parent` itself signs is still
        // authentic; anything from a zone below is insecure (the validator decides per RRset).
        return {
          kind: 'unknown',
          ttl: denial.ttl,
          reason: {
            code: 'nsec3-iterations',
            message: `NSEC3 with ${d.iterations} iterations in ${parent.zone} exceeds ${LIMITS.maxNsec3Iterations}: ${name} cannot be proven to be or not to be a delegation`,
            rule: 'RFC 9276 §3.2',
            zone: parent.zone,
            name,
          },
        };
      case 'failed':
        last = d.reason;
    }
  }
  return { kind: 'none', state: 'bogus', reason: failure ?? last! };
}

/** Could this NSEC/NSEC3 RRset say anything about DS at `name`? (Cheap filter before verifying; NSEC3 needs hashing: kept.) */
function mayConcern(set: RRset, name: Name, zone: Name): boolean {
  if (set.type === RRType.NSEC3) return true;
  const targets: Name[] = [name];
  for (const a of ancestors(name)) {
    if (!isSubdomain(a, zone)) continue;
    try {
      targets.push(wildcardOf(a));
    } catch {
      // too long for a wildcard: none can exist
    }
  }
  return set.records.some((r) => isNsec(r) && targets.some((t) => namesEqual(r.name, t) || nsecCovers(r, t, zone)));
}

/**
 * NSEC/NSEC3 RRsets of `sections` (default: the authority section, where a negative answer keeps
 * them) whose signatures verify with the zone's keys. Sets signed by another zone or failing
 * verification are left out (and reported in `failure` in case nothing else is left). With
 * `about`, only sets that could concern that name are verified. TTL per RFC 4035 §5.3.3.
 */
export async function verifiedDenial(
  msg: Message,
  zone: SecureZone,
  ctx: VerdictContext,
  sections: RR[][] = [msg.authority],
  about?: Name,
): Promise<{ records: RR[]; ttl: number; failure?: Reason }> {
  const sets: RRset[] = sections.flatMap((s) => rrsetsOfTypes(s, [RRType.NSEC, RRType.NSEC3]));
  const records: RR[] = [];
  let ttl = Infinity;
  let failure: Reason | undefined;
  const usable = sets.filter((set) => isSubdomain(set.name, zone.zone) && (!about || mayConcern(set, about, zone.zone)));
  for (const set of usable.slice(0, LIMITS.maxSignaturesPerRRset)) {
    const v = await verifyRRsetOnce(set.records, set.sigs, zone.keys, zone.zone, ctx);
    if (v.ok && v.wildcard) {
      // An NSEC/NSEC3 synthesized from a wildcard owner proves nothing about other names
      // (RFC 4592 §4.5 and §4.7, RFC 4035 §5.3.4): never use it for a denial.
      failure ??= {
        code: 'denial-invalid',
        message: `${set.name} ${set.type === RRType.NSEC ? 'NSEC' : 'NSEC3'} is a wildcard expansion and cannot prove a denial`,
        rule: 'RFC 4592 §4.7',
        zone: zone.zone,
        name: set.name,
      };
    } else if (v.ok) {
      records.push(...set.records);
      ttl = Math.min(ttl, v.ttl);
    } else {
      failure ??= v.reason;
    }
  }
  return { records, ttl: Number.isFinite(ttl) ? ttl : 0, failure };
}

/** What authenticates a zone's DNSKEY RRset: the parent's DS records or the anchor's (RFC 4035 §5.2, §4.4). */
interface KeyAuthentication {
  zone: Name;
  ds: DSData[];
  /** DNSKEY records of a trust anchor given as keys. */
  anchorKeys?: DNSKEYData[];
  /** The chain down to the parent (empty for an anchor). */
  parentChain: ChainLink[];
  /** The zone is a trust anchor itself. */
  anchor?: boolean;
  /** TTL and signature expiration of the verified DS RRset. */
  dsTtl?: number;
  dsExpiration?: number;
}

/**
 * Authenticate the DNSKEY RRset of `zone` (RFC 4035 §5.2): at least one DNSKEY must match a DS
 * (or equal an anchor DNSKEY), be a zone key (RFC 4034 §2.1.1) and sign the whole DNSKEY RRset.
 * DS records with unsupported digest types or algorithms are ignored; when none is left the zone
 * is treated as unsigned (RFC 4035 §5.2, RFC 6840 §5.2).
 */
async function authenticateKeys(auth: KeyAuthentication, ctx: VerdictContext): Promise<ZoneStatus> {
  const { zone, ds: dsIn, anchorKeys = [], parentChain, anchor: isAnchor = false, dsTtl = Infinity, dsExpiration = Infinity } = auth;
  const dsAll = dsIn.slice(0, LIMITS.maxDsPerZone);
  const dsLinks = dsAll.map((d) => ({ keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType }));
  const fail = (state: Exclude<SecurityState, 'secure'>, reason: Reason, keys: ChainLink['keys'] = [], ttl = 0): ZoneStatus => ({
    state,
    zone,
    chain: [...parentChain, link(zone, state, { ds: dsLinks, keys, reason, anchor: isAnchor || undefined })],
    reason,
    ttl,
  });
  if (dsIn.length > LIMITS.maxDsPerZone) {
    return fail('bogus', { code: 'limit-exceeded', message: `${dsIn.length} DS records for ${zone} (limit ${LIMITS.maxDsPerZone})`, zone });
  }
  // RFC 4509 §3 / RFC 6840 §5.11: only supported digests and algorithms count; SHA-1 ignored when SHA-256 exists.
  const usableDs = selectDsDigestTypes(dsAll).filter((d) => supportedDigestType(d.digestType) && algorithmSupported(d.algorithm));
  const usableAnchorKeys = anchorKeys.filter((k) => algorithmSupported(k.algorithm));
  if (usableDs.length === 0 && usableAnchorKeys.length === 0) {
    const unsupportedAlg = dsAll.length > 0 && dsAll.every((d) => !algorithmSupported(d.algorithm));
    return fail('insecure', {
      code: unsupportedAlg || anchorKeys.length > 0 ? 'unsupported-algorithm' : 'unsupported-digest',
      message: `no DS of ${zone} uses a supported algorithm and digest type; treated as unsigned`,
      rule: 'RFC 4035 §5.2, RFC 6840 §5.2',
      zone,
    }, [], Number.isFinite(dsTtl) ? dsTtl : 0);
  }

  const res = await ctx.fetcher.get(zone, RRType.DNSKEY);
  if (!res.ok) return fail(res.bogus ? 'bogus' : 'indeterminate', res.reason);
  const set = rrsetOf(res.message.answer, zone, RRType.DNSKEY);
  if (!set) {
    return fail('bogus', { code: 'no-dnskey', message: `no DNSKEY RRset at ${zone}`, rule: 'RFC 4035 §5.2', zone, type: RRType.DNSKEY });
  }
  if (set.records.length > LIMITS.maxKeysPerZone) {
    return fail('bogus', { code: 'limit-exceeded', message: `${set.records.length} DNSKEYs at ${zone} (limit ${LIMITS.maxKeysPerZone})`, zone });
  }
  const keys = set.records as RR<DNSKEYData>[];
  const keyLinks = keys.map((k) => ({
    keyTag: keyTag(k.rdata),
    algorithm: k.data.algorithm,
    flags: k.data.flags,
    sep: (k.data.flags & DNSKEY_FLAG_SEP) !== 0,
  }));

  // Keys vouched for by the parent (DS digest match, RFC 4035 §5.2) or by the anchor.
  const trusted: RR<DNSKEYData>[] = [];
  for (const k of keys) {
    if (!(k.data.flags & DNSKEY_FLAG_ZONE) || k.data.protocol !== 3) continue;
    const tag = keyTag(k.rdata);
    if (usableAnchorKeys.some((a) => a.algorithm === k.data.algorithm && a.flags === k.data.flags && bytesEqual(a.publicKey, k.data.publicKey))) {
      trusted.push(k);
      continue;
    }
    for (const d of usableDs) {
      if (d.keyTag !== tag || d.algorithm !== k.data.algorithm) continue;
      if (await dsMatchesKey(d, zone, k)) {
        trusted.push(k);
        break;
      }
    }
  }
  if (trusted.length === 0) {
    return fail('bogus', {
      code: isAnchor ? 'anchor-no-match' : 'ds-no-match',
      message: isAnchor
        ? `no DNSKEY of ${zone} matches the trust anchor`
        : `no DNSKEY of ${zone} matches a DS record of the parent`,
      rule: 'RFC 4035 §5.2',
      zone,
      keyTag: usableDs[0]?.keyTag,
      algorithm: usableDs[0]?.algorithm,
    }, keyLinks);
  }
  // The DNSKEY RRset must be signed by one of the trusted keys (RFC 4035 §5.2). A revoked key
  // (RFC 5011 §2.1) may only sign this RRset; verifyRRset enforces that for other RRsets.
  const v = await verifyRRsetOnce(set.records, set.sigs, trusted, zone, ctx);
  if (!v.ok) return fail(v.unsupported ? 'insecure' : 'bogus', v.reason, keyLinks);
  const zoneKeys = keys.filter((k) => (k.data.flags & DNSKEY_FLAG_ZONE) !== 0 && !(k.data.flags & DNSKEY_FLAG_REVOKE));
  const ttl = Math.min(v.ttl, dsTtl);
  return {
    state: 'secure',
    zone,
    keys: zoneKeys,
    ttl: Number.isFinite(ttl) ? ttl : 0,
    chain: [
      ...parentChain,
      link(zone, 'secure', {
        ds: dsLinks,
        keys: keyLinks,
        signatureExpiration: Math.min(v.expiration, dsExpiration),
        anchor: isAnchor || undefined,
      }),
    ],
  };
}
