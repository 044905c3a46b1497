/**
 * DNSSEC signature algorithms (IANA "DNS Security Algorithm Numbers"): the rules (which
 * algorithms, key and signature layouts and sizes) here, the primitive in a `SignatureBackend`:
 * by default WebCrypto (`crypto.subtle`, present in MV3 service workers and Node 20) with
 * @noble/curves where WebCrypto lacks the curve (Ed448 everywhere; Ed25519 in older browsers);
 * the Node entry points pass node:crypto (src/cli/node-crypto.ts).
 *
 * Implemented, following RFC 8624 §3.1 (validation column):
 *   5 RSASHA1, 7 RSASHA1-NSEC3-SHA1 (RFC 3110, RFC 5155 §2; "MUST" validate)
 *   8 RSASHA256, 10 RSASHA512 (RFC 5702)
 *   13 ECDSAP256SHA256, 14 ECDSAP384SHA384 (RFC 6605)
 *   15 ED25519, 16 ED448 (RFC 8080)
 * Not implemented (→ 'unsupported'): 1 RSAMD5 and 3 DSA, 6 DSA-NSEC3-SHA1 (RFC 8624 §3.1 "MUST
 * NOT"), 12 ECC-GOST ("MAY"), private and unassigned numbers.
 *
 * Nothing here throws: malformed keys give 'bad-key', malformed signatures 'invalid'.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { toBase64Url, toHex, webCryptoBytes as buf } from '../util/encoding';

export type VerifyOutcome = 'valid' | 'invalid' | 'unsupported' | 'bad-key';

/** Algorithm numbers (IANA). */
export const Algorithm = {
  RSASHA1: 5,
  RSASHA1_NSEC3_SHA1: 7,
  RSASHA256: 8,
  RSASHA512: 10,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
} as const;

type RsaSpec = { kind: 'rsa'; hash: 'SHA-1' | 'SHA-256' | 'SHA-512'; minBits: number };
type EcSpec = { kind: 'ecdsa'; curve: 'P-256' | 'P-384'; hash: 'SHA-256' | 'SHA-384'; size: number };
type EdSpec = { kind: 'eddsa'; curve: 'Ed25519' | 'Ed448'; keySize: number; sigSize: number };
type Spec = RsaSpec | EcSpec | EdSpec;

/** RFC 3110 §1 / RFC 5702 §2: RSA moduli up to 4096 bits (also bounds the cost of one verification). */
const RSA_MAX_BITS = 4096;
/** Public exponents above 64 bits are refused (OpenSSL's limit; DNSSEC keys use 3 or 65537). */
const RSA_MAX_EXPONENT_OCTETS = 8;

const SPECS: Record<number, Spec> = {
  // RFC 3110 §1: RSA/SHA-1 keys of 512 to 4096 bits; RFC 5155 §2: algorithm 7 is an alias of 5.
  [Algorithm.RSASHA1]: { kind: 'rsa', hash: 'SHA-1', minBits: 512 },
  [Algorithm.RSASHA1_NSEC3_SHA1]: { kind: 'rsa', hash: 'SHA-1', minBits: 512 },
  // RFC 5702 §2.1: RSA/SHA-256 keys of 512 to 4096 bits; §2.2: RSA/SHA-512 keys of 1024 to 4096 bits.
  [Algorithm.RSASHA256]: { kind: 'rsa', hash: 'SHA-256', minBits: 512 },
  [Algorithm.RSASHA512]: { kind: 'rsa', hash: 'SHA-512', minBits: 1024 },
  // RFC 6605 §4: public key = Q as X | Y (32 or 48 octets each); signature = r | s (same sizes).
  [Algorithm.ECDSAP256SHA256]: { kind: 'ecdsa', curve: 'P-256', hash: 'SHA-256', size: 32 },
  [Algorithm.ECDSAP384SHA384]: { kind: 'ecdsa', curve: 'P-384', hash: 'SHA-384', size: 48 },
  // RFC 8080 §3: Ed25519 keys 32 octets, §4: signatures 64 octets; Ed448 57 and 114 octets.
  [Algorithm.ED25519]: { kind: 'eddsa', curve: 'Ed25519', keySize: 32, sigSize: 64 },
  [Algorithm.ED448]: { kind: 'eddsa', curve: 'Ed448', keySize: 57, sigSize: 114 },
};

/** True when `verify` can check signatures of this algorithm (RFC 8624 §3.1 validation column). */
export function algorithmSupported(alg: number): boolean {
  return alg in SPECS;
}

// --- signature backends ----------------------------------------------------------------------

/**
 * A public key that passed the DNSSEC rules above (layout and sizes of RFC 3110, 6605, 8080),
 * in the parts a platform's crypto imports.
 */
export type PublicKeyParts =
  | { kind: 'rsa'; hash: 'SHA-1' | 'SHA-256' | 'SHA-512'; n: Uint8Array; e: Uint8Array }
  /** `point`: X | Y, each the curve size (RFC 6605 §4). */
  | { kind: 'ecdsa'; curve: 'P-256' | 'P-384'; hash: 'SHA-256' | 'SHA-384'; point: Uint8Array }
  | { kind: 'eddsa'; curve: 'Ed25519' | 'Ed448'; key: Uint8Array };

/**
 * The platform's signature primitive. The rules (which algorithms, key and signature layouts and
 * sizes) stay in this module; a backend only imports keys those rules accepted and runs the
 * verification. `importKey` throws (or rejects) when the platform refuses a key (a point not on
 * the curve): the key is then 'bad-key'. Default: `webCryptoBackend` (browsers, and Node);
 * Node entry points inject node:crypto (src/cli/node-crypto.ts: synchronous, no thread hop per
 * operation, Ed448 in OpenSSL).
 */
export interface SignatureBackend {
  readonly name: string;
  importKey(parts: PublicKeyParts): unknown;
  verify(key: unknown, parts: PublicKeyParts, signature: Uint8Array, data: Uint8Array): boolean | Promise<boolean>;
}

let subtleEd25519: boolean | undefined; // undefined: not probed yet

function isNotSupported(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    ((err as { name?: unknown }).name === 'NotSupportedError' || (err as { name?: unknown }).name === 'NotSupported')
  );
}

/** WebCrypto (`crypto.subtle`), with @noble/curves where WebCrypto lacks the curve (Ed448 everywhere; Ed25519 in older browsers). */
export const webCryptoBackend: SignatureBackend = {
  name: 'webcrypto',
  async importKey(parts: PublicKeyParts): Promise<{ subtle: CryptoKey } | { noble: Uint8Array }> {
    switch (parts.kind) {
      case 'rsa': {
        // JWK (RFC 7518 §6.3.1): n and e as unsigned big-endian base64url without leading zeros.
        const jwk: JsonWebKey = { kty: 'RSA', n: toBase64Url(parts.n), e: toBase64Url(parts.e), ext: true };
        return { subtle: await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: parts.hash }, false, ['verify']) };
      }
      case 'ecdsa': {
        // SEC 1 §2.3.3 uncompressed point: 0x04 | X | Y. importKey rejects points not on the curve.
        const raw = new Uint8Array(1 + parts.point.length);
        raw[0] = 0x04;
        raw.set(parts.point, 1);
        return { subtle: await crypto.subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: parts.curve }, false, ['verify']) };
      }
      case 'eddsa': {
        if (parts.curve === 'Ed25519' && subtleEd25519 !== false) {
          try {
            const key = await crypto.subtle.importKey('raw', buf(parts.key), { name: 'Ed25519' }, false, ['verify']);
            subtleEd25519 = true;
            return { subtle: key };
          } catch (err) {
            if (!isNotSupported(err)) throw err;
            subtleEd25519 = false; // browser without WebCrypto Ed25519: @noble/curves below
          }
        }
        const curve = parts.curve === 'Ed25519' ? ed25519 : ed448;
        if (!curve.utils.isValidPublicKey(parts.key, false)) throw new Error(`${parts.curve} public key is not a valid point`);
        return { noble: parts.key.slice() };
      }
    }
  },
  async verify(key: unknown, parts: PublicKeyParts, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    const k = key as { subtle: CryptoKey } | { noble: Uint8Array };
    if ('noble' in k) {
      // RFC 8032 §5.1.7 / §5.2.7 verification (zip215 off: strict RFC 8032 encodings, as OpenSSL).
      const curve = parts.kind === 'eddsa' && parts.curve === 'Ed25519' ? ed25519 : ed448;
      return curve.verify(signature, data, k.noble, { zip215: false });
    }
    const algorithm =
      parts.kind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : parts.kind === 'ecdsa' ? { name: 'ECDSA', hash: parts.hash } : { name: parts.curve };
    return crypto.subtle.verify(algorithm, k.subtle, buf(signature), buf(data));
  },
};

// --- key cache -------------------------------------------------------------------------------

/** A prepared public key: the backend's key, or a failure. */
type Prepared = { kind: 'ok'; parts: PublicKeyParts; key: unknown } | { kind: 'bad' };

/** Imported keys per backend, most recently used last (Map iteration order). */
const KEY_CACHE_SIZE = 256;
const keyCaches = new WeakMap<SignatureBackend, Map<string, Promise<Prepared>>>();

function cached(backend: SignatureBackend, cacheKey: string, make: () => Promise<Prepared>): Promise<Prepared> {
  let keyCache = keyCaches.get(backend);
  if (!keyCache) keyCaches.set(backend, (keyCache = new Map()));
  const hit = keyCache.get(cacheKey);
  if (hit) {
    keyCache.delete(cacheKey);
    keyCache.set(cacheKey, hit);
    return hit;
  }
  const p = make().catch((): Prepared => ({ kind: 'bad' }));
  keyCache.set(cacheKey, p);
  if (keyCache.size > KEY_CACHE_SIZE) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  return p;
}

/** For tests: forget imported keys. */
export function clearKeyCache(): void {
  keyCaches.delete(webCryptoBackend);
}


function stripLeadingZeros(u: Uint8Array): Uint8Array {
  let i = 0;
  while (i < u.length - 1 && u[i] === 0) i++;
  return u.subarray(i);
}

function bitLength(u: Uint8Array): number {
  const v = stripLeadingZeros(u);
  if (v.length === 0 || v[0] === 0) return 0;
  return (v.length - 1) * 8 + (32 - Math.clz32(v[0]));
}

/**
 * RFC 3110 §2: exponent length in 1 octet, or 0 followed by 2 octets of length; then the
 * exponent; then the modulus (the rest). Null when the layout is broken, the modulus is outside
 * the allowed sizes or the exponent is even or absurdly long (no valid RSA key).
 */
export function parseRsaKey(publicKey: Uint8Array, minBits: number): { n: Uint8Array; e: Uint8Array } | null {
  if (publicKey.length < 1) return null;
  let pos = 1;
  let expLen = publicKey[0];
  if (expLen === 0) {
    if (publicKey.length < 3) return null;
    expLen = (publicKey[1] << 8) | publicKey[2];
    pos = 3;
  }
  if (expLen === 0 || pos + expLen >= publicKey.length) return null;
  const e = stripLeadingZeros(publicKey.subarray(pos, pos + expLen));
  const n = stripLeadingZeros(publicKey.subarray(pos + expLen));
  if (e.length > RSA_MAX_EXPONENT_OCTETS || (e[e.length - 1] & 1) === 0 || bitLength(e) < 2) return null;
  const bits = bitLength(n);
  if (bits < minBits || bits > RSA_MAX_BITS || (n[n.length - 1] & 1) === 0) return null;
  return { n, e };
}

/** The key's parts under the DNSSEC rules of its algorithm, or null when they refuse it. */
function partsOf(spec: Spec, publicKey: Uint8Array): PublicKeyParts | null {
  switch (spec.kind) {
    case 'rsa': {
      const parsed = parseRsaKey(publicKey, spec.minBits);
      return parsed && { kind: 'rsa', hash: spec.hash, ...parsed };
    }
    case 'ecdsa':
      if (publicKey.length !== 2 * spec.size) return null; // RFC 6605 §4
      return { kind: 'ecdsa', curve: spec.curve, hash: spec.hash, point: publicKey.slice() };
    case 'eddsa':
      if (publicKey.length !== spec.keySize) return null; // RFC 8080 §3
      return { kind: 'eddsa', curve: spec.curve, key: publicKey.slice() };
  }
}

async function prepare(backend: SignatureBackend, spec: Spec, publicKey: Uint8Array): Promise<Prepared> {
  const parts = partsOf(spec, publicKey);
  if (!parts) return { kind: 'bad' };
  return { kind: 'ok', parts, key: await backend.importKey(parts) };
}

/**
 * Verify `signature` over `data` with a DNSKEY public key field of algorithm `alg`.
 * 'unsupported' for algorithms not implemented; 'bad-key' when the key cannot be used
 * (malformed, wrong size, not on the curve, RSA modulus outside the RFC sizes); 'invalid' when
 * the signature does not verify or is malformed; 'valid' otherwise. Never throws.
 */
export async function verify(
  alg: number,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  backend: SignatureBackend = webCryptoBackend,
): Promise<VerifyOutcome> {
  const spec = SPECS[alg];
  if (!spec) return 'unsupported';
  try {
    const prepared = await cached(backend, `${alg}:${toHex(publicKey)}`, () => prepare(backend, spec, publicKey));
    if (prepared.kind === 'bad') return 'bad-key';
    // RFC 6605 §4: r | s, each exactly the curve size (WebCrypto's raw ECDSA format); RFC 8080 §4:
    // Ed25519 64 octets, Ed448 114. RSA (RFC 3110 §3, RFC 5702 §3): EMSA-PKCS1-v1_5, the backend checks the length.
    if (spec.kind === 'ecdsa' && signature.length !== 2 * spec.size) return 'invalid';
    if (spec.kind === 'eddsa' && signature.length !== spec.sigSize) return 'invalid';
    return (await backend.verify(prepared.key, prepared.parts, signature, data)) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
