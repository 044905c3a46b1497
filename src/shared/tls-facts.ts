/**
 * TLS facts of a page's connection, from what Firefox's `webRequest.getSecurityInfo` reports
 * (issue #9): protocol version (warn below TLS 1.2, RFC 8996 deprecates 1.0 and 1.1), cipher
 * suite, key exchange, HSTS, OCSP and Certificate Transparency status where given. Pure: takes
 * the SecurityInfo object as plain data, so it is unit-tested without a browser.
 */

/** The subset of Firefox's SecurityInfo read here (all optional: versions differ). */
export interface SecurityInfoLike {
  state?: string;
  protocolVersion?: string;
  cipherSuite?: string;
  keaGroupName?: string;
  signatureSchemeName?: string;
  secretKeyLength?: number;
  hsts?: boolean;
  usedOcsp?: boolean;
  usedEch?: boolean;
  certificateTransparencyStatus?: string;
  weaknessReasons?: string[];
}

export type CtStatus = 'compliant' | 'not-enough-scts' | 'not-diverse-scts' | 'not-applicable';
export type TlsState = 'secure' | 'weak' | 'broken' | 'insecure' | 'unknown';
export type TlsWarning = 'old-version' | 'weak' | 'broken' | 'no-hsts' | 'ct';

/** What the popup shows about the TLS connection (plain JSON). */
export interface TlsFacts {
  state: TlsState;
  /** "TLS 1.3" etc.; null when not reported. */
  version: string | null;
  cipherSuite: string | null;
  keyExchange: string | null;
  signatureScheme: string | null;
  secretKeyBits: number | null;
  hsts: boolean | null;
  /** Did the browser check the certificate's revocation status by OCSP? */
  ocsp: boolean | null;
  ct: CtStatus | null;
  ech: boolean | null;
  weaknessReasons: string[];
  warnings: TlsWarning[];
}

const VERSIONS: Record<string, { label: string; rank: number }> = {
  SSLv3: { label: 'SSL 3.0', rank: 0 },
  TLSv1: { label: 'TLS 1.0', rank: 1 },
  'TLSv1.1': { label: 'TLS 1.1', rank: 2 },
  'TLSv1.2': { label: 'TLS 1.2', rank: 3 },
  'TLSv1.3': { label: 'TLS 1.3', rank: 4 },
};

const CT: Record<string, CtStatus> = {
  policy_compliant: 'compliant',
  policy_not_enough_scts: 'not-enough-scts',
  policy_not_diverse_scts: 'not-diverse-scts',
  not_applicable: 'not-applicable',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== 'unknown' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** True for a protocol below TLS 1.2 (SSL 3.0, TLS 1.0, TLS 1.1; RFC 8996). */
export function isOldTls(protocolVersion: string | null | undefined): boolean {
  const v = protocolVersion ? VERSIONS[protocolVersion] : undefined;
  return v !== undefined && v.rank < VERSIONS['TLSv1.2'].rank;
}

export function tlsFactsFrom(info: SecurityInfoLike | null | undefined): TlsFacts {
  const i = info ?? {};
  const raw = str(i.protocolVersion);
  const state: TlsState = i.state === 'secure' || i.state === 'weak' || i.state === 'broken' || i.state === 'insecure' ? i.state : 'unknown';
  const ct = str(i.certificateTransparencyStatus);
  const facts: TlsFacts = {
    state,
    version: raw ? (VERSIONS[raw]?.label ?? raw) : null,
    cipherSuite: str(i.cipherSuite),
    keyExchange: str(i.keaGroupName),
    signatureScheme: str(i.signatureSchemeName),
    secretKeyBits: typeof i.secretKeyLength === 'number' && i.secretKeyLength > 0 ? i.secretKeyLength : null,
    hsts: bool(i.hsts),
    ocsp: bool(i.usedOcsp),
    ct: ct ? (CT[ct] ?? null) : null,
    ech: bool(i.usedEch),
    weaknessReasons: Array.isArray(i.weaknessReasons) ? i.weaknessReasons.filter((w): w is string => typeof w === 'string') : [],
    warnings: [],
  };
  if (isOldTls(raw)) facts.warnings.push('old-version');
  if (state === 'weak') facts.warnings.push('weak');
  if (state === 'broken' || state === 'insecure') facts.warnings.push('broken');
  if (facts.hsts === false) facts.warnings.push('no-hsts');
  if (facts.ct === 'not-enough-scts' || facts.ct === 'not-diverse-scts') facts.warnings.push('ct');
  return facts;
}
