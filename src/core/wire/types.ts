/**
 * Shared wire-level types of the core. Pure data, no browser or Node API.
 *
 * Names: a `Name` is the absolute presentation form of a domain name with a trailing dot
 * ("www.example.test.", the root is "."). Case is preserved as received. Label bytes that are
 * not letters, digits, '-', '_' or '*' are escaped as "\DDD" (RFC 1035 §5.1), and '.' and '\'
 * inside a label as "\." and "\\", so the mapping between wire labels and `Name` is one to one.
 * Comparisons must go through the helpers in `name.ts` (canonical order, RFC 4034 §6.1).
 */
export type Name = string;

/** RR types used by the core (IANA DNS parameters). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  SSHFP: 44,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  CDS: 59,
  CDNSKEY: 60,
  SVCB: 64,
  HTTPS: 65,
  CAA: 257,
  ANY: 255,
} as const;
export type RRTypeName = keyof typeof RRType;

export const RRClass = { IN: 1 } as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** Parsed RDATA, one variant per type the core understands; anything else is `UnknownData`. */
export interface AData { kind: 'A'; address: string }
export interface AAAAData { kind: 'AAAA'; address: string }
/** NS, CNAME, DNAME, PTR: a single target name. */
export interface NameData { kind: 'NS' | 'CNAME' | 'DNAME' | 'PTR'; target: Name }
export interface MXData { kind: 'MX'; preference: number; exchange: Name }
export interface TXTData { kind: 'TXT'; strings: Uint8Array[] }
export interface SOAData {
  kind: 'SOA';
  mname: Name;
  rname: Name;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
/** DS and CDS (RFC 4034 §5.1). */
export interface DSData { kind: 'DS'; keyTag: number; algorithm: number; digestType: number; digest: Uint8Array }
/** DNSKEY and CDNSKEY (RFC 4034 §2.1). */
export interface DNSKEYData { kind: 'DNSKEY'; flags: number; protocol: number; algorithm: number; publicKey: Uint8Array }
/** RRSIG (RFC 4034 §3.1). Times are seconds since the epoch as unsigned 32-bit serial numbers. */
export interface RRSIGData {
  kind: 'RRSIG';
  typeCovered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signerName: Name;
  signature: Uint8Array;
}
/** NSEC (RFC 4034 §4.1). `types` is the decoded type bitmap, sorted ascending. */
export interface NSECData { kind: 'NSEC'; nextName: Name; types: number[] }
/** NSEC3 (RFC 5155 §3.2). `nextHashed` is the raw hash (not base32). */
export interface NSEC3Data {
  kind: 'NSEC3';
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
  nextHashed: Uint8Array;
  types: number[];
}
export interface NSEC3PARAMData { kind: 'NSEC3PARAM'; hashAlgorithm: number; flags: number; iterations: number; salt: Uint8Array }
/** TLSA (RFC 6698 §2.1). */
export interface TLSAData { kind: 'TLSA'; usage: number; selector: number; matchingType: number; data: Uint8Array }
/** Everything else, shown as RFC 3597 "\# len hex". */
export interface UnknownData { kind: 'unknown'; bytes: Uint8Array }

export type RData =
  | AData
  | AAAAData
  | NameData
  | MXData
  | TXTData
  | SOAData
  | DSData
  | DNSKEYData
  | RRSIGData
  | NSECData
  | NSEC3Data
  | NSEC3PARAMData
  | TLSAData
  | UnknownData;

/**
 * One resource record as received.
 * `rdata` is the RDATA in uncompressed wire form: any compressed names inside it (only allowed
 * for the RFC 1035 types, RFC 3597 §4) are expanded, case preserved. Canonical form
 * (RFC 4034 §6.2, lowercasing names inside RDATA of the listed types) is derived from it by
 * `dnssec/canonical.ts`; it is never stored.
 */
export interface RR<T extends RData = RData> {
  name: Name;
  type: number;
  class: number;
  ttl: number;
  rdata: Uint8Array;
  data: T;
}

export interface Question { name: Name; type: number; class: number }

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number; // including the extended bits from OPT when present
}

export interface Edns { udpPayloadSize: number; version: number; dnssecOk: boolean; extendedRcode: number; options: { code: number; data: Uint8Array }[] }

export interface Message {
  header: Header;
  question: Question[];
  answer: RR[];
  authority: RR[];
  additional: RR[]; // without the OPT pseudo-RR
  edns: Edns | null;
}

/** Typed error for malformed wire data. Never thrown for valid input. */
export class WireError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireError';
  }
}
