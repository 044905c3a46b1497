/**
 * Does a certificate's signature verify under a public key? (RFC 5280 §4.1.1.3, §6.1.3 (a)(1))
 * With WebCrypto (`crypto.subtle`); EdDSA through the DNSSEC module's backend, which falls back
 * to @noble/curves where WebCrypto lacks the curve (Ed448 everywhere).
 *
 * Signature algorithms (certificate `signatureAlgorithm`) and the keys each accepts:
 *   RSASSA-PKCS1-v1_5 with SHA-1/256/384/512 (RFC 3279 §2.2.1, RFC 4055 §5): rsaEncryption keys
 *   RSASSA-PSS (RFC 4055 §3.1, RFC 8017 §8.1): rsaEncryption or id-RSASSA-PSS keys; MGF1 with the
 *     message hash and trailer field 1, the only forms WebCrypto computes
 *   ECDSA with SHA-1/256/384/512 (RFC 3279 §2.2.3, RFC 5758 §3.2): id-ecPublicKey on P-256, P-384,
 *     P-521 (RFC 5480 §2.1.1.1, named curves only)
 *   Ed25519, Ed448 (RFC 8410 §6): keys of the same algorithm
 * Anything else (DSA, SHA-224, other curves, a key of another kind) does not verify.
 *
 * Never throws: every failure (malformed signature or key, refused by the platform) is `false`.
 */
import { webCryptoBackend, type PublicKeyParts } from '../dnssec/algorithms';
import { DerError, DerReader, Tag, contents, contextTag, readOid, readSmallUint, readUnsignedBytes } from './der';
import type { AlgorithmId, SubjectKey } from './x509';
import { bytesEqual, toBase64Url, webCryptoBytes as buf } from '../util/encoding';

/**
 * RSA moduli accepted in certificates. Below 1024 bits a key can be factored (and OpenSSL refuses
 * it at every security level above 0); above 8192 one verification costs tens of milliseconds and
 * no CA issues such keys (CA/Browser Forum Baseline Requirements §6.1.5 ask for 2048 and up, and
 * browsers' own limits sit at 8192 or 16384).
 */
const RSA_MIN_MODULUS_BITS = 1024;
const RSA_MAX_MODULUS_BITS = 8192;
/** Public exponents above 64 bits are refused (as the DNSSEC module and OpenSSL). */
const RSA_MAX_EXPONENT_OCTETS = 8;

type Hash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

type Scheme =
  | { kind: 'pkcs1'; hash: Hash }
  | { kind: 'pss'; hash: Hash; saltLength: number }
  | { kind: 'ecdsa'; hash: Hash }
  | { kind: 'eddsa'; curve: 'Ed25519' | 'Ed448' };

const HASH_OIDS: Record<string, Hash> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const SIMPLE_SCHEMES: Record<string, Scheme> = {
  '1.2.840.113549.1.1.5': { kind: 'pkcs1', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { kind: 'pkcs1', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'pkcs1', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'pkcs1', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'SHA-512' },
  '1.3.101.112': { kind: 'eddsa', curve: 'Ed25519' },
  '1.3.101.113': { kind: 'eddsa', curve: 'Ed448' },
};

const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** RFC 5480 §2.1.1.1 named curves, with the size of r and s in octets. */
const CURVES: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

/** The signed part of a certificate and its signature (./x509.ts X509Fields). */
export interface Signed {
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  tbsSignatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
}

/** True when `child.signature` over `child.tbs` verifies under `key`. */
export async function verifyCertificateSignature(child: Signed, key: SubjectKey): Promise<boolean> {
  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST be the same as tbsCertificate.signature.
  if (!sameAlgorithm(child.signatureAlgorithm, child.tbsSignatureAlgorithm)) return false;
  try {
    const scheme = schemeOf(child.signatureAlgorithm);
    if (!scheme) return false;
    switch (scheme.kind) {
      case 'pkcs1':
      case 'pss': {
        const jwk = rsaJwk(key, scheme.kind === 'pss');
        if (!jwk) return false;
        const name = scheme.kind === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
        const k = await imported(key, `${name}/${scheme.hash}`, () => crypto.subtle.importKey('jwk', jwk, { name, hash: scheme.hash }, false, ['verify']));
        const params = scheme.kind === 'pss' ? { name, saltLength: scheme.saltLength } : { name };
        return await crypto.subtle.verify(params, k, buf(child.signature), buf(child.tbs));
      }
      case 'ecdsa': {
        const curve = ecCurve(key);
        if (!curve) return false;
        const raw = ecdsaRaw(child.signature, curve.size);
        if (!raw) return false;
        const k = await imported(key, 'ECDSA', () => crypto.subtle.importKey('spki', buf(key.der), { name: 'ECDSA', namedCurve: curve.name }, false, ['verify']));
        return await crypto.subtle.verify({ name: 'ECDSA', hash: scheme.hash }, k, raw, buf(child.tbs));
      }
      case 'eddsa': {
        // RFC 8410 §3: the key's algorithm is the curve's own OID, without parameters.
        const keyScheme = SIMPLE_SCHEMES[key.algorithm.oid];
        if (key.algorithm.params !== null || keyScheme?.kind !== 'eddsa' || keyScheme.curve !== scheme.curve) return false;
        const parts: PublicKeyParts = { kind: 'eddsa', curve: scheme.curve, key: key.key };
        const k = await webCryptoBackend.importKey(parts);
        return await webCryptoBackend.verify(k, parts, child.signature, child.tbs);
      }
    }
  } catch {
    // The platform refused the key or the signature (a point off the curve, a malformed encoding).
    return false;
  }
}

/**
 * Imported keys by key object (./cert.ts keeps parsed certificates, so a CA's key comes back for
 * every chain it issued) and by how they were imported; they go with the key object.
 */
const importedKeys = new WeakMap<SubjectKey, Map<string, Promise<CryptoKey>>>();

function imported(key: SubjectKey, how: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let byHow = importedKeys.get(key);
  if (!byHow) importedKeys.set(key, (byHow = new Map()));
  let k = byHow.get(how);
  if (!k) {
    k = make();
    byHow.set(how, k);
  }
  return k;
}

function sameAlgorithm(a: AlgorithmId, b: AlgorithmId): boolean {
  return a.oid === b.oid && (a.params === null ? b.params === null : b.params !== null && bytesEqual(a.params, b.params));
}

const NULL_PARAMS = Uint8Array.of(Tag.NULL, 0);

function schemeOf(alg: AlgorithmId): Scheme | null {
  const simple = SIMPLE_SCHEMES[alg.oid];
  if (simple) {
    // RFC 4055 §5: RSA PKCS #1 v1.5 parameters are NULL (absent is tolerated, as OpenSSL does);
    // RFC 5758 §3.2 and RFC 8410 §3: ECDSA and EdDSA parameters are absent.
    if (simple.kind === 'pkcs1') return alg.params === null || bytesEqual(alg.params, NULL_PARAMS) ? simple : null;
    return alg.params === null ? simple : null;
  }
  if (alg.oid === OID_RSASSA_PSS && alg.params) return pssParams(alg.params);
  return null;
}

/**
 * RFC 4055 §3.1 RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1,
 * maskGenAlgorithm [1] DEFAULT mgf1SHA1, saltLength [2] DEFAULT 20, trailerField [3] DEFAULT 1 }.
 */
function pssParams(params: Uint8Array): Scheme | null {
  const top = new DerReader(params);
  const seq = DerReader.inside(params, top.expect(Tag.SEQUENCE, 'RSASSA-PSS-params'));
  top.end('RSASSA-PSS-params');
  let hash: Hash | undefined = 'SHA-1';
  let mgfHash: Hash | undefined = 'SHA-1';
  let saltLength = 20;
  const explicit = (n: number): DerReader | null => {
    const t = seq.optional(contextTag(n, true));
    return t ? DerReader.inside(params, t) : null;
  };
  const h = explicit(0);
  if (h) hash = hashOf(params, h);
  const m = explicit(1);
  if (m) {
    const alg = DerReader.inside(params, m.expect(Tag.SEQUENCE, 'maskGenAlgorithm'));
    if (readOid(contents(params, alg.expect(Tag.OID, 'mgf'))) !== OID_MGF1) return null;
    mgfHash = hashOf(params, alg);
  }
  const s = explicit(2);
  if (s) saltLength = readSmallUint(contents(params, s.expect(Tag.INTEGER, 'saltLength')), 'saltLength');
  const tf = explicit(3);
  if (tf && readSmallUint(contents(params, tf.expect(Tag.INTEGER, 'trailerField')), 'trailerField') !== 1) return null;
  seq.end('RSASSA-PSS-params');
  // WebCrypto's RSA-PSS uses MGF1 with the message hash (RFC 8017 §B.2.1).
  if (!hash || hash !== mgfHash) return null;
  return { kind: 'pss', hash, saltLength };
}

/** A hash AlgorithmIdentifier (parameters NULL or absent, RFC 4055 §2.1) read from `r`. */
function hashOf(bytes: Uint8Array, r: DerReader): Hash | undefined {
  const alg = DerReader.inside(bytes, r.expect(Tag.SEQUENCE, 'hash algorithm'));
  const oid = readOid(contents(bytes, alg.expect(Tag.OID, 'hash algorithm')));
  const nul = alg.optional(Tag.NULL);
  if (nul && nul.end !== nul.contentStart) throw new DerError('NULL with contents');
  alg.end('hash algorithm');
  return HASH_OIDS[oid];
}

/** RFC 3279 §2.3.1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, as a JWK (RFC 7518 §6.3.1). */
function rsaJwk(key: SubjectKey, pssAllowed: boolean): JsonWebKey | null {
  const oid = key.algorithm.oid;
  // An id-RSASSA-PSS key (RFC 4055 §1.2) signs with PSS only; its parameters, when present, bind
  // the hash — WebCrypto checks the signature with the certificate's parameters either way.
  if (!(oid === OID_RSA_ENCRYPTION || (pssAllowed && oid === OID_RSASSA_PSS))) return null;
  const top = new DerReader(key.key);
  const seq = DerReader.inside(key.key, top.expect(Tag.SEQUENCE, 'RSAPublicKey'));
  top.end('RSAPublicKey');
  const n = readUnsignedBytes(contents(key.key, seq.expect(Tag.INTEGER, 'modulus')), 'modulus');
  const e = readUnsignedBytes(contents(key.key, seq.expect(Tag.INTEGER, 'publicExponent')), 'publicExponent');
  seq.end('RSAPublicKey');
  const bits = n[0] === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
  if (bits < RSA_MIN_MODULUS_BITS || bits > RSA_MAX_MODULUS_BITS) return null;
  if (e.length > RSA_MAX_EXPONENT_OCTETS) return null;
  return { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e), ext: true };
}

/** RFC 5480 §2.1.1: id-ecPublicKey with a namedCurve parameter. */
function ecCurve(key: SubjectKey): { name: 'P-256' | 'P-384' | 'P-521'; size: number } | null {
  if (key.algorithm.oid !== OID_EC_PUBLIC_KEY || !key.algorithm.params) return null;
  const p = key.algorithm.params;
  const r = new DerReader(p);
  const oid = readOid(contents(p, r.expect(Tag.OID, 'namedCurve')));
  r.end('ECParameters');
  return CURVES[oid] ?? null;
}

/** RFC 3279 §2.2.3 Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } → r | s, each `size` octets (WebCrypto's form). */
function ecdsaRaw(sig: Uint8Array, size: number): Uint8Array<ArrayBuffer> | null {
  const top = new DerReader(sig);
  const seq = DerReader.inside(sig, top.expect(Tag.SEQUENCE, 'Ecdsa-Sig-Value'));
  top.end('Ecdsa-Sig-Value');
  const r = readUnsignedBytes(contents(sig, seq.expect(Tag.INTEGER, 'r')), 'r');
  const s = readUnsignedBytes(contents(sig, seq.expect(Tag.INTEGER, 's')), 's');
  seq.end('Ecdsa-Sig-Value');
  if (r.length > size || s.length > size) return null;
  const out = new Uint8Array(2 * size);
  out.set(r, size - r.length);
  out.set(s, 2 * size - s.length);
  return out;
}
