import browser from 'webextension-polyfill';
import { isBroadcast } from '../shared/messages';
import { applyI18n } from '../ui/i18n';
import { send } from '../ui/send';
import { render, renderError } from './render';

async function main(): Promise<void> {
  applyI18n();
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  const tabId = tab?.id;
  if (tabId === undefined) return renderError();

  browser.runtime.onMessage.addListener((message: unknown) => {
    if (isBroadcast(message) && message.state.tabId === tabId) render(message.state);
    return undefined;
  });

  document.getElementById('recheck')?.addEventListener('click', () => {
    send({ type: 'recheck', tabId }).then(render, renderError);
  });
  document.getElementById('open-options')?.addEventListener('click', () => {
    void browser.runtime.openOptionsPage().then(() => window.close());
  });

  render(await send({ type: 'getTabState', tabId }));
}

main().catch(renderError);
