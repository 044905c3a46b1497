/**
 * Certificate signatures (./signature.ts) for every key and signature algorithm it accepts, on
 * certificates openssl signs here, against Node's (OpenSSL's) own check: a good signature
 * verifies, a changed certificate, a changed signature or another key does not.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCertificate, signedBy, type ParsedCert } from './cert';
import { cleanUp, makeCert, type Digest, type KeyKind, type Made } from '../../../test/support/openssl-certs';

afterAll(cleanUp);

interface Case {
  name: string;
  key: KeyKind;
  digest?: Digest;
  pssSalt?: number;
}

const CASES: Case[] = [
  { name: 'RSA PKCS#1 v1.5 SHA-1', key: 'rsa', digest: 'sha1' },
  { name: 'RSA PKCS#1 v1.5 SHA-256', key: 'rsa', digest: 'sha256' },
  { name: 'RSA PKCS#1 v1.5 SHA-384', key: 'rsa', digest: 'sha384' },
  { name: 'RSA PKCS#1 v1.5 SHA-512', key: 'rsa', digest: 'sha512' },
  { name: 'RSASSA-PSS SHA-256 salt 32, rsaEncryption key', key: 'rsa', digest: 'sha256', pssSalt: 32 },
  { name: 'RSASSA-PSS SHA-384 salt 0, rsaEncryption key', key: 'rsa', digest: 'sha384', pssSalt: 0 },
  { name: 'RSASSA-PSS SHA-256, id-RSASSA-PSS key', key: 'rsa-pss', digest: 'sha256', pssSalt: 32 },
  { name: 'ECDSA P-256 SHA-256', key: 'p256', digest: 'sha256' },
  { name: 'ECDSA P-256 SHA-384', key: 'p256', digest: 'sha384' },
  { name: 'ECDSA P-384 SHA-384', key: 'p384', digest: 'sha384' },
  { name: 'ECDSA P-384 SHA-256', key: 'p384', digest: 'sha256' },
  { name: 'ECDSA P-521 SHA-512', key: 'p521', digest: 'sha512' },
  { name: 'ECDSA P-256 SHA-1', key: 'p256', digest: 'sha1' },
  { name: 'Ed25519', key: 'ed25519' },
  { name: 'Ed448', key: 'ed448' },
];

async function parse(m: Made): Promise<ParsedCert> {
  const c = await loadCertificate(m.der);
  if (!c) throw new Error('openssl made a certificate we cannot read');
  return c;
}

/** A copy of `der` with one byte at `at` changed. */
function flip(der: Uint8Array, at: number): Uint8Array {
  const m = der.slice();
  m[at] ^= 0x01;
  return m;
}

describe.each(CASES)('$name', (c) => {
  const ca = makeCert({ subject: `/CN=${c.name} CA`, key: c.key, ca: true, digest: c.digest, pssSalt: c.pssSalt });
  const other = makeCert({ subject: `/CN=${c.name} CA`, key: c.key, keySlot: 1, ca: true, digest: c.digest, pssSalt: c.pssSalt });
  const leaf = makeCert({ subject: '/CN=leaf.example.test', key: 'p256', keySlot: 9, issuer: ca, san: ['leaf.example.test'], digest: c.digest, pssSalt: c.pssSalt });

  it('verifies as OpenSSL does: the issuer key yes, another key of the same kind no', async () => {
    const [caP, otherP, leafP] = await Promise.all([parse(ca), parse(other), parse(leaf)]);
    const node = new X509Certificate(Buffer.from(leaf.der));
    expect(node.verify(new X509Certificate(Buffer.from(ca.der)).publicKey)).toBe(true);
    expect(await signedBy(leafP, caP.x509.publicKey)).toBe(true);
    expect(node.verify(new X509Certificate(Buffer.from(other.der)).publicKey)).toBe(false);
    expect(await signedBy(leafP, otherP.x509.publicKey)).toBe(false);
    // self-signed CA certificates: their own key
    expect(await signedBy(caP, caP.x509.publicKey)).toBe(true);
  });

  it('a changed signed part or signature does not verify', async () => {
    const caP = await parse(ca);
    const leafP = await parse(leaf);
    // a byte inside the subject's public key (in tbsCertificate), and the signature's last byte
    const inTbs = leaf.der.length - leafP.x509.signature.length - 40;
    const tampered = [flip(leaf.der, inTbs), flip(leaf.der, leaf.der.length - 1)];
    for (const der of tampered) {
      const t = await loadCertificate(der);
      if (t === null) continue; // no longer a certificate at all: nothing to verify
      expect(await signedBy(t, caP.x509.publicKey)).toBe(false);
    }
  });
});

describe('what does not verify', () => {
  it('a key of another kind than the signature (an EC key for an RSA signature)', async () => {
    const rsaCa = await parse(makeCert({ subject: '/CN=RSA CA', key: 'rsa', ca: true, digest: 'sha256' }));
    const ecCa = await parse(makeCert({ subject: '/CN=EC CA', key: 'p256', ca: true, digest: 'sha256' }));
    expect(await signedBy(rsaCa, ecCa.x509.publicKey)).toBe(false);
    expect(await signedBy(ecCa, rsaCa.x509.publicKey)).toBe(false);
  });

  it('signatureAlgorithm different from tbsCertificate.signature (RFC 5280 §4.1.1.2)', async () => {
    const ca = await parse(makeCert({ subject: '/CN=Mismatch CA', key: 'p256', ca: true, digest: 'sha256' }));
    expect(await signedBy(ca, ca.x509.publicKey)).toBe(true);
    const mismatched = { ...ca, x509: { ...ca.x509, tbsSignatureAlgorithm: { oid: '1.2.840.10045.4.3.3', params: null } } };
    expect(await signedBy(mismatched, ca.x509.publicKey)).toBe(false);
  });

  it('an unknown signature algorithm', async () => {
    const ca = await parse(makeCert({ subject: '/CN=Unknown CA', key: 'p256', ca: true, digest: 'sha256' }));
    const unknown = { oid: '1.2.3.4', params: null };
    expect(await signedBy({ ...ca, x509: { ...ca.x509, signatureAlgorithm: unknown, tbsSignatureAlgorithm: unknown } }, ca.x509.publicKey)).toBe(false);
  });
});
