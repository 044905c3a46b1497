import browser from 'webextension-polyfill';
import type { MessageKey } from '../shared/message-key';

export function t(key: MessageKey, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions);
}

const ATTRIBUTES = [
  ['data-i18n-title', 'title'],
  ['data-i18n-aria-label', 'aria-label'],
  ['data-i18n-placeholder', 'placeholder'],
] as const;

/**
 * Fills the page's text from the locale catalogue: `data-i18n="key"` sets the text content,
 * `data-i18n-title` / `-aria-label` / `-placeholder` set those attributes.
 */
export function applyI18n(root: Document = document): void {
  root.documentElement.lang = browser.i18n.getUILanguage();
  root.documentElement.dir = browser.i18n.getMessage('@@bidi_dir') || 'ltr';
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n as MessageKey);
  }
  for (const [data, attribute] of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${data}]`)) {
      el.setAttribute(attribute, t(el.getAttribute(data) as MessageKey));
    }
  }
}
