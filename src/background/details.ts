/**
 * Turns what the background knows about one navigation (validated DNS facts, the connected
 * address, the certificate comparison) into the popup's `TabDetails` and the toolbar's
 * `DisplayState`. Pure: no browser API.
 */
import { addressMismatch, daneBeforeConnect, daneFromMatch, type DaneState } from '../core/check';
import type { CertInfo, DaneMatch, PkixVerdict } from '../core/dane/match';
import { splitUsable } from '../core/dane/usable';
import type { TLSAData } from '../core/wire/types';
import type { TlsaSuggestion } from '../core/dane/generate';
import type { TlsFacts } from '../shared/tls-facts';
import type { LookupSummary } from '../core/check';
import { displayStateFor, type CertComparison, type DisplayState } from '../shared/display-state';
import type { CertificateView, ChainLinkView, HelperProgress, LookupView, TabDetails } from '../shared/messages';
import type { HostCheck } from './engine';

/** What the browser told us about the TLS connection (Firefox's webRequest.getSecurityInfo). */
export interface TlsInfo {
  /** DER certificates as presented, leaf first. */
  certs: Uint8Array[];
  pkix: PkixVerdict;
  tlsVersion: string | null;
  hsts: boolean | null;
  /** Everything the popup shows about the connection (issue #9). */
  facts?: TlsFacts | null;
  /** Chrome: the chain came from the native helper's own connection to `address`. */
  source?: 'browser' | 'helper';
  address?: string | null;
  /** The helper: the chain Node's PKIX validated (leaf → trusted root), when it did. */
  validated?: Uint8Array[] | null;
}

/** The certificate comparison of one navigation, once done. */
export interface CertOutcome {
  match: DaneMatch;
  leaf: CertInfo | null;
  /** TLSA records for this chain, compared with the published ones (the generator). */
  suggestion?: TlsaSuggestion | null;
}

export interface NavigationFacts {
  check: HostCheck;
  https: boolean;
  /** The browser can show us the certificate (Firefox). */
  certApi: boolean;
  ip: string | null;
  tls: TlsInfo | null;
  /** The browser could not give the certificate (getSecurityInfo failed). */
  tlsError?: string | null;
  /** null while the comparison has not happened (or cannot). */
  cert: CertOutcome | null;
  /** Options: expiry warning period in days. */
  expiryWarningDays?: number;
  /** Chrome: the native helper for this navigation (null in Firefox). */
  helper?: HelperProgress | null;
  /** Why the page did not load, when it did not. */
  loadError?: string | null;
}

function lookupView(s: LookupSummary): LookupView {
  return {
    state: s.state,
    result: s.result,
    records: s.records,
    reasonCode: s.reasonCode ?? null,
    reason: s.reason ?? null,
  };
}

function comparisonOf(m: DaneMatch): CertComparison {
  switch (m.state) {
    case 'match':
      return 'match';
    case 'mismatch':
      return 'mismatch';
    case 'no-usable-tlsa':
      return 'no-usable';
    case 'error':
      return 'error';
  }
}

/** Does the DANE outcome depend on the certificate (TLSA records present and secure)? */
export function needsCertificate(check: HostCheck): boolean {
  return check.tlsaEnabled && daneBeforeConnect(check.result) === null;
}

/**
 * The comparison's outcome when the browser could not give the certificate chain (getSecurityInfo
 * failed, or an empty chain) although the DANE outcome depends on it (secure TLSA records, RFC 6698
 * §2.1): "could not be read" (→ indeterminate, with the reason), never a silent "pending" that is
 * never compared nor blocked. null when there is nothing to say (no certificate needed, or the
 * browser has not answered yet).
 */
export function unreadableCertificate(check: HostCheck, tls: TlsInfo | null, tlsError: string | null): CertOutcome | null {
  if (!needsCertificate(check)) return null;
  const why = tlsError ?? (tls && tls.certs.length === 0 ? 'the browser gave no certificate chain' : null);
  if (why === null) return null;
  return { match: { state: 'error', reason: `the certificate could not be read: ${why}` }, leaf: null };
}

/**
 * Why signed TLSA records have not been compared (yet) with a certificate: never a comparison
 * outcome, so never a checked state (display-state.ts: secure-not-compared).
 */
function notCompared(f: NavigationFacts): { cert: NonNullable<TabDetails['dane']['cert']>; reason: string | null } {
  const h = f.helper ?? null;
  if (h?.state === 'failed') return { cert: 'helper-failed', reason: h.message };
  if (f.loadError && !f.tls) return { cert: 'not-loaded', reason: `the page did not load: ${f.loadError}` };
  if (f.certApi || (h !== null && h.state !== 'off')) return { cert: 'pending', reason: null };
  // Chrome, helper off: a page that never loaded keeps saying so.
  if (f.loadError) return { cert: 'not-loaded', reason: `the page did not load: ${f.loadError}` };
  return { cert: 'unavailable', reason: null };
}

/** The TLSA records a client does not use, and why (usable.ts: RFC 7671 §4.1, §9). */
function notUsedRecords(records: readonly TLSAData[]): TabDetails['dane']['notUsed'] {
  const { unusable, setAside } = splitUsable(records);
  return [...unusable.map((u) => ({ index: u.index, why: 'unusable' as const })), ...setAside.map((u) => ({ index: u.index, why: 'weaker-digest' as const }))].sort((a, b) => a.index - b.index);
}

export function buildDetails(f: NavigationFacts): { details: TabDetails; state: DisplayState } {
  const { check } = f;
  const r = check.result;
  let dane: DaneState = 'not-checked';
  let daneReason: string | null = null;
  let cert: TabDetails['dane']['cert'] = null;
  let matchedRecord: number | null = null;
  let pkixUnverified = false;
  if (check.tlsaEnabled) {
    const before = daneBeforeConnect(r);
    if (before) {
      dane = before.dane;
      daneReason = before.reason;
    } else if (!f.https) {
      daneReason = 'plain HTTP: no certificate to compare';
    } else if (!f.cert) {
      ({ cert, reason: daneReason } = notCompared(f));
    } else {
      const d = daneFromMatch(f.cert.match);
      dane = d.dane;
      daneReason = d.reason ?? null;
      cert = comparisonOf(f.cert.match);
      if (f.cert.match.state === 'match') {
        matchedRecord = f.cert.match.recordIndex;
        pkixUnverified = f.cert.match.pkixUnverified === true;
      }
    }
  }

  const mismatch = addressMismatch(f.ip ?? undefined, check.verdict);
  const addressMatch = mismatch === null ? null : !mismatch;

  const chain: ChainLinkView[] = r.chain.map((l) => ({
    zone: l.zone,
    state: l.state,
    anchor: l.anchor === true,
    keys: l.keys.map((k) => ({ keyTag: k.keyTag, algorithm: k.algorithm, flags: k.flags, sep: k.sep })),
    ds: l.ds.map((d) => ({ keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType })),
    signatureExpiration: l.signatureExpiration === undefined ? null : l.signatureExpiration * 1000,
    reasonCode: l.reason?.code ?? null,
    reason: l.reason?.message ?? null,
  }));

  let certificate: CertificateView | null = null;
  if (f.tls && f.tls.certs.length > 0) {
    const leaf = f.cert?.leaf ?? null;
    certificate = {
      subject: leaf?.subject ?? '',
      issuer: leaf?.issuer ?? '',
      notAfter: leaf?.notAfter ?? '',
      spkiSha256: leaf?.spkiSha256 ?? '',
      certSha256: leaf?.certSha256 ?? '',
      chainLength: f.tls.certs.length,
      pkix: f.tls.pkix,
      tlsVersion: f.tls.tlsVersion,
      hsts: f.tls.hsts,
    };
  }

  const details: TabDetails = {
    port: check.port,
    https: f.https,
    address: lookupView(r.address),
    tlsa: { ...lookupView(r.tlsa), name: r.tlsa.name, enabled: check.tlsaEnabled },
    dane: { state: dane, cert, matchedRecord, notUsed: check.tlsaEnabled ? notUsedRecords(check.tlsaRecords) : [], reason: daneReason, pkixUnverified },
    chain,
    certificate,
    connection: { ip: f.ip, matches: addressMatch },
    certificateApi: f.certApi,
    resolver: check.resolvers[0] ?? '',
    queries: r.queries,
    elapsedMs: r.elapsedMs,
    expiryWarningDays: f.expiryWarningDays ?? 7,
    tls: f.tls?.facts ?? null,
    generator: f.cert?.suggestion ?? null,
    certificateError: f.tlsError ?? null,
    certificateSource: f.tls && f.tls.certs.length > 0 ? (f.tls.source ?? 'browser') : null,
    certificateAddress: f.tls?.source === 'helper' ? (f.tls.address ?? null) : null,
    helper: f.helper ?? null,
    loadError: f.loadError ?? null,
  };
  const comparison: CertComparison = cert === 'match' || cert === 'mismatch' || cert === 'no-usable' || cert === 'error' ? cert : null;
  const state = displayStateFor(r, { tlsaEnabled: check.tlsaEnabled, cert: comparison, addressMatch });
  return { details, state };
}
