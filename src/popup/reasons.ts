/** The plain-words reason (and the validator's technical sentence) the popup gives for a state. */
import type { ReasonCode } from '../core/dnssec/result';
import type { MessageKey } from '../shared/message-key';
import type { TabDetails, TabState } from '../shared/messages';
import { t } from '../ui/i18n';
import { REASONS } from './tables';

/** The plain-words reason (and the validator's technical sentence) for a state that is not green. */
/** Why signed TLSA records were not compared with a certificate (secure-not-compared). */
function notComparedReason(d: TabDetails): { text: string; technical: string | null } | null {
  if (d.dane.cert === 'helper-failed') {
    const error = d.helper?.error ?? null;
    const key: MessageKey = error === 'helper-missing' ? 'reasonHelperMissing' : error === 'address-not-validated' ? 'reasonHelperAddress' : 'reasonHelper';
    return { text: t(key), technical: d.helper?.message ?? d.dane.reason };
  }
  if (d.dane.cert === 'not-loaded' && d.loadError) return { text: t('reasonPageNotLoaded', [d.loadError]), technical: null };
  if (d.dane.cert === 'unavailable') return { text: t('reasonHelperOff'), technical: null };
  return null;
}

/** Where the compared certificate came from, when not from the browser itself (Chrome's helper). */
export function certSourceText(d: TabDetails): string | null {
  if (d.certificateSource !== 'helper' || !d.certificateAddress) return null;
  const parts = [t('popupCertFromHelper', [d.certificateAddress])];
  if (d.connection.ip === d.certificateAddress) parts.push(t('popupCertSameAddress'));
  else if (d.connection.ip) parts.push(t('popupCertOtherAddress', [d.connection.ip]));
  parts.push(t('popupCertHelperCaveat'));
  return parts.join(' ');
}

/** The footer: resolver, questions and time — or that the resolver answered none of them. */
export function metaText(d: TabDetails): string {
  const noAnswer = [d.address, ...(d.tlsa.enabled ? [d.tlsa] : [])].every((l) => l.state === 'indeterminate' && l.reasonCode === 'resolver-error');
  const counted = noAnswer ? t('popupNoAnswer', [String(d.queries)]) : t('popupQueries', [String(d.queries), String(d.elapsedMs)]);
  return `${t('popupResolverLabel')}: ${d.resolver} · ${counted}`;
}

export function reasonFor(state: TabState): { text: string; technical: string | null } | null {
  if (state.error) return { text: t('reasonError', [state.error]), technical: null };
  const d = state.details;
  if (!d) return null;
  const fromLookup = (l: { reasonCode: ReasonCode | null; reason: string | null }) =>
    l.reasonCode ? { text: t(REASONS[l.reasonCode]), technical: l.reason } : null;
  switch (state.state) {
    case 'bogus':
    case 'indeterminate':
      return (
        (d.address.state === state.state || d.address.state === 'bogus' ? fromLookup(d.address) : null) ??
        fromLookup(d.tlsa) ??
        fromLookup(d.address) ??
        (d.dane.reason ? { text: t('tlsaCertError'), technical: d.dane.reason } : null)
      );
    case 'insecure':
      return fromLookup(d.address);
    case 'tlsa-mismatch':
      return { text: t('reasonTlsaMismatch'), technical: d.dane.reason };
    case 'address-mismatch':
      // The helper refuses such an address (it connects only to validated ones): say so beside it.
      return { text: t('reasonAddressMismatch'), technical: d.helper?.state === 'failed' ? d.helper.message : null };
    case 'secure-not-compared':
      return notComparedReason(d);
    default:
      return null;
  }
}
