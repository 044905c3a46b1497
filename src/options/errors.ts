/** Shows validation errors next to their fields. */
import type { MessageKey } from '../shared/message-key';
import type { OptionsError, OptionsErrorCode } from '../shared/options';
import { t } from '../ui/i18n';

const MESSAGE_KEYS: Record<OptionsErrorCode, MessageKey> = {
  'url-invalid': 'errorUrlInvalid',
  'url-not-https': 'errorUrlNotHttps',
  'url-credentials': 'errorUrlCredentials',
  'url-fragment': 'errorUrlFragment',
  'url-not-doh': 'errorUrlNotDoh',
  'secondary-same': 'errorSecondarySame',
  'trust-anchor-empty': 'errorTrustAnchorEmpty',
  'trust-anchor-too-long': 'errorTrustAnchorTooLong',
  'trust-anchor-invalid': 'errorTrustAnchorInvalid',
  'exclusion-invalid': 'errorExclusionInvalid',
  'exclusion-duplicate': 'errorExclusionDuplicate',
  'expiry-days-invalid': 'errorExpiryDays',
  'negative-anchor-invalid': 'errorNegativeAnchorInvalid',
};

/** Error container id → the input marked invalid with it. */
const FIELDS = {
  resolver: 'resolver-url',
  secondaryResolver: 'secondary-url',
  trustAnchor: 'trust-anchor-text',
  exclusions: 'exclusions',
  expiryWarningDays: 'expiry-days',
  negativeAnchors: 'negative-anchors',
} as const satisfies Record<OptionsError['field'], string>;

function text(error: OptionsError, lineNumbers: readonly number[], ntaLineNumbers: readonly number[]): string {
  const key = MESSAGE_KEYS[error.code];
  if (error.code === 'trust-anchor-invalid') return t(key, [String(error.line), error.detail]);
  if (error.field === 'negativeAnchors') return t(key, [String(ntaLineNumbers[error.index] ?? error.index + 1), error.value]);
  if (error.field !== 'exclusions') return t(key);
  return t(key, [String(lineNumbers[error.index] ?? error.index + 1), error.value]);
}

/**
 * Clears all error marks, then shows `errors`. `lineNumbers` maps exclusion index → line,
 * `ntaLineNumbers` negative trust anchor index → line.
 */
export function showErrors(errors: readonly OptionsError[], lineNumbers: readonly number[], ntaLineNumbers: readonly number[] = []): void {
  for (const [field, inputId] of Object.entries(FIELDS)) {
    const box = document.getElementById(`${field}-error`);
    const input = document.getElementById(inputId);
    const mine = errors.filter((e) => e.field === field);
    if (!box || !input) continue;
    box.replaceChildren(
      ...mine.map((e) => {
        const item = document.createElement(box.tagName === 'UL' ? 'li' : 'span');
        item.textContent = text(e, lineNumbers, ntaLineNumbers);
        return item;
      }),
    );
    box.hidden = mine.length === 0;
    input.setAttribute('aria-invalid', String(mine.length > 0));
  }
  const firstField = errors[0]?.field;
  if (firstField) document.getElementById(FIELDS[firstField])?.focus();
}
