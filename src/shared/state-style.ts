import type { DisplayState } from './display-state';
import type { MessageKey } from './message-key';

export const ACTION_ICON_SIZES = [16, 32, 48, 128] as const;
export type IconSize = (typeof ACTION_ICON_SIZES)[number];

export interface StateStyle {
  /** Absolute paths from the extension root (leading "/"), valid in the service worker and in pages. */
  icon: Record<IconSize, string>;
  /** Locale-independent symbol; empty when the icon says enough. */
  badgeText: string;
  badgeColor: string;
  /** Short title (tooltip, popup heading). */
  titleKey: MessageKey;
  /** One-sentence explanation for the popup. */
  detailKey: MessageKey;
}

const NEUTRAL = '#57606a';
const DANGER = '#cf222e';

const TABLE: Record<DisplayState, Omit<StateStyle, 'icon'>> = {
  checking: { badgeText: '', badgeColor: NEUTRAL, titleKey: 'stateChecking', detailKey: 'detailChecking' },
  'secure-tlsa-match': {
    badgeText: '',
    badgeColor: '#1a7f37',
    titleKey: 'stateSecureTlsaMatch',
    detailKey: 'detailSecureTlsaMatch',
  },
  secure: { badgeText: '', badgeColor: '#1a7f37', titleKey: 'stateSecure', detailKey: 'detailSecure' },
  'secure-not-compared': {
    badgeText: '',
    badgeColor: '#1a7f37',
    titleKey: 'stateSecureNotCompared',
    detailKey: 'detailSecureNotCompared',
  },
  nxdomain: { badgeText: '', badgeColor: '#6639ba', titleKey: 'stateNxdomain', detailKey: 'detailNxdomain' },
  insecure: { badgeText: '', badgeColor: '#6e7781', titleKey: 'stateInsecure', detailKey: 'detailInsecure' },
  bogus: { badgeText: '✗', badgeColor: DANGER, titleKey: 'stateBogus', detailKey: 'detailBogus' },
  'tlsa-mismatch': {
    badgeText: '✗',
    badgeColor: DANGER,
    titleKey: 'stateTlsaMismatch',
    detailKey: 'detailTlsaMismatch',
  },
  'address-mismatch': {
    badgeText: '≠',
    badgeColor: '#a40e26',
    titleKey: 'stateAddressMismatch',
    detailKey: 'detailAddressMismatch',
  },
  indeterminate: {
    badgeText: '?',
    badgeColor: '#bc4c00',
    titleKey: 'stateIndeterminate',
    detailKey: 'detailIndeterminate',
  },
  off: { badgeText: '', badgeColor: NEUTRAL, titleKey: 'stateOff', detailKey: 'detailOff' },
};

/** The one place that maps a display state to its icon, badge and text. Pure. */
export function styleForVerdict(state: DisplayState): StateStyle {
  const icon = Object.fromEntries(
    ACTION_ICON_SIZES.map((size) => [size, `/icons/${state}-${size}.png`]),
  ) as Record<IconSize, string>;
  return { icon, ...TABLE[state] };
}
