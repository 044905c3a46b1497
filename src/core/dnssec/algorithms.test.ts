import { afterEach, describe, expect, it, vi } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { algorithmSupported, clearKeyCache, parseRsaKey, verify, webCryptoBackend } from './algorithms';
import { nodeCryptoBackend } from '../../cli/node-crypto';
import { signedData } from './canonical';
import { b64, rrsig, RFC8080_PRIVATE, SIG_VECTORS } from './fixtures/vectors';
import { concatBytes, fromBase64Url, toBase64 } from '../util/encoding';

const enc = new TextEncoder();

/** RFC 3110 §2 public key field from a WebCrypto RSA public key. */
async function rsaDnskey(key: CryptoKey): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const e = fromBase64Url(jwk.e!)!;
  const n = fromBase64Url(jwk.n!)!;
  return concatBytes(Uint8Array.of(e.length), e, n);
}

async function rsaPair(bits: number, hash: string) {
  return (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
}

function flip(u: Uint8Array, i = u.length - 1): Uint8Array {
  const c = u.slice();
  c[i] ^= 0x01;
  return c;
}

describe('algorithmSupported (RFC 8624 §3.1)', () => {
  it('implements 5, 7, 8, 10, 13, 14, 15, 16 only', () => {
    const yes = [5, 7, 8, 10, 13, 14, 15, 16];
    for (let alg = 0; alg < 256; alg++) expect(algorithmSupported(alg)).toBe(yes.includes(alg));
  });

  it("'unsupported' for RSAMD5, DSA, DSA-NSEC3, GOST, private and unassigned", async () => {
    for (const alg of [0, 1, 3, 6, 12, 17, 23, 252, 253, 254, 255]) {
      expect(await verify(alg, new Uint8Array(32), new Uint8Array(1), new Uint8Array(64))).toBe('unsupported');
    }
  });
});

// The same rules and outcomes with either signature primitive: WebCrypto (browsers; Ed448 and
// old browsers' Ed25519 through @noble/curves) and node:crypto (the Node entry points).
describe.each([
  ['webcrypto', webCryptoBackend],
  ['node:crypto', nodeCryptoBackend],
] as const)('%s', (_name, backend) => {
  const check = (alg: number, key: Uint8Array, data: Uint8Array, sig: Uint8Array) => verify(alg, key, data, sig, backend);

  describe('published signature vectors', () => {
    it.each(SIG_VECTORS.map((v) => [v.name, v] as const))('%s verifies', async (_n, v) => {
      const sig = rrsig(v.sig.owner, v.sig);
      const data = signedData(sig, v.rrset);
      expect(await check(v.key.algorithm, b64(v.key.key), data, sig.data.signature)).toBe('valid');
      expect(await check(v.key.algorithm, b64(v.key.key), flip(data), sig.data.signature)).toBe('invalid');
      expect(await check(v.key.algorithm, b64(v.key.key), data, flip(sig.data.signature, 5))).toBe('invalid');
    });

    it('RFC 8080 signatures re-derive from the published private keys (EdDSA is deterministic)', () => {
      for (const v of SIG_VECTORS.filter((x) => x.key.algorithm >= 15)) {
        const data = signedData(rrsig(v.sig.owner, v.sig), v.rrset);
        const seed = b64(RFC8080_PRIVATE[v.key.keyTag]);
        const curve = v.key.algorithm === 15 ? ed25519 : ed448;
        expect(toBase64(curve.getPublicKey(seed))).toBe(v.key.key);
        expect(toBase64(curve.sign(data, seed))).toBe(v.sig.signature);
      }
    });

    it('the 512-bit RFC 5702 key is refused for RSASHA512 (RFC 5702 §2.2: 1024 bits minimum)', async () => {
      const v = SIG_VECTORS[0];
      const sig = rrsig(v.sig.owner, v.sig);
      expect(await check(10, b64(v.key.key), signedData(sig, v.rrset), sig.data.signature)).toBe('bad-key');
    });
  });

  describe('sign-then-verify round trips with fresh keys', () => {
    const data = enc.encode('RRSIG RDATA | RR(1) | RR(2) …');

    it.each([
      [5, 1024, 'SHA-1'],
      [7, 1024, 'SHA-1'],
      [8, 1024, 'SHA-256'],
      [8, 2048, 'SHA-256'],
      [10, 1024, 'SHA-512'],
      [10, 2048, 'SHA-512'],
    ] as const)('RSA algorithm %i, %i bits', async (alg, bits, hash) => {
      const pair = await rsaPair(bits, hash);
      const key = await rsaDnskey(pair.publicKey);
      const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, data));
      expect(await check(alg, key, data, sig)).toBe('valid');
      expect(await check(alg, key, flip(data), sig)).toBe('invalid');
      expect(await check(alg, key, data, flip(sig))).toBe('invalid');
      expect(await check(alg, key, data, sig.subarray(1))).toBe('invalid');
      // Truncated modulus: a different (even or too small) key → bad-key or invalid, never valid.
      expect(['bad-key', 'invalid']).toContain(await check(alg, key.subarray(0, key.length - 1), data, sig));
      expect(await check(alg, key.subarray(0, 4), data, sig)).toBe('bad-key');
      // Wrong hash for the algorithm number.
      const other = alg === 8 ? 10 : 8;
      expect(await check(other, key, data, sig)).toBe('invalid');
    }, 60_000);

    it('RSA with the 3-octet exponent length form (RFC 3110 §2)', async () => {
      const pair = await rsaPair(1024, 'SHA-256');
      const short = await rsaDnskey(pair.publicKey);
      const e = short.subarray(1, 1 + short[0]);
      const n = short.subarray(1 + short[0]);
      const long = concatBytes(Uint8Array.of(0, 0, e.length), e, n);
      const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, data));
      expect(await check(8, long, data, sig)).toBe('valid');
    });

    it('RSA key parsing limits', () => {
      const n = new Uint8Array(128).fill(0xff); // 1024-bit odd modulus
      expect(parseRsaKey(concatBytes(Uint8Array.of(3, 1, 0, 1), n), 1024)).not.toBeNull();
      expect(parseRsaKey(concatBytes(Uint8Array.of(3, 1, 0, 1), n.subarray(64)), 1024)).toBeNull(); // 512 < 1024
      expect(parseRsaKey(concatBytes(Uint8Array.of(3, 1, 0, 1), new Uint8Array(513).fill(0xff)), 512)).toBeNull(); // > 4096 bits
      expect(parseRsaKey(concatBytes(Uint8Array.of(3, 1, 0, 2), n), 512)).toBeNull(); // even exponent
      expect(parseRsaKey(concatBytes(Uint8Array.of(1, 1), n), 512)).toBeNull(); // e = 1
      expect(parseRsaKey(concatBytes(Uint8Array.of(9), new Uint8Array(9).fill(1), n), 512)).toBeNull(); // 72-bit exponent
      expect(parseRsaKey(Uint8Array.of(0), 512)).toBeNull();
      expect(parseRsaKey(Uint8Array.of(0, 0, 0, 1), 512)).toBeNull();
      expect(parseRsaKey(Uint8Array.of(3, 1, 0, 1), 512)).toBeNull(); // no modulus
      expect(parseRsaKey(new Uint8Array(0), 512)).toBeNull();
    });

    it.each([
      [13, 'P-256', 'SHA-256', 64],
      [14, 'P-384', 'SHA-384', 96],
    ] as const)('ECDSA algorithm %i (%s)', async (alg, curve, hash, keyLen) => {
      const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const key = raw.subarray(1); // RFC 6605 §4: X | Y without the 0x04 prefix
      expect(key.length).toBe(keyLen);
      const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash }, pair.privateKey, data));
      expect(await check(alg, key, data, sig)).toBe('valid');
      expect(await check(alg, key, flip(data), sig)).toBe('invalid');
      expect(await check(alg, key, data, flip(sig))).toBe('invalid');
      expect(await check(alg, key, data, sig.subarray(1))).toBe('invalid');
      expect(await check(alg, key.subarray(1), data, sig)).toBe('bad-key'); // truncated
      expect(await check(alg, flip(key), data, sig)).toBe('bad-key'); // not on the curve
      expect(await check(alg === 13 ? 14 : 13, key, data, sig)).toBe('bad-key'); // wrong size for the other curve
    });

    it('Ed25519 (algorithm 15)', async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const key = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, data));
      expect(await check(15, key, data, sig)).toBe('valid');
      expect(await check(15, key, flip(data), sig)).toBe('invalid');
      expect(await check(15, key, data, flip(sig))).toBe('invalid');
      expect(await check(15, key, data, sig.subarray(1))).toBe('invalid');
      expect(await check(15, key.subarray(1), data, sig)).toBe('bad-key');
    });

    it('Ed448 (algorithm 16)', async () => {
      const { secretKey, publicKey } = ed448.keygen();
      const sig = ed448.sign(data, secretKey);
      expect(await check(16, publicKey, data, sig)).toBe('valid');
      expect(await check(16, publicKey, flip(data), sig)).toBe('invalid');
      expect(await check(16, publicKey, data, flip(sig))).toBe('invalid');
      expect(await check(16, publicKey, data, sig.subarray(1))).toBe('invalid');
      expect(await check(16, publicKey.subarray(1), data, sig)).toBe('bad-key');
    });

    it('never throws on garbage', async () => {
      for (const alg of [5, 7, 8, 10, 13, 14, 15, 16]) {
        for (const key of [new Uint8Array(0), Uint8Array.of(0), new Uint8Array(57).fill(0xff), new Uint8Array(600).fill(7)]) {
          const out = await check(alg, key, new Uint8Array(0), new Uint8Array(0));
          expect(['bad-key', 'invalid']).toContain(out);
        }
      }
    });
  });
});

describe('key cache and Ed25519 fallback', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
    clearKeyCache();
  });

  it('imports a key once and reuses it', async () => {
    clearKeyCache();
    const spy = vi.spyOn(crypto.subtle, 'importKey');
    const v = SIG_VECTORS.find((x) => x.key.algorithm === 13)!;
    const sig = rrsig(v.sig.owner, v.sig);
    const data = signedData(sig, v.rrset);
    for (let i = 0; i < 3; i++) expect(await verify(13, b64(v.key.key), data, sig.data.signature)).toBe('valid');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('falls back to @noble/curves when WebCrypto has no Ed25519 (NotSupportedError)', async () => {
    vi.resetModules();
    const real = crypto.subtle.importKey.bind(crypto.subtle);
    const importSpy = vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((...args: Parameters<SubtleCrypto['importKey']>) => {
      const alg = args[2];
      if (typeof alg === 'object' && alg.name === 'Ed25519') return Promise.reject(new DOMException('no Ed25519', 'NotSupportedError'));
      return real(...args);
    }) as SubtleCrypto['importKey']);
    const verifySpy = vi.spyOn(crypto.subtle, 'verify');
    const fresh = await import('./algorithms');
    for (const v of SIG_VECTORS.filter((x) => x.key.algorithm === 15)) {
      const sig = rrsig(v.sig.owner, v.sig);
      const data = signedData(sig, v.rrset);
      expect(await fresh.verify(15, b64(v.key.key), data, sig.data.signature)).toBe('valid');
      expect(await fresh.verify(15, b64(v.key.key), flip(data), sig.data.signature)).toBe('invalid');
    }
    expect(importSpy).toHaveBeenCalledTimes(1); // probed once, then remembered
    expect(verifySpy).not.toHaveBeenCalled();
  });
});
