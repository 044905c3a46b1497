import browser from 'webextension-polyfill';
import { isBroadcast, type TabState } from '../shared/messages';
import { applyI18n } from '../ui/i18n';
import { send } from '../ui/send';
import { mailForState, mailToggled } from './mail-section';
import { render, renderError } from './render';

/**
 * The tab this popup is about: the active tab of its window, or the `?tabId=` of its URL (the
 * popup opened as a page, e.g. by the e2e tests or from a keyboard shortcut page).
 */
async function targetTabId(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** Shows a tab state: the popup's sections, then the mail section (which may ask the background). */
function show(state: TabState): void {
  render(state);
  mailForState(state);
}

async function main(): Promise<void> {
  applyI18n();
  const tabId = await targetTabId();
  if (tabId === undefined) return renderError();

  browser.runtime.onMessage.addListener((message: unknown) => {
    if (isBroadcast(message) && message.state.tabId === tabId) show(message.state);
    return undefined;
  });

  document.getElementById('recheck')?.addEventListener('click', () => {
    send({ type: 'recheck', tabId }).then(show, renderError);
  });
  document.getElementById('mail-section')?.addEventListener('toggle', mailToggled);
  document.getElementById('open-options')?.addEventListener('click', () => {
    void browser.runtime.openOptionsPage().then(() => window.close());
  });

  show(await send({ type: 'getTabState', tabId }));
}

main().catch(renderError);
