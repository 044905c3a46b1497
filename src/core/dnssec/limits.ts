/**
 * Named limits of the validator, all in one place (KeyTrap CVE-2023-50387, NSEC3 CVE-2023-50868).
 * Every loop over attacker-controlled data is bounded by one of these.
 */
export const LIMITS = {
  /** RRSIGs tried per RRset before giving up (unbound: 8 per RRset with a suspend budget). */
  maxSignaturesPerRRset: 8,
  /** DNSKEYs with the same key tag/algorithm tried per signature (colliding key tags). */
  maxKeysPerSignature: 4,
  /** Total signature verifications (crypto operations) per verdict. */
  maxCryptoOpsPerVerdict: 64,
  /** DNSKEYs accepted in one zone's DNSKEY RRset. */
  maxKeysPerZone: 32,
  /** DS records considered per delegation. */
  maxDsPerZone: 16,
  /** Zone cuts walked from the trust anchor to the answer (RFC 1034 names have at most 127 labels). */
  maxChainDepth: 16,
  /** CNAME/DNAME links followed per lookup. */
  maxCnameChain: 8,
  /** NSEC3 iterations above which an answer is treated as insecure (RFC 9276 §3.2; unbound/BIND use 150). */
  maxNsec3Iterations: 150,
  /** NSEC3 hash computations per verdict. */
  maxNsec3HashesPerVerdict: 256,
  /** DoH queries sent per verdict. */
  maxQueriesPerVerdict: 48,
  /** Records accepted per section of one DNS message. */
  maxRecordsPerSection: 512,
  /** Largest DoH response body accepted (bytes): a DNS message is at most 65535 bytes. */
  maxResponseBytes: 65535,
  /** EDNS(0) UDP payload size advertised (RFC 6891 §6.2.5; DNS flag day 2020 value). */
  ednsUdpPayloadSize: 1232,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };
