import browser from 'webextension-polyfill';
import type { TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';

/** Paints the toolbar button of one tab: icon, badge and tooltip. */
export async function showState({ tabId, host, state }: TabState): Promise<void> {
  const style = styleForVerdict(state);
  const title = browser.i18n.getMessage(style.titleKey);
  await Promise.all([
    browser.action.setIcon({ tabId, path: { 16: style.icon[16], 32: style.icon[32] } }),
    browser.action.setBadgeText({ tabId, text: style.badgeText }),
    browser.action.setBadgeBackgroundColor({ tabId, color: style.badgeColor }),
    browser.action.setTitle({
      tabId,
      title: host ? browser.i18n.getMessage('actionTitle', [title, host]) : title,
    }),
  ]);
}
