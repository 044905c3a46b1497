/**
 * The DNSSEC signature primitive on node:crypto, for the Node entry points (the `check` CLI and
 * its batch, the native helper, benches). The DNSSEC rules (algorithms, key and signature layouts
 * and sizes) stay in src/core/dnssec/algorithms.ts; this only imports keys those rules accepted
 * and verifies. Same OpenSSL as Node's WebCrypto, without its per-operation cost: WebCrypto in
 * Node runs each importKey and verify as an asynchronous job on the thread pool behind WebIDL
 * argument conversion; node:crypto's `verify` is one synchronous call (bench/cpu.ts), and Ed448
 * is native instead of @noble/curves' JavaScript.
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { PublicKeyParts, SignatureBackend } from '../core/dnssec/algorithms';
import { toBase64Url } from '../core/util/encoding';

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

export const nodeCryptoBackend: SignatureBackend = {
  name: 'node:crypto',
  importKey(parts: PublicKeyParts): KeyObject {
    switch (parts.kind) {
      case 'rsa':
        // JWK (RFC 7518 §6.3.1): n and e unsigned big-endian, base64url.
        return createPublicKey({ key: { kty: 'RSA', n: toBase64Url(parts.n), e: toBase64Url(parts.e) }, format: 'jwk' });
      case 'ecdsa': {
        // RFC 6605 §4: X | Y; OpenSSL refuses a point not on the curve.
        const half = parts.point.length / 2;
        const jwk = { kty: 'EC', crv: parts.curve, x: toBase64Url(parts.point.subarray(0, half)), y: toBase64Url(parts.point.subarray(half)) };
        return createPublicKey({ key: jwk, format: 'jwk' });
      }
      case 'eddsa':
        // RFC 8037 §2 OKP key; OpenSSL decodes the point at verification.
        return createPublicKey({ key: { kty: 'OKP', crv: parts.curve, x: toBase64Url(parts.key) }, format: 'jwk' });
    }
  },
  verify(key: unknown, parts: PublicKeyParts, signature: Uint8Array, data: Uint8Array): boolean {
    const k = key as KeyObject;
    switch (parts.kind) {
      case 'rsa':
        return nodeVerify(NODE_HASH[parts.hash], data, k, signature);
      case 'ecdsa':
        // RFC 6605 §4: r | s (IEEE P1363), not DER.
        return nodeVerify(NODE_HASH[parts.hash], data, { key: k, dsaEncoding: 'ieee-p1363' }, signature);
      case 'eddsa':
        return nodeVerify(null, data, k, signature);
    }
  },
};
