/**
 * Firefox: the certificate comparison of a navigation, once both the validated DNS facts and the
 * certificate chain (getSecurityInfo, see blocking.ts) are known (RFC 6698 §2.1, RFC 7671).
 */
import { loadCertificate } from '../core/dane/cert';
import { matchTlsa, parseCertificate, peerChainsFromOne, type CertInfo, type PeerChains } from '../core/dane/match';
import { suggestTlsa, type TlsaSuggestion } from '../core/dane/generate';
import { needsCertificate, unreadableCertificate, type TlsInfo } from './details';
import type { HostCheck } from './engine';
import { report } from './report';
import { navigations, publish, type Navigation } from './tab-state';
import { mark } from './timings';

/**
 * The chains the matcher takes: Firefox gives one chain (peerChainsFromOne); Chrome's helper gives
 * the chain as sent and, when Node's PKIX succeeded, the chain it validated (usages 0/1).
 */
function peerChainsOf(tls: TlsInfo): PeerChains {
  if (tls.source === 'helper' && tls.validated) return { sent: tls.certs, pkix: { verdict: 'valid', validated: tls.validated } };
  if (tls.source === 'helper') return { sent: tls.certs, pkix: { verdict: tls.pkix === 'valid' ? 'unknown' : tls.pkix } };
  return peerChainsFromOne(tls.certs, tls.pkix);
}

/** The generator's records for the presented chain, compared with the validated TLSA RRset. */
function suggestionFor(nav: Navigation, check: HostCheck, tls: TlsInfo): Promise<TlsaSuggestion | null> {
  if (tls.certs.length === 0) return Promise.resolve(null);
  const t = check.result.tlsa;
  return suggestTlsa({
    chain: tls.certs,
    host: check.host,
    port: check.port,
    owner: check.tlsaEnabled ? t.name : null,
    published: check.tlsaEnabled ? t.records : null,
    publishedState: check.tlsaEnabled ? t.state : null,
  }).catch((e: unknown) => {
    report('generator', e, nav.problems);
    return null;
  });
}

/** The leaf for the popup's certificate section (the comparison reads the chain itself). */
function leafOf(nav: Navigation, der: Uint8Array | undefined): Promise<CertInfo | null> {
  if (!der) return Promise.resolve(null);
  return parseCertificate(der).catch((e: unknown) => {
    report('certificate-parse', e, nav.problems);
    return null;
  });
}

/**
 * The chain just arrived (Firefox: with the response headers; Chrome: from the helper), usually
 * well before the DNS verdict: its certificates are parsed now (kept by content, core/dane/cert.ts),
 * so that the comparison at the verdict only matches, after the listener has let the response go.
 * Nothing is decided here.
 */
export function prepareCertificates(tls: TlsInfo): void {
  // After the current task: Firefox's blocking listener returns (the response goes on) first.
  setTimeout(() => {
    for (const der of tls.certs.slice(0, 8)) void loadCertificate(der);
  }, 0);
}

/** The TLSA comparison, once both the DNS facts and the certificate chain are known. */
export function compareCertificate(nav: Navigation): Promise<void> {
  const check = nav.check;
  const tls = nav.tls;
  if (!check || nav.cert) return Promise.resolve();
  const unreadable = unreadableCertificate(check, tls, nav.tlsError);
  if (unreadable) nav.cert = unreadable;
  if (!tls || unreadable) {
    // Nothing to compare: show what the browser could not give (once it said so).
    return nav.tlsError !== null || unreadable ? publish(nav).then(() => undefined) : Promise.resolve();
  }
  if (!needsCertificate(check) || tls.certs.length === 0) {
    // Still show the certificate that was seen.
    nav.certRunning ??= (async () => {
      const [leaf, suggestion] = await Promise.all([
        leafOf(nav, tls.certs[0]),
        suggestionFor(nav, check, tls),
      ]);
      if (leaf && !nav.cert && nav.check === check) {
        nav.cert = { match: { state: 'no-usable-tlsa', reason: 'no TLSA comparison needed' }, leaf, suggestion };
        if (!needsCertificate(check)) await publish(nav);
      }
    })();
    return nav.certRunning;
  }
  nav.certRunning ??= (async () => {
    const [match, leaf] = await Promise.all([
      // Firefox gives one chain: the PKIX-built one when valid, else the leaf alone (issue #20).
      matchTlsa(check.tlsaRecords, peerChainsOf(tls), { host: check.host }),
      leafOf(nav, tls.certs[0]),
    ]);
    if (nav.check !== check) return;
    mark(nav.tabId, nav.url, 'compared');
    nav.cert = { match, leaf, suggestion: null };
    await publish(nav);
    // The record generator's suggestion (popup and details only) after the verdict is shown: it
    // hashes the chain again and verifies its signatures, 10–20 ms while a page loads (Firefox,
    // bench/results/page-load.md) that the toolbar no longer waits for.
    const suggestion = await suggestionFor(nav, check, tls);
    if (!suggestion || nav.check !== check || !nav.cert || navigations.get(nav.tabId) !== nav) return;
    nav.cert = { ...nav.cert, suggestion };
    await publish(nav);
  })();
  return nav.certRunning;
}
