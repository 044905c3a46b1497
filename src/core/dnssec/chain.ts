/**
 * The chain of trust (RFC 4035 §5.1–§5.2): from the closest trust anchor down to the zone that
 * holds a name, one label at a time. For every name below the anchor the parent zone is asked for
 * the DS RRset of that name; the signed answer proves one of:
 *   - a DS RRset: a secure zone cut; the child's DNSKEY RRset must be signed by a key that a DS
 *     matches (RFC 4035 §5.2);
 *   - a proven absence of DS where the name is not a delegation: no zone cut, keep walking;
 *   - a proven absence of DS at a delegation (NS without DS/SOA, or NSEC3 opt-out): an insecure
 *     delegation (RFC 4035 §5.2, RFC 5155 §8.6/§9.2): everything below is insecure;
 *   - a proven NXDOMAIN: nothing exists below, the current zone is the answer.
 * Anything else (missing or bad signatures, missing proofs) is bogus; transport failures are
 * indeterminate. Nothing here trusts the resolver's AD bit or its own idea of zone cuts.
 */
import { algorithmSupported } from './algorithms';
import { closestAnchor, DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_SEP, DNSKEY_FLAG_ZONE, type TrustAnchor } from './anchors';
import type { TtlCache } from './cache';
import { once, type VerdictContext } from './context';
import { proveDenial } from './denial';
import { dsMatchesKey, selectDsDigestTypes, supportedDigestType } from './ds';
import { keyTag } from './keytag';
import { LIMITS } from './limits';
import type { ChainLink, Reason, SecurityState } from './result';
import { rrsetOf, rrsetsOfTypes, type RRset } from './rrset';
import { verifyRRsetOnce } from './verify-once';
import { bytesEqual } from '../util/encoding';
import { ancestors, canonicalName, isSubdomain, labelCount, namesEqual } from '../wire/name';
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

type SecureZone = Extract<ZoneStatus, { state: 'secure' }>;

/** What the parent's DS answer proved about one name below it. */
type Step =
  | { kind: 'cut'; zone: SecureZone }
  | { kind: 'not-cut'; ttl: number }
  | { kind: 'stop'; ttl: number } // NXDOMAIN or DNAME: nothing below exists in this zone
  | { kind: 'unknown'; reason: Reason; ttl: number } // no usable proof either way (RFC 9276 §3.2)
  | { kind: 'end'; status: ZoneStatus }; // insecure, bogus or indeterminate from here on

export interface ChainCaches {
  zones: TtlCache<SecureZone>;
  steps: TtlCache<Step>;
}

export interface ChainConfig {
  anchors: readonly TrustAnchor[];
  negativeAnchors: readonly Name[];
  caches: ChainCaches;
}

/** Zone-cut candidates for `name` below `top`: every ancestor of `name` deeper than `top`, top-down. */
export function cutCandidates(name: Name, top: Name): Name[] {
  const depth = labelCount(top);
  return ancestors(name).filter((a) => labelCount(a) > depth);
}

/** The zone holding `name` and its security status (RFC 4035 §5). */
export function zoneFor(cfg: ChainConfig, name: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  return once(ctx, `zonefor:${canonicalName(name)}`, () => walk(cfg, name, ctx));
}

async function walk(cfg: ChainConfig, name: Name, ctx: VerdictContext): Promise<ZoneStatus> {
  const anchor = closestAnchor(cfg.anchors, name);
  if (!anchor) {
    return {
      state: 'indeterminate',
      zone: '.',
      chain: [],
      ttl: 0,
      reason: { code: 'no-trust-anchor', message: `no trust anchor encloses ${name}`, rule: 'RFC 4035 §4.4', name },
    };
  }
  // RFC 7646 §2: a negative trust anchor makes its domain and everything below it insecure.
  const nta = cfg.negativeAnchors.find((n) => isSubdomain(name, n));
  if (nta) {
    return {
      state: 'insecure',
      zone: nta,
      chain: [],
      ttl: 0,
      reason: { code: 'negative-trust-anchor', message: `a negative trust anchor covers ${nta}`, rule: 'RFC 7646 §2', zone: nta },
    };
  }
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

function end(parent: SecureZone, zone: Name, state: Exclude<SecurityState, 'secure'>, reason: Reason, ttl = 0): { kind: 'end'; status: ZoneStatus } {
  return {
    kind: 'end',
    status: { state, zone, chain: [...parent.chain, link(zone, state, { reason })], reason, ttl },
  };
}

/** Verify the apex DNSKEY RRset of an anchored zone against its anchor (RFC 4035 §5.1, §4.4). */
async function anchorZone(cfg: ChainConfig, anchor: TrustAnchor, ctx: VerdictContext): Promise<ZoneStatus> {
  const key = `anchor:${anchor.zone}`;
  const cached = cfg.caches.zones.get(key);
  if (cached) return cached;
  return once(ctx, key, async () => {
    const status = await authenticateKeys(anchor.zone, anchor.ds, anchor.dnskeys, [], ctx, true);
    if (status.state === 'secure') cfg.caches.zones.set(key, status, status.ttl);
    return status;
  });
}

/** Ask the parent zone about DS at `name` and decide what it proves. */
async function dsStep(cfg: ChainConfig, name: Name, parent: SecureZone, ctx: VerdictContext): Promise<Step> {
  const key = `step:${canonicalName(name)}@${parent.zone}`;
  const cached = cfg.caches.steps.get(key);
  if (cached) {
    if (cached.kind !== 'cut') return cached;
    const zone = cfg.caches.zones.get(`zone:${canonicalName(name)}`);
    if (zone) return { kind: 'cut', zone };
  }
  return once(ctx, key, async () => {
    const step = await dsStepUncached(name, parent, ctx);
    const ttl = step.kind === 'cut' ? step.zone.ttl : step.kind === 'end' ? step.status.ttl : step.ttl;
    // What is known about this name whatever its parent: lets prefetching skip proven levels.
    cfg.caches.steps.set(`kind:${canonicalName(name)}`, step, ttl);
    if (step.kind === 'cut') {
      cfg.caches.zones.set(`zone:${canonicalName(name)}`, step.zone, step.zone.ttl);
      cfg.caches.steps.set(key, step, step.zone.ttl);
    } else if (step.kind === 'not-cut' || step.kind === 'stop' || step.kind === 'unknown') {
      cfg.caches.steps.set(key, step, step.ttl);
    } else if (step.status.state === 'insecure' && step.status.ttl > 0) {
      cfg.caches.steps.set(key, step, step.status.ttl);
    }
    return step;
  });
}

async function dsStepUncached(name: Name, parent: SecureZone, ctx: VerdictContext): Promise<Step> {
  const res = await ctx.fetcher.get(name, RRType.DS);
  if (!res.ok) return end(parent, name, res.bogus ? 'bogus' : 'indeterminate', res.reason);
  const msg = res.message;

  const ds = rrsetOf(msg.answer, name, RRType.DS);
  if (ds) {
    // RFC 4035 §5.2: the DS RRset must be authenticated with the parent's keys.
    const v = await verifyRRsetOnce(ds.records, ds.sigs, parent.keys, parent.zone, ctx);
    if (!v.ok) return end(parent, name, 'bogus', v.reason);
    const zone = await authenticateKeys(name, ds.records.map((r) => r.data as DSData), [], parent.chain, ctx, false, v.ttl, v.expiration);
    if (zone.state === 'secure') return { kind: 'cut', zone };
    return { kind: 'end', status: zone };
  }

  // A CNAME at the name (RFC 1034 §3.6.2): it cannot be a delegation point; keep walking.
  const cname = rrsetOf(msg.answer, name, RRType.CNAME);
  if (cname) {
    const v = await verifyRRsetOnce(cname.records, cname.sigs, parent.keys, parent.zone, ctx);
    if (!v.ok) return end(parent, name, 'bogus', v.reason);
    if (v.wildcard) {
      // RFC 4035 §5.3.4: an expanded CNAME needs the proof that the name itself does not exist.
      const denial = await verifiedDenial(msg, parent, ctx);
      const d = await proveDenial({ name, type: RRType.CNAME, class: 'wildcard-answer', rrsigLabels: v.sig.data.labels }, denial.records, parent.zone, ctx.budget);
      if (d.kind === 'failed') return end(parent, name, 'bogus', d.reason);
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
    if (!v.ok) return end(parent, name, 'bogus', v.reason);
    return { kind: 'stop', ttl: v.ttl };
  }

  // No DS: the parent must prove its absence (RFC 4035 §5.2, §5.4; RFC 5155 §8.6).
  const nx = msg.header.rcode === Rcode.NXDOMAIN;
  const denial = await verifiedDenial(msg, parent, ctx);
  if (denial.records.length === 0) {
    return end(parent, name, 'bogus', denial.failure ?? {
      code: 'no-ds-proof',
      message: `no signed proof that ${name} has no DS record in ${parent.zone}`,
      rule: 'RFC 4035 §5.2',
      zone: parent.zone,
      name,
      type: RRType.DS,
    });
  }
  const d = await proveDenial({ name, type: RRType.DS, class: nx ? 'nxdomain' : 'nodata' }, denial.records, parent.zone, ctx.budget);
  switch (d.kind) {
    case 'proven':
      return nx ? { kind: 'stop', ttl: denial.ttl } : { kind: 'not-cut', ttl: denial.ttl };
    case 'insecure-delegation':
      return end(parent, name, 'insecure', {
        code: 'insecure-delegation',
        message: `${name} is delegated without DS: the zone is unsigned`,
        rule: 'RFC 4035 §5.2',
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
      return end(parent, name, 'bogus', d.reason);
  }
}

/**
 * NSEC/NSEC3 RRsets of a negative answer's authority section whose signatures verify with the
 * zone's keys. Sets signed by another zone or failing verification are left out (and reported in
 * `failure` in case nothing else is left). TTL per RFC 4035 §5.3.3.
 */
export async function verifiedDenial(
  msg: Message,
  zone: SecureZone,
  ctx: VerdictContext,
): Promise<{ records: RR[]; ttl: number; failure?: Reason }> {
  const sets: RRset[] = rrsetsOfTypes(msg.authority, [RRType.NSEC, RRType.NSEC3]);
  const records: RR[] = [];
  let ttl = Infinity;
  let failure: Reason | undefined;
  for (const set of sets.slice(0, LIMITS.maxSignaturesPerRRset)) {
    if (!isSubdomain(set.name, zone.zone)) continue;
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

/**
 * Authenticate the DNSKEY RRset of `zone` (RFC 4035 §5.2): at least one DNSKEY must match a DS
 * (or equal an anchor DNSKEY), be a zone key (RFC 4034 §2.1.1) and sign the whole DNSKEY RRset.
 * DS records with unsupported digest types or algorithms are ignored; when none is left the zone
 * is treated as unsigned (RFC 4035 §5.2, RFC 6840 §5.2).
 */
async function authenticateKeys(
  zone: Name,
  dsIn: DSData[],
  anchorKeys: DNSKEYData[],
  parentChain: ChainLink[],
  ctx: VerdictContext,
  isAnchor: boolean,
  dsTtl = Infinity,
  dsExpiration = Infinity,
): Promise<ZoneStatus> {
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
