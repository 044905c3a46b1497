/**
 * Certificates for DANE (RFC 6698): our X.509 reader (./x509.ts), hashes and signature checks
 * (./signature.ts) through WebCrypto. Pure TypeScript: the only platform API used is
 * `crypto.subtle` (available in an MV3 service worker and in Node 20).
 *
 * Nothing here throws for malformed input: unparseable DER gives `null`.
 */
import { toHex, webCryptoBytes } from '../util/encoding';
import { verifyCertificateSignature } from './signature';
import { readCertificate, readSubjectPublicKeyInfo, type SubjectKey, type X509Fields } from './x509';

export type { SubjectKey } from './x509';

/** Human-readable summary of one certificate (for the UI and for mismatch reports). */
export interface CertInfo {
  subject: string;
  issuer: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex: the data of a "x 1 1" TLSA record. */
  spkiSha256: string;
  /** SHA-256 of the whole certificate DER, hex: the data of a "x 0 1" TLSA record. */
  certSha256: string;
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  /** subjectAltName dNSName entries, as in the certificate (RFC 5280 §4.2.1.6). */
  dnsNames: string[];
}

/** A parsed certificate with what the matcher needs. Internal to `src/core/dane/`. */
export interface ParsedCert {
  /** The DER exactly as presented: TLSA selector 0 (Cert) covers these bytes (RFC 6698 §2.1.2). */
  der: Uint8Array;
  /**
   * What was read from it (./x509.ts): names (the subject's commonNames are SMTP's fallback
   * CN-IDs, RFC 7672 §3.2.3), key (`publicKey.der`: TLSA selector 1, RFC 6698 §2.1.2), validity,
   * extensions, the signed part.
   */
  x509: X509Fields;
  info: CertInfo;
}

/** basicConstraints cA (RFC 5280 §4.2.1.9); null when the extension is absent. */
export function caFlag(c: ParsedCert): boolean | null {
  const bc = c.x509.basicConstraints;
  return bc ? bc.ca : null;
}

/** basicConstraints pathLenConstraint (RFC 5280 §4.2.1.9), when present. */
export function pathLimit(c: ParsedCert): number | undefined {
  return c.x509.basicConstraints?.pathLength;
}

/** Copy into a fresh, exactly-sized ArrayBuffer-backed array (also detaches us from caller views). */
export function copyBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

export async function sha256(b: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', webCryptoBytes(b)));
}

export async function sha512(b: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-512', webCryptoBytes(b)));
}

function isoOrEmpty(d: Date): string {
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}

/**
 * Parsed certificates by content, most recently used last: a site's chain comes back on every
 * visit and every comparison (matcher, leaf summary, generator), and X.509 parsing costs
 * milliseconds per certificate. Read-only results; at most CERT_CACHE_SIZE kept.
 */
const CERT_CACHE_SIZE = 64;
/** Larger certificates (real ones are 1–3 KB) are parsed every time: 64 hostile 1 MB chains kept as keys would hold ~128 MB. */
const CERT_CACHE_MAX_BYTES = 16_384;
const parsedCerts = new Map<string, Promise<ParsedCert | null>>();

/** For tests and benchmarks: forget parsed certificates (and with them their imported keys). */
export function forgetParsedCertificates(): void {
  parsedCerts.clear();
}

/** Parse one DER certificate; null when it is not a well-formed X.509 certificate. */
export function loadCertificate(der: Uint8Array): Promise<ParsedCert | null> {
  if (!(der instanceof Uint8Array) || der.length === 0) return Promise.resolve(null);
  if (der.length > CERT_CACHE_MAX_BYTES) return parseCertificateDer(der);
  const key = toHex(der);
  let p = parsedCerts.get(key);
  if (p) parsedCerts.delete(key);
  else p = parseCertificateDer(der);
  parsedCerts.set(key, p);
  if (parsedCerts.size > CERT_CACHE_SIZE) parsedCerts.delete(parsedCerts.keys().next().value as string);
  return p;
}

async function parseCertificateDer(der: Uint8Array): Promise<ParsedCert | null> {
  const bytes = copyBytes(der);
  const read = readCertificate(bytes);
  if (!read.ok) return null;
  const x509 = read.value;
  const [spkiHash, certHash] = await Promise.all([sha256(x509.publicKey.der), sha256(bytes)]);
  return {
    der: bytes,
    x509,
    info: {
      subject: x509.subject.text,
      issuer: x509.issuer.text,
      spkiSha256: toHex(spkiHash),
      certSha256: toHex(certHash),
      notBefore: isoOrEmpty(x509.notBefore),
      notAfter: isoOrEmpty(x509.notAfter),
      dnsNames: x509.dnsNames,
    },
  };
}

/** Public summary of a DER certificate, or null when it cannot be parsed. Never throws. */
export async function parseCertificate(der: Uint8Array): Promise<CertInfo | null> {
  const c = await loadCertificate(der);
  return c ? c.info : null;
}

/** Parse a SubjectPublicKeyInfo DER (e.g. the data of a "2 1 0" TLSA record); null if malformed. */
export function parseSpki(spki: Uint8Array): SubjectKey | null {
  const read = readSubjectPublicKeyInfo(copyBytes(spki));
  return read.ok ? read.value : null;
}

/** Name chaining (RFC 5280 §6.1.3 (a)(4)): `child`'s issuer is `parent`'s subject (§7.1 matching). */
export function issuerNameMatches(child: ParsedCert, parent: ParsedCert): boolean {
  return child.x509.issuer.key === parent.x509.subject.key;
}

const EXTENSION_NAMES: Record<string, string> = { '2.5.29.36': 'policyConstraints', '2.5.29.54': 'inhibitAnyPolicy' };

/** Why `c` must be rejected on a chain (RFC 5280 §4.2: a critical extension not processed here), or null. */
function unhandledCriticalNote(c: ParsedCert): string | null {
  const u = c.x509.unhandledCritical;
  if (u.length === 0) return null;
  return `it carries critical extension${u.length > 1 ? 's' : ''} this checker does not process: ${u.map((o) => (EXTENSION_NAMES[o] ? `${EXTENSION_NAMES[o]} (${o})` : o)).join(', ')} (RFC 5280 §4.2)`;
}

/** id-kp-serverAuth and anyExtendedKeyUsage (RFC 5280 §4.2.1.12). */
const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const EKU_ANY = '2.5.29.37.0';

/**
 * Why `c` may not stand on a TLS server's chain by its extendedKeyUsage, or null: RFC 5280
 * §4.2.1.12 limits a certificate to the purposes listed; a TLS server's needs serverAuth (or any).
 * As OpenSSL's "sslserver" purpose, which TLS clients (and Postfix) check, on CA certificates too.
 */
function notForTlsServersNote(c: ParsedCert): string | null {
  const eku = c.x509.extKeyUsage;
  if (eku === null || eku.includes(EKU_SERVER_AUTH) || eku.includes(EKU_ANY)) return null;
  return 'its extendedKeyUsage does not include serverAuth (RFC 5280 §4.2.1.12)';
}

/**
 * Why `c` cannot stand on a TLS server's chain processed as RFC 5280 §6.1 (DANE-TA, RFC 7671
 * §5.2), whatever its place: an extendedKeyUsage without serverAuth, a critical extension we do
 * not process. Null when it can.
 */
export function notOnTlsChainNote(c: ParsedCert): string | null {
  return notForTlsServersNote(c) ?? unhandledCriticalNote(c);
}

/** Why `c` cannot issue the certificate below it on such a chain (its keyUsage, or the above), or null. */
export function cannotIssueNote(c: ParsedCert): string | null {
  // RFC 5280 §4.2.1.3: with keyUsage present, only a keyCertSign key verifies certificate signatures (§6.1.4 (n)).
  if (c.x509.keyCertSign === false) return 'its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3)';
  return notOnTlsChainNote(c);
}

/** Self-issued (RFC 5280 §6.1): issuer and subject are the same name. */
export function selfIssued(c: ParsedCert): boolean {
  return issuerNameMatches(c, c);
}

/**
 * True when `child`'s signature verifies under `issuerKey` (signature only: no dates, no
 * names). Any failure (unsupported algorithm, malformed key, refused by WebCrypto) is `false`.
 */
export function signedBy(child: ParsedCert, issuerKey: SubjectKey): Promise<boolean> {
  return verifyCertificateSignature(child.x509, issuerKey);
}

/** RFC 5280 §4.1.2.5: `now` within [notBefore, notAfter]. */
export function validAt(c: ParsedCert, now: Date): boolean {
  const t = now.getTime();
  return c.x509.notBefore.getTime() <= t && t <= c.x509.notAfter.getTime();
}
