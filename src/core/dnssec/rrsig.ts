/**
 * RRset signature verification (RFC 4035 §5.3), bounded against colliding key tags and
 * signature floods (KeyTrap, CVE-2023-50387) by the named limits.
 */
import { algorithmSupported, verify, type SignatureBackend } from './algorithms';
import { signedData, signedOwner } from './canonical';
import { keyTag } from './keytag';
import { LIMITS } from './limits';
import type { Reason, ReasonCode } from './result';
import { isSubdomain, namesEqual, rrsigLabelCount } from '../wire/name';
import { RRType, type DNSKEYData, type Name, type RR, type RRSIGData } from '../wire/types';

export interface VerifyContext {
  /** Validation time, seconds since the epoch. */
  now: number;
  /** Decremented by one per signature verification; starts at LIMITS.maxCryptoOpsPerVerdict. */
  budget: { cryptoOps: number };
  /** The platform's signature primitive (default: WebCrypto). */
  signatures?: SignatureBackend;
}

export type RRsetVerification =
  | {
      ok: true;
      sig: RR<RRSIGData>;
      keyTag: number;
      algorithm: number;
      /** RFC 4035 §5.3.3: min(RRset TTL, RRSIG TTL, Original TTL, Expiration − now), ≥ 0. */
      ttl: number;
      /** Signature expiration as seconds since the epoch (serial number unwrapped near `now`). */
      expiration: number;
      /** The wildcard the RRset was synthesized from (RFC 4035 §5.3.4) when Labels < owner labels. */
      wildcard: Name | null;
    }
  | {
      ok: false;
      /** Neither the signatures nor the zone's keys use a supported algorithm (RFC 4035 §5.2): insecure, not bogus. */
      unsupported: boolean;
      reason: Reason;
    };

/** DNSKEY flag bits (RFC 4034 §2.1.1, RFC 5011 §3). */
const FLAG_ZONE = 0x0100; // bit 7
const FLAG_REVOKE = 0x0080; // bit 8

const RULE = 'RFC 4035 §5.3.1';

// --- serial number arithmetic (RFC 1982 §3.2, as required by RFC 4034 §3.1.5) ----------------

const TWO_31 = 0x80000000;
const TWO_32 = 0x100000000;

/** Signed distance from serial `b` to serial `a` (a − b) in 32-bit serial space; undefined when it is ±2^31 (RFC 1982 §3.2). */
export function serialDiff(a: number, b: number): number | undefined {
  const d = (((a - b) % TWO_32) + TWO_32) % TWO_32;
  if (d === TWO_31) return undefined;
  return d < TWO_31 ? d : d - TWO_32;
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}

function typeName(type: number): string {
  for (const [k, v] of Object.entries(RRType)) if (v === type) return k;
  return `TYPE${type}`;
}

/**
 * Failure stages of one signature, in the order the checks run; the failure reported for the
 * RRset is the one of the signature that got furthest (ties: the first).
 */
const STAGE: Partial<Record<ReasonCode, number>> = {
  'signer-mismatch': 1,
  'labels-invalid': 2,
  'unsupported-algorithm': 3,
  'no-matching-key': 4,
  'signature-not-yet-valid': 5,
  'signature-expired': 5,
  'signature-invalid': 6,
};

/**
 * Verify an RRset against its RRSIGs with the (already authenticated) DNSKEYs of `zone`
 * (RFC 4035 §5.3). The first signature that verifies wins. All checks cite RFC 4035 §5.3.1
 * unless noted:
 * - all RRs share owner, type and class (an RRset, RFC 2181 §5; RFC 4034 §3);
 * - only RRSIGs with Type Covered = the RRset type, the same owner (case-insensitive) and the
 *   same class are considered ("The RRSIG RR and the RRset MUST have the same owner name and the
 *   same class"; "The RRSIG RR's Type Covered field MUST equal the RRset's type");
 * - Signer's Name = `zone` ("MUST be the name of the zone that contains the RRset") and the
 *   owner is at or below `zone`;
 * - Labels ≤ the owner's label count without a leading "*" (RFC 4034 §3.1.3);
 * - now within [Inception, Expiration] in serial number arithmetic (RFC 4034 §3.1.5, RFC 1982);
 * - the key: owner = Signer's Name, same algorithm and key tag, protocol 3 (RFC 4034 §2.1.2),
 *   Zone Key flag set (RFC 4034 §2.1.1), not revoked unless the RRset is the DNSKEY RRset
 *   (RFC 5011 §2.1);
 * - at most LIMITS.maxSignaturesPerRRset signatures and LIMITS.maxKeysPerSignature keys per
 *   signature are tried, and every verification costs one `ctx.budget.cryptoOps`; when the
 *   budget is spent the result is 'limit-exceeded' (KeyTrap, CVE-2023-50387);
 * - signatures with supported algorithms are tried first (RFC 6840 §5.11: any one valid
 *   signature suffices).
 */
export async function verifyRRset(
  rrset: RR[],
  sigs: RR<RRSIGData>[],
  keys: RR<DNSKEYData>[],
  zone: Name,
  ctx: VerifyContext,
): Promise<RRsetVerification> {
  const bogus = (code: ReasonCode, message: string, extra: Partial<Reason> = {}): RRsetVerification => ({
    ok: false,
    unsupported: false,
    reason: { code, message, rule: RULE, zone, ...extra },
  });

  if (rrset.length === 0) return bogus('malformed-answer', `empty RRset to verify in zone ${zone}`);
  const { name: owner, type, class: klass } = rrset[0];
  const tname = typeName(type);
  const where = { name: owner, type };
  // RFC 2181 §5, RFC 4034 §3: an RRSIG covers one RRset (same owner, class and type).
  for (const rr of rrset) {
    if (rr.type !== type || rr.class !== klass || !namesEqual(rr.name, owner)) {
      return bogus('malformed-answer', `records of ${owner} ${tname} do not form one RRset (owner, type and class differ)`, {
        ...where,
        rule: 'RFC 2181 §5, RFC 4034 §3',
      });
    }
  }
  // RFC 4035 §2.2: RRSIG RRsets are not signed themselves.
  if (type === RRType.RRSIG) return bogus('malformed-answer', `RRSIG RRsets are not signed (${owner})`, { ...where, rule: 'RFC 4035 §2.2' });

  // RFC 4035 §5.3.1: same owner name, same class, Type Covered = RRset type.
  const covering = sigs.filter(
    (s) =>
      s.type === RRType.RRSIG &&
      s.data.kind === 'RRSIG' &&
      s.data.typeCovered === type &&
      s.class === klass &&
      namesEqual(s.name, owner),
  );
  if (covering.length === 0) return bogus('missing-rrsig', `no RRSIG covers ${owner} ${tname} (zone ${zone})`, where);

  // The owner must be in the zone whose keys sign it (RFC 4035 §5.3.1: the signer is "the zone
  // that contains the RRset").
  if (!isSubdomain(owner, zone)) {
    return bogus('signer-mismatch', `${owner} ${tname} is not in zone ${zone}`, where);
  }

  const ownerLabels = rrsigLabelCount(owner);
  const now32 = ((Math.floor(ctx.now) % TWO_32) + TWO_32) % TWO_32;
  const revokeAllowed = type === RRType.DNSKEY; // RFC 5011 §2.1
  const keyTags = keys.map((k) => keyTag(k.rdata));

  // Supported algorithms first; stable otherwise (RFC 6840 §5.11).
  const ordered = [
    ...covering.filter((s) => algorithmSupported(s.data.algorithm)),
    ...covering.filter((s) => !algorithmSupported(s.data.algorithm)),
  ];

  const worst: { reason: Reason | null } = { reason: null };
  const fail = (code: ReasonCode, message: string, sig: RRSIGData, rule = RULE): void => {
    const prev = worst.reason;
    if (prev && (STAGE[prev.code] ?? 0) >= (STAGE[code] ?? 0)) return;
    worst.reason = { code, message, rule, zone, ...where, keyTag: sig.keyTag, algorithm: sig.algorithm };
  };
  let sigsTried = 0;
  let limited: string | null = null;

  for (const sig of ordered) {
    const s = sig.data;
    const id = `RRSIG ${tname} of ${owner} (signer ${s.signerName}, key ${s.keyTag}, algorithm ${s.algorithm})`;

    // RFC 4035 §5.3.1: "The RRSIG RR's Signer's Name field MUST be the name of the zone that contains the RRset."
    if (!namesEqual(s.signerName, zone)) {
      fail('signer-mismatch', `${id}: signer is not the zone ${zone}`, s);
      continue;
    }
    // RFC 4035 §5.3.1: "The RRSIG RR's Labels field is less than or equal to the number of labels in the RRSIG RR's owner name."
    if (s.labels > ownerLabels) {
      fail('labels-invalid', `${id}: Labels field ${s.labels} exceeds the ${ownerLabels} labels of the owner`, s);
      continue;
    }
    // RFC 4035 §5.2, RFC 8624 §3.1: algorithms we cannot verify.
    if (!algorithmSupported(s.algorithm)) {
      fail('unsupported-algorithm', `${id}: algorithm ${s.algorithm} is not supported`, s, 'RFC 4035 §5.2, RFC 8624 §3.1');
      continue;
    }
    // RFC 4035 §5.3.1: the DNSKEY matches the Signer's Name, algorithm and key tag; RFC 4034
    // §2.1.1 zone key; §2.1.2 protocol 3; RFC 5011 §2.1 not revoked (except DNSKEY self-signature).
    const candidates: RR<DNSKEYData>[] = [];
    let excluded = '';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (keyTags[i] !== s.keyTag || k.data.algorithm !== s.algorithm || !namesEqual(k.name, s.signerName)) continue;
      if (k.data.protocol !== 3) excluded ||= `key ${s.keyTag} has protocol ${k.data.protocol}, not 3 (RFC 4034 §2.1.2)`;
      else if ((k.data.flags & FLAG_ZONE) === 0) excluded ||= `key ${s.keyTag} lacks the Zone Key flag (RFC 4034 §2.1.1)`;
      else if ((k.data.flags & FLAG_REVOKE) !== 0 && !revokeAllowed) excluded ||= `key ${s.keyTag} is revoked (RFC 5011 §2.1)`;
      else candidates.push(k);
    }
    if (candidates.length === 0) {
      fail('no-matching-key', `${id}: no usable DNSKEY of ${zone} with this key tag and algorithm${excluded ? `: ${excluded}` : ''}`, s);
      continue;
    }
    // RFC 4035 §5.3.1 validity window, compared in serial number arithmetic (RFC 4034 §3.1.5, RFC 1982).
    const toExpiration = serialDiff(s.expiration, now32);
    const sinceInception = serialDiff(now32, s.inception);
    if (sinceInception === undefined || sinceInception < 0) {
      fail('signature-not-yet-valid', `${id}: not valid before ${iso(ctx.now - (sinceInception ?? 0))} (inception)`, s, 'RFC 4035 §5.3.1, RFC 4034 §3.1.5');
      continue;
    }
    if (toExpiration === undefined || toExpiration < 0) {
      fail('signature-expired', `${id}: expired at ${iso(ctx.now + (toExpiration ?? 0))}`, s, 'RFC 4035 §5.3.1, RFC 4034 §3.1.5');
      continue;
    }

    // KeyTrap bounds: signatures per RRset, keys per signature, crypto operations per verdict.
    if (sigsTried >= LIMITS.maxSignaturesPerRRset) {
      limited = `more than ${LIMITS.maxSignaturesPerRRset} signatures over ${owner} ${tname}`;
      break;
    }
    sigsTried++;
    if (candidates.length > LIMITS.maxKeysPerSignature) {
      limited = `${candidates.length} keys of ${zone} share key tag ${s.keyTag} and algorithm ${s.algorithm} (limit ${LIMITS.maxKeysPerSignature})`;
    }
    const data = signedData(sig, rrset);
    for (const k of candidates.slice(0, LIMITS.maxKeysPerSignature)) {
      if (ctx.budget.cryptoOps <= 0) {
        return bogus('limit-exceeded', `crypto budget of the verdict spent while verifying ${owner} ${tname} (zone ${zone})`, {
          ...where,
          keyTag: s.keyTag,
          algorithm: s.algorithm,
          rule: 'CVE-2023-50387 (KeyTrap) mitigation',
        });
      }
      ctx.budget.cryptoOps--;
      const outcome = await verify(s.algorithm, k.data.publicKey, data, s.signature, ctx.signatures);
      if (outcome === 'valid') {
        // RFC 4035 §5.3.3: TTL no greater than the RRset TTL, the RRSIG TTL, the Original TTL and
        // the time left until Expiration.
        let ttl = Math.min(sig.ttl, s.originalTtl, toExpiration);
        for (const rr of rrset) ttl = Math.min(ttl, rr.ttl);
        const source = signedOwner(owner, s.labels);
        return {
          ok: true,
          sig,
          keyTag: s.keyTag,
          algorithm: s.algorithm,
          ttl: Math.max(0, ttl),
          expiration: Math.floor(ctx.now) + toExpiration,
          // RFC 4035 §5.3.2 / §5.3.4: Labels < owner labels → synthesized from "*." + rightmost Labels labels.
          wildcard: s.labels < ownerLabels ? source : null,
        };
      }
      fail(
        'signature-invalid',
        outcome === 'bad-key' ? `${id}: DNSKEY ${s.keyTag} is malformed or unusable for algorithm ${s.algorithm}` : `${id}: signature does not verify`,
        s,
        outcome === 'bad-key' ? 'RFC 4034 §2.1.4' : 'RFC 4035 §5.3.3',
      );
    }
  }

  const reason: Reason = worst.reason ?? { code: 'missing-rrsig', message: `no usable RRSIG for ${owner} ${tname}`, rule: RULE, zone, ...where };
  if (limited) {
    return bogus('limit-exceeded', `${reason.message}; gave up: ${limited}`, {
      ...where,
      keyTag: reason.keyTag,
      algorithm: reason.algorithm,
      rule: 'CVE-2023-50387 (KeyTrap) mitigation',
    });
  }
  // RFC 4035 §5.2: insecure rather than bogus only when nothing offers a supported algorithm —
  // neither a covering signature nor a zone key. A supported zone key with only unsupported
  // signatures is a stripping attack and stays bogus.
  const unsupported =
    covering.every((s) => !algorithmSupported(s.data.algorithm)) &&
    !keys.some((k) => algorithmSupported(k.data.algorithm) && (k.data.flags & FLAG_ZONE) !== 0 && k.data.protocol === 3);
  if (unsupported) {
    const algs = [...new Set(covering.map((s) => s.data.algorithm))].join(', ');
    return {
      ok: false,
      unsupported: true,
      reason: {
        code: 'unsupported-algorithm',
        message: `${owner} ${tname} is signed only with unsupported algorithm(s) ${algs} in zone ${zone}`,
        rule: 'RFC 4035 §5.2',
        zone,
        ...where,
        algorithm: covering[0].data.algorithm,
        keyTag: covering[0].data.keyTag,
      },
    };
  }
  return { ok: false, unsupported: false, reason };
}
