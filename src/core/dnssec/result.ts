import type { Name, RR } from '../wire/types';

/** Security states of RFC 4033 §5 / RFC 4035 §4.3, plus `indeterminate` for "could not tell". */
export type SecurityState = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

/** What the answer said, after classification (RFC 4035 §5, RFC 2308). */
export type AnswerClass = 'data' | 'nodata' | 'nxdomain';

/** Machine-readable reason codes. Each carries the rule it enforces in `Reason.rule`. */
export type ReasonCode =
  // transport / resolver
  | 'resolver-error'
  | 'resolver-rcode'
  | 'malformed-answer'
  | 'limit-exceeded'
  // trust anchors / chain
  | 'no-trust-anchor'
  | 'anchor-no-match'
  | 'ds-no-match'
  | 'no-dnskey'
  | 'dnskey-unsigned'
  | 'no-ds-proof'
  | 'unsupported-algorithm'
  | 'unsupported-digest'
  | 'negative-trust-anchor'
  // signatures
  | 'missing-rrsig'
  | 'signature-invalid'
  | 'signature-expired'
  | 'signature-not-yet-valid'
  | 'signer-mismatch'
  | 'labels-invalid'
  | 'no-matching-key'
  // denial of existence
  | 'denial-missing'
  | 'denial-invalid'
  | 'nsec3-iterations'
  | 'nsec3-optout'
  | 'wildcard-invalid'
  // classification
  | 'cname-loop'
  | 'cname-chain-too-long'
  | 'dname-invalid'
  | 'unexpected-answer'
  | 'insecure-delegation';

export interface Reason {
  code: ReasonCode;
  /** Human sentence (English; the UI translates by `code`). */
  message: string;
  /** RFC section of the rule, e.g. "RFC 4035 §5.3.1". */
  rule?: string;
  zone?: Name;
  name?: Name;
  type?: number;
  keyTag?: number;
  algorithm?: number;
}

/** One zone on the chain of trust, as used for a verdict. */
export interface ChainLink {
  zone: Name;
  state: SecurityState;
  /** DS records from the parent (or the anchor) that authenticated a key: "tag alg digestType". */
  ds: { keyTag: number; algorithm: number; digestType: number }[];
  /** DNSKEYs of the zone: key tag, algorithm, flags. */
  keys: { keyTag: number; algorithm: number; flags: number; sep: boolean }[];
  /** Earliest expiration (seconds since epoch) of the signatures used in this zone. */
  signatureExpiration?: number;
  /** Why the link is not secure. */
  reason?: Reason;
  /** True when the zone is a trust anchor itself. */
  anchor?: boolean;
}

/** Verdict of one lookup (name, type), following CNAME/DNAME links. */
export interface LookupResult {
  name: Name;
  type: number;
  state: SecurityState;
  result: AnswerClass;
  /** The final RRset (after CNAME expansion), empty for NODATA/NXDOMAIN. */
  records: RR[];
  /** CNAME/DNAME links followed, each with its own state. */
  links: { owner: Name; target: Name; type: 'CNAME' | 'DNAME'; state: SecurityState }[];
  /** Zones on the path (deduplicated, root first). */
  chain: ChainLink[];
  reason?: Reason;
  /**
   * The chain of causes for anything but secure, main reason first: the reasons of the CNAME/DNAME
   * links that were not secure and of the zones on the chain that were not (which link, which
   * zone, which rule). Empty when secure.
   */
  reasons?: Reason[];
  /** Wildcard used to synthesize the answer (RFC 4035 §5.3.4), if any. */
  wildcard?: Name;
  /** Seconds this verdict may be cached. */
  ttl: number;
}

/** Combine states in a sequence of links: any bogus → bogus, else indeterminate, else insecure, else secure. */
export function worstState(states: SecurityState[]): SecurityState {
  if (states.includes('bogus')) return 'bogus';
  if (states.includes('indeterminate')) return 'indeterminate';
  if (states.includes('insecure')) return 'insecure';
  return 'secure';
}
