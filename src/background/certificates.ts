/**
 * Firefox: the certificate comparison of a navigation, once both the validated DNS facts and the
 * certificate chain (getSecurityInfo, see blocking.ts) are known (RFC 6698 §2.1, RFC 7671).
 */
import { matchTlsa, parseCertificate, peerChainsFromOne } from '../core/dane/match';
import { suggestTlsa, type TlsaSuggestion } from '../core/dane/generate';
import { needsCertificate, type TlsInfo } from './details';
import type { HostCheck } from './engine';
import { publish, type Navigation } from './tab-state';

/** The generator's records for the presented chain, compared with the validated TLSA RRset. */
function suggestionFor(check: HostCheck, tls: TlsInfo): Promise<TlsaSuggestion | null> {
  if (tls.certs.length === 0) return Promise.resolve(null);
  const t = check.result.tlsa;
  return suggestTlsa({
    chain: tls.certs,
    host: check.host,
    port: check.port,
    owner: check.tlsaEnabled ? t.name : null,
    published: check.tlsaEnabled ? t.records : null,
    publishedState: check.tlsaEnabled ? t.state : null,
  }).catch(() => null);
}

/** The TLSA comparison, once both the DNS facts and the certificate chain are known. */
export function compareCertificate(nav: Navigation): Promise<void> {
  const check = nav.check;
  const tls = nav.tls;
  if (!check || !tls || nav.cert) return Promise.resolve();
  if (!needsCertificate(check) || tls.certs.length === 0) {
    // Still show the certificate that was seen.
    nav.certRunning ??= (async () => {
      const [leaf, suggestion] = await Promise.all([
        tls.certs[0] ? parseCertificate(tls.certs[0]).catch(() => null) : null,
        suggestionFor(check, tls),
      ]);
      if (leaf && !nav.cert && nav.check === check) {
        nav.cert = { match: { state: 'no-usable-tlsa', reason: 'no TLSA comparison needed' }, leaf, suggestion };
        if (!needsCertificate(check)) await publish(nav);
      }
    })();
    return nav.certRunning;
  }
  nav.certRunning ??= (async () => {
    const [match, leaf, suggestion] = await Promise.all([
      // Firefox gives one chain: the PKIX-built one when valid, else the leaf alone (issue #20).
      matchTlsa(check.tlsaRecords, peerChainsFromOne(tls.certs, tls.pkix), { host: check.host }),
      parseCertificate(tls.certs[0]).catch(() => null),
      suggestionFor(check, tls),
    ]);
    if (nav.check !== check) return;
    nav.cert = { match, leaf, suggestion };
    await publish(nav);
  })();
  return nav.certRunning;
}
