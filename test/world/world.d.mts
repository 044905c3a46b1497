export interface CaseState {
  state: 'secure' | 'insecure' | 'bogus';
  result: 'data' | 'nodata' | 'nxdomain';
  /** Expected reason code of our validator (limits cases), when it matters. */
  reason?: string;
}
export interface TlsaSpec {
  usage: number;
  selector: number;
  matching: number;
  /** Whose certificate; the DANE hierarchy names are in lib/dane-pki.mjs (issue #20). */
  of: 'leaf' | 'ca' | 'other-ca' | 'retired' | DanePkiName;
}
/** Certificates of lib/dane-pki.mjs: intermediates, a DNS-only root, a cross-signed root. */
export type DanePkiName = 'ca-int' | 'dns-root' | 'dns-int' | 'cross-root' | 'cross-root-by-ca' | 'cross-int' | 'nc-int' | 'nc-out-int';
export interface CatalogueCase {
  id: string;
  category: string;
  host: string;
  port: number;
  tlsaName: string;
  addressTarget?: string;
  description: string;
  address: CaseState;
  tlsa: CaseState;
  dane: 'match' | 'mismatch' | 'no-tlsa' | 'insecure' | 'bogus' | 'not-applicable';
  site: boolean;
  ip?: string;
  cert?: {
    key: 'ec' | 'rsa' | 'ed25519';
    issuer: 'ca' | 'self' | 'ca-int' | 'dns-int' | 'cross-int';
    names?: string[];
    /** What the server sends after its leaf (default: the world CA for issuer ca, else nothing). */
    sends?: ('ca' | DanePkiName)[];
  };
  tlsaRecords?: TlsaSpec[];
  note?: string;
  /** Where a reference tool deliberately disagrees with the expected value: tool -> kind -> state/result. */
  referenceResults?: Record<string, { address?: Partial<CaseState>; tlsa?: Partial<CaseState>; why: string }>;
  /** What `openssl s_client -dane_tlsa_domain … -dane_tlsa_rrdata …` concludes (recorded, held to in world and CLI tests). */
  opensslDane?: 'match' | 'mismatch';
  /** The expectation is right but our validator does not meet it yet (test.fails in catalogue.test.ts). */
  knownCoreBug?: string;
}
export interface CatalogueZone {
  name: string;
  server: 'root' | 'tld' | 'sld';
  signed?: boolean;
  alg?: number;
  keys?: 'csk' | 'ksk+zsk';
  denial?: 'nsec' | 'nsec3';
  salt?: string;
  optOut?: boolean;
  ds?: 'with-stale' | 'wrong';
  dsDigests?: number[];
  validity?: 'expired' | 'future' | 'soon';
  edits?: { op: 'drop-rrsig' | 'corrupt-rrsig'; name: string; type: string }[];
  records: string[];
  bench?: { hosts: number; prefix: string; net: string };
  /** Resource-limit zones (limits.mjs): generated records, KeyTrap keys/signatures, NSEC3 iterations. */
  generate?: (
    | { kind: 'cname-chain'; prefix: string; links: number; address: string }
    | { kind: 'txt-flood' | 'tlsa-flood'; name: string; count: number; size: number }
  )[];
  keytrap?: { collidingKeys: number; sigsPerRRset: number };
  nsec3Iterations?: number;
}
/** One MX host of a mail case: its address and `_25._tcp` TLSA lookups (RFC 7672). */
export interface MailHostCase {
  host: string;
  preference: number;
  address: CaseState;
  /** The TLSA base used: `_25._tcp.<host>`, or at the CNAME-expanded name when that is secure. */
  tlsaName: string;
  tlsa: CaseState;
  dane: 'dane' | 'no-tlsa' | 'unusable' | 'not-applicable' | 'bogus';
}
/** A mail domain: its MX RRset and every MX host (issue #9). */
export interface MailCase {
  id: string;
  domain: string;
  description: string;
  mx: CaseState;
  summary: 'all' | 'some' | 'none' | 'not-applicable' | 'bogus' | 'no-mail';
  hosts: MailHostCase[];
}
export interface Catalogue {
  servers: Record<'root' | 'tld' | 'sld', string>;
  zones: CatalogueZone[];
  cases: CatalogueCase[];
  /** Mail domains (MX + `_25._tcp` TLSA), proven by mail.test.ts. */
  mail?: MailCase[];
  /** Mail servers on port 25 (issue #15), proven by smtp.test.ts. */
  smtp?: { servers: SmtpServerCase[]; services?: ServiceCase[] };
}
/** A STARTTLS service other than SMTP on port 25 (issue #15 part 2). */
export interface ServiceCase extends Omit<SmtpServerCase, 'domain' | 'serve'> {
  kind: 'xmpp-client' | 'imap' | 'pop3' | 'smtp-server';
  /** TLS from the first byte (465). */
  implicitTls?: boolean;
  port: number;
  /** XMPP: the service domain of the SRV record. */
  domain?: string;
  /** SRV owner prefix, e.g. "_xmpp-client._tcp". */
  srv?: string;
}
/** One mail server of the world (issue #15): `<id>.smtp.test MX 10 mx.<id>.smtp.test`. */
export interface SmtpServerCase {
  id: string;
  domain: string;
  host: string;
  description: string;
  /** 'smtp-server' (the npm library) or a script of mail-servers.mjs. */
  kind: string;
  hideStarttls?: boolean;
  ip?: string;
  ip6?: string;
  /** `cn`: the subject CN when it is not names[0]; `names: []`: no subjectAltName at all. */
  cert: { issuer: 'ca' | 'self'; names?: string[]; cn?: string };
  serve: 'leaf';
  tlsaRecords: { usage: number; selector: number; matching: number; of: 'leaf' | 'ca' | 'other-ca' | 'retired' | 'next' }[];
  /** What `check --mx --connect` says for the connection (and why, for the bad servers). */
  expect: { starttls?: 'offered' | 'not-offered' | 'refused'; dane: string; rollover?: 'ready' | 'not-ready' | 'not-applicable'; why?: string };
  /** What `openssl s_client -starttls smtp -dane_tlsa_domain <ref> -dane_tlsa_rrdata …` prints. */
  /** `why`: openssl disagrees with the catalogue, and why; `note`: how openssl arrives at the same verdict. */
  openssl?: { ref: 'host' | 'domain'; says: string[]; verdict: string; why?: string; note?: string }[];
}
export interface WorldSmtpServer {
  id: string;
  kind: string;
  port: number;
  host: string;
  domain: string;
  ip?: string;
  ip6?: string;
  /** The TLSA RRset as published, "u s m hex". */
  tlsa: string[];
  key: string;
  chain: string;
}
export interface WorldResolver {
  doh: string;
  dns: string;
  port: number;
  software: string;
}
export interface WorldSite {
  host: string;
  ip: string;
  port: number;
  case: string;
  tlsaName: string;
  tlsa: string[];
  cert: string;
  chain: string;
}
export interface World {
  version: number;
  runDir: string;
  catalogue: string;
  root: { ip: string; ns: string; hints: string };
  authoritative: { name: string; ip: string; port: number; zones: string[] }[];
  resolvers: { bind: WorldResolver; unbound: WorldResolver };
  front: {
    base: string;
    doh: string;
    delayDoh: string;
    upstream: 'bind' | 'unbound';
    viaDoh: { bind: string; unbound: string };
    stats: string;
    reset: string;
    log: string;
  };
  ca: string;
  otherCa: string;
  trustAnchor: { zone: string; json: string; bind: string; islands: string };
  unboundHostConf: string;
  sites: WorldSite[];
  smtp?: WorldSmtpServer[];
  zones: {
    name: string;
    server: string;
    ip: string;
    signed: boolean;
    algorithm?: number;
    denial?: string;
    nsec3?: { salt: string; iterations: number; optOut: boolean };
    keys?: { keyTag: number; flags: number; algorithm: number }[];
    unpublishedKeyTag?: number;
    validity?: string;
    file: string;
  }[];
  bench: { zone: string; hosts: number; pattern: string; tlsa: string };
  logs: Record<string, string>;
  startedAt: string;
  startupMs: number;
  sigInception: string;
  sigExpiration: string;
  /** Expiry of the zones signed with the short "soon" window, when there are any. */
  sigSoonExpiration?: string;
}
export const WORLD_DIR: string;
export const RUN_DIR: string;
export const WORLD_JSON: string;
export const CATALOGUE: string;
export function readCatalogue(): Catalogue;
export function readWorld(): World;
export function worldStatus(): Promise<{ running: boolean; reason?: string; world?: World }>;
export function startWorld(opts?: { fresh?: boolean; log?: (m: string) => void }): Promise<{ world: World; reused: boolean; ms: number }>;
export function stopWorld(opts?: { log?: (m: string) => void }): Promise<{ stopped: string[] }>;
