/**
 * The two plain sentences of the popup, as message keys: what DNSSEC says about the domain and
 * what DANE/TLSA says about the server's certificate. Pure (no browser API), so it is unit-tested.
 */
import type { SkipReason } from '../shared/host-rules';
import type { MessageKey } from '../shared/message-key';
import type { TabDetails, TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';

const SKIP: Record<SkipReason, MessageKey> = {
  'not-web': 'skipNotWeb',
  'ip-literal': 'skipIpLiteral',
  'single-label': 'skipSingleLabel',
  'special-use': 'skipSpecialUse',
  'test-domain': 'skipTestDomain',
  excluded: 'skipExcluded',
  'private-window': 'skipPrivateWindow',
  'options-unreadable': 'skipOptionsUnreadable',
};

export function dnssecKey(d: TabDetails): MessageKey {
  switch (d.address.state) {
    case 'secure':
      if (d.address.result === 'nxdomain') return 'dnssecNxdomain';
      return d.address.result === 'data' ? 'dnssecSecure' : 'dnssecSecureNoData';
    case 'insecure':
      return 'dnssecInsecure';
    case 'bogus':
      return 'dnssecBogus';
    case 'indeterminate':
      return 'dnssecIndeterminate';
  }
}

export function tlsaKey(d: TabDetails): MessageKey {
  const { tlsa, dane } = d;
  if (!tlsa.enabled) return 'tlsaOff';
  if (tlsa.state === 'bogus') return 'tlsaBogus';
  if (tlsa.state === 'indeterminate') return 'tlsaIndeterminate';
  // RFC 9276 §3.2: an answer behind an NSEC3 chain with too many iterations counts as insecure;
  // that is not "not signed" and the popup says which.
  if (tlsa.state === 'insecure') return tlsa.reasonCode === 'nsec3-iterations' ? 'tlsaInsecureNsec3Iterations' : 'tlsaInsecure';
  if (tlsa.result !== 'data') return 'tlsaNone';
  if (!d.https) return 'tlsaHttp';
  switch (dane.cert) {
    case 'match':
      return 'tlsaMatch';
    case 'mismatch':
      return 'tlsaMismatch';
    case 'no-usable':
      return 'tlsaNoUsable';
    case 'error':
      return 'tlsaCertError';
    case 'unavailable':
      // Chrome without the native helper.
      return 'tlsaHelperOff';
    case 'pending':
      if (d.certificate) return 'tlsaPending';
      return d.helper?.state === 'asking' ? 'tlsaHelperPending' : 'tlsaNotSeen';
    case 'not-loaded':
      return 'tlsaPageNotLoaded';
    case 'helper-failed':
      return 'tlsaHelperFailed';
    case null:
      // Signed TLSA records, but the DNS alone decided (e.g. bogus or failed address lookup).
      return 'tlsaIndeterminate';
  }
}

/** The sentence keys for a tab; null when there is nothing to say (no host at all). */
export function sentenceKeys(state: TabState): { dnssec: MessageKey; tlsa: MessageKey | null } | null {
  if (state.state === 'off') return state.skip && state.skip !== 'not-web' ? { dnssec: SKIP[state.skip], tlsa: null } : null;
  if (state.state === 'checking' || !state.details) {
    return state.host ? { dnssec: 'dnssecChecking', tlsa: null } : null;
  }
  return { dnssec: dnssecKey(state.details), tlsa: tlsaKey(state.details) };
}

/**
 * The headline's explanation under the state title: the state's own, except for a bogus verdict
 * whose failing record set is unsigned (RFC 4035 §5.3: a missing RRSIG in a signed zone) rather
 * than carrying a bad signature — "invalid signatures" would misstate it.
 */
export function headlineDetailKey(state: TabState): MessageKey {
  const d = state.details;
  if (state.state === 'bogus' && d) {
    const failing = d.address.state === 'bogus' ? d.address : d.tlsa.state === 'bogus' ? d.tlsa : null;
    if (failing?.reasonCode === 'missing-rrsig') return 'detailBogusMissingSignature';
  }
  return styleForVerdict(state.state).detailKey;
}
