/** The plain-words reason (and the validator's technical sentence) the popup gives for a state. */
import type { ReasonCode } from '../core/dnssec/result';
import type { TabState } from '../shared/messages';
import { t } from '../ui/i18n';
import { REASONS } from './tables';

/** The plain-words reason (and the validator's technical sentence) for a state that is not green. */
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
      return { text: t('reasonAddressMismatch'), technical: null };
    default:
      return null;
  }
}
