/**
 * DS records: digest computation and matching against DNSKEYs (RFC 4034 §5, RFC 4035 §5.2),
 * digest type selection (RFC 4509 §3, RFC 6840 §5.2 and §5.11).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes } from '../util/encoding';
import { nameToWire, namesEqual } from '../wire/name';
import type { DNSKEYData, DSData, Name, RR } from '../wire/types';
import { keyTag } from './keytag';
import { LIMITS } from './limits';

/** DS digest type numbers (IANA "Digest Algorithms" registry). */
export const DigestType = {
  /** RFC 4034 §5.1.3 / Appendix A.2. */
  SHA1: 1,
  /** RFC 4509 §2. */
  SHA256: 2,
  /** RFC 5933 (GOST R 34.11-94): not implemented, treated as unsupported (RFC 6840 §5.2). */
  GOST: 3,
  /** RFC 6605 §2. */
  SHA384: 4,
} as const;

/** DNSKEY flag bits (RFC 4034 §2.1.1, RFC 5011 §3). */
const FLAG_ZONE = 0x0100; // bit 7
const FLAG_REVOKE = 0x0080; // bit 8

/**
 * In JavaScript (@noble/hashes), synchronous: one short input per DS and key, where WebCrypto's
 * asynchronous digest costs a thread hop and a promise each (bench/cpu.ts).
 */
const HASH_OF: Record<number, (data: Uint8Array) => Uint8Array> = {
  [DigestType.SHA1]: sha1,
  [DigestType.SHA256]: sha256,
  [DigestType.SHA384]: sha384,
};

/** Digest lengths in octets; a DS whose digest has another length can never match. */
const DIGEST_LENGTH: Record<number, number> = {
  [DigestType.SHA1]: 20,
  [DigestType.SHA256]: 32,
  [DigestType.SHA384]: 48,
};

/**
 * True for the digest types this validator computes: SHA-1 (RFC 4034 §5.1.4, RFC 8624 §3.3
 * "MUST" for validation), SHA-256 (RFC 4509 §2) and SHA-384 (RFC 6605 §2). Anything else,
 * including GOST (3), is unknown to us and is ignored per RFC 6840 §5.2.
 */
export function supportedDigestType(digestType: number): boolean {
  return digestType in HASH_OF;
}

/**
 * RFC 4034 §5.1.4: digest = digest_algorithm( DNSKEY owner name | DNSKEY RDATA ), where the
 * owner name is in canonical form (RFC 4034 §6.2: uncompressed, ASCII letters lowercased) and
 * "|" is concatenation. RDATA = Flags | Protocol | Algorithm | Public Key.
 * Null when the digest type is not supported (RFC 6840 §5.2).
 */
export async function computeDsDigest(owner: Name, dnskeyRdata: Uint8Array, digestType: number): Promise<Uint8Array | null> {
  const hash = HASH_OF[digestType];
  if (!hash) return null;
  const data = concatBytes(nameToWire(owner, true), dnskeyRdata);
  return hash(data);
}

/**
 * Whether `ds` (from the parent, or a trust anchor) refers to `key` at `owner` (RFC 4035 §5.2):
 * - the key is a zone key, protocol 3 (RFC 4034 §5.2: "the DNSKEY RR referred to in the DS RR
 *   MUST be a DNSSEC zone key"; RFC 4034 §2.1.2 protocol MUST be 3);
 * - the key is not revoked (RFC 5011 §2.1: a revoked key MUST NOT be used as a trust anchor);
 * - the key's owner is the DS owner (RFC 4034 §5.1.4 hashes the owner name);
 * - algorithm and key tag equal the DS fields (RFC 4034 §5.1.1, §5.1.2; RFC 4035 §5.2);
 * - the digest of the key equals the DS digest (RFC 4034 §5.1.4, RFC 4035 §5.2).
 * False for unsupported digest types (the caller decides what that means, RFC 6840 §5.2).
 */
export async function dsMatchesKey(ds: DSData, owner: Name, key: RR<DNSKEYData>): Promise<boolean> {
  const k = key.data;
  if ((k.flags & FLAG_ZONE) === 0 || k.protocol !== 3) return false; // RFC 4034 §5.2, §2.1.2
  if ((k.flags & FLAG_REVOKE) !== 0) return false; // RFC 5011 §2.1
  if (!namesEqual(key.name, owner)) return false; // RFC 4034 §5.1.4
  if (ds.algorithm !== k.algorithm) return false; // RFC 4034 §5.1.2
  if (ds.keyTag !== keyTag(key.rdata)) return false; // RFC 4034 §5.1.1
  const want = DIGEST_LENGTH[ds.digestType];
  if (want === undefined || ds.digest.length !== want) return false;
  const digest = await computeDsDigest(owner, key.rdata, ds.digestType);
  return digest !== null && bytesEqual(digest, ds.digest); // RFC 4034 §5.1.4
}

/**
 * The DS records a validator should try, in input order:
 * - only supported digest types: "a validator discards (for security purposes) any DS records
 *   that use unknown or unsupported message digest algorithms" (RFC 6840 §5.2); if nothing is
 *   left the caller treats the zone as unsigned (RFC 6840 §5.2, RFC 4035 §5.2);
 * - downgrade guard (RFC 4509 §3): "Validator implementations SHOULD ignore DS RRs containing
 *   SHA-1 digests if DS RRs with SHA-256 digests are present in the DS RRset." Applied per key
 *   (same key tag and algorithm): a SHA-1 DS is dropped when the same key also has a SHA-256 or
 *   SHA-384 DS, so a SHA-1 collision cannot stand in for a key that has a stronger digest, while
 *   a different key that only has a SHA-1 DS still counts (RFC 6840 §5.11: any single valid
 *   path suffices; validators SHOULD NOT insist that every DS works);
 * - at most LIMITS.maxDsPerZone records (the rest are ignored).
 */
export function selectDsDigestTypes<T extends DSData | RR<DSData>>(dsSet: readonly T[]): T[] {
  const dataOf = (d: T): DSData => ('kind' in d ? d : d.data);
  const strong = new Set<string>();
  for (const d of dsSet) {
    const ds = dataOf(d);
    if (ds.digestType === DigestType.SHA256 || ds.digestType === DigestType.SHA384) strong.add(`${ds.keyTag}/${ds.algorithm}`);
  }
  const out: T[] = [];
  for (const d of dsSet) {
    const ds = dataOf(d);
    if (!supportedDigestType(ds.digestType)) continue; // RFC 6840 §5.2
    if (ds.digestType === DigestType.SHA1 && strong.has(`${ds.keyTag}/${ds.algorithm}`)) continue; // RFC 4509 §3
    out.push(d);
    if (out.length >= LIMITS.maxDsPerZone) break;
  }
  return out;
}
