/**
 * DNSKEY key tag (RFC 4034 Appendix B).
 *
 * The key tag is a 16-bit checksum over the DNSKEY RDATA in wire form (flags, protocol,
 * algorithm, public key). It only narrows the search for a key: several keys may share a tag
 * (RFC 4034 §5.3 / Appendix B: "key tags are not unique"), which the signature code bounds
 * with LIMITS.maxKeysPerSignature (KeyTrap, CVE-2023-50387).
 */

/** Algorithm number of RSA/MD5 (RFC 4034 Appendix A.1), whose key tag is computed differently. */
const RSAMD5 = 1;

/**
 * Key tag of a DNSKEY (or CDNSKEY) RDATA in wire form.
 *
 * - Algorithm 1 (RSA/MD5): RFC 4034 Appendix B.1 — the most significant 16 bits of the least
 *   significant 24 bits of the public key modulus, i.e. the third- and second-to-last octets
 *   of the RDATA (the modulus ends the RSA/MD5 public key, RFC 3110 §2 / RFC 2537 §2).
 * - Every other algorithm: RFC 4034 Appendix B — the one's-complement-like sum of the RDATA
 *   taken as big-endian 16-bit words (an odd trailing octet is the high byte of a last word),
 *   with the carry folded in once, truncated to 16 bits.
 *
 * RDATA shorter than the 4-octet DNSKEY header yields the checksum of what is there; such a
 * key never verifies anything anyway.
 */
export function keyTag(dnskeyRdata: Uint8Array): number {
  const len = dnskeyRdata.length;
  // RFC 4034 Appendix B.1: the algorithm octet is RDATA[3].
  if (len >= 4 && dnskeyRdata[3] === RSAMD5) {
    if (len < 7) return 0; // no room for a modulus: RFC 4034 B.1 is undefined, 0 never matches usefully
    return ((dnskeyRdata[len - 3] << 8) | dnskeyRdata[len - 2]) & 0xffff;
  }
  // RFC 4034 Appendix B: ac += (i & 1) ? key[i] : key[i] << 8; ac += (ac >> 16) & 0xFFFF; return ac & 0xFFFF.
  // The sum of at most 32768 words of 16 bits fits easily in a double-precision integer.
  let ac = 0;
  for (let i = 0; i < len; i++) {
    ac += i & 1 ? dnskeyRdata[i] : dnskeyRdata[i] << 8;
  }
  ac += Math.floor(ac / 0x10000) & 0xffff;
  return ac & 0xffff;
}
