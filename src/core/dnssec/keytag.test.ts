import { describe, expect, it } from 'vitest';
import { keyTag } from './keytag';
import { dnskey, RFC4034_DSKEY, ROOT_KSKS, SIG_VECTORS } from './fixtures/vectors';

describe('keyTag (RFC 4034 Appendix B)', () => {
  it('RFC 4034 §5.4 dskey.example.com. → 60485', () => {
    const k = dnskey(RFC4034_DSKEY.owner, RFC4034_DSKEY.flags, RFC4034_DSKEY.algorithm, RFC4034_DSKEY.key);
    expect(keyTag(k.rdata)).toBe(60485);
  });

  it.each(ROOT_KSKS.map((k) => [k.label, k] as const))('root %s', (_label, k) => {
    expect(keyTag(dnskey('.', 257, 8, k.key).rdata)).toBe(k.keyTag);
  });

  it.each(SIG_VECTORS.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    expect(keyTag(dnskey(v.zone, v.key.flags, v.key.algorithm, v.key.key).rdata)).toBe(v.key.keyTag);
  });

  it('the REVOKE bit changes the tag (RFC 5011 §3: tag computed with the bit set)', () => {
    const k = ROOT_KSKS[0];
    const revoked = keyTag(dnskey('.', 257 | 0x80, 8, k.key).rdata);
    expect(revoked).not.toBe(k.keyTag);
    expect(revoked).toBe((k.keyTag + 0x80) & 0xffff); // flags are the first word of the checksum
  });

  it('algorithm 1 (RSA/MD5) uses the modulus octets (RFC 4034 Appendix B.1)', () => {
    // flags 256, protocol 3, algorithm 1, exponent length 1, exponent 3, modulus …0x12 0x34 0x56
    const rdata = Uint8Array.of(0x01, 0x00, 0x03, 0x01, 0x01, 0x03, 0xaa, 0xbb, 0x12, 0x34, 0x56);
    expect(keyTag(rdata)).toBe(0x1234);
    // The same bytes under algorithm 5 use the checksum.
    const alg5 = rdata.slice();
    alg5[3] = 5;
    expect(keyTag(alg5)).not.toBe(0x1234);
  });

  it('handles an odd length and the carry fold', () => {
    // Single octet 0xff → word 0xff00.
    expect(keyTag(Uint8Array.of(0xff))).toBe(0xff00);
    // Two words 0xffff + 0x0002 = 0x10001 → 0x0001 + carry 1 = 0x0002.
    expect(keyTag(Uint8Array.of(0xff, 0xff, 0x00, 0x02))).toBe(0x0002);
    expect(keyTag(new Uint8Array(0))).toBe(0);
  });

  it('is bounded for the largest possible RDATA (65535 octets of 0xff)', () => {
    const big = new Uint8Array(65535).fill(0xff);
    const t = keyTag(big);
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThanOrEqual(0xffff);
  });
});
