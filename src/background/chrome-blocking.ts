/**
 * Chrome: enforcement after the fact. Chrome lets ordinary extensions neither hold a request back
 * nor see its certificate, so with blocking on a tab whose verdict is bogus, or whose certificate
 * the native helper found not to match the TLSA records, is sent to the block page
 * (`tabs.update`) as soon as the verdict is known; the block page says that the page may already
 * have been requested and partly shown. The same per-site exceptions as in Firefox.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/messages';
import { blockPageUrl } from './blocking';
import { currentOptions } from './options-state';
import { certApi, publish, type Navigation } from './tab-state';

export function enforceAfterTheFact(nav: Navigation, state: TabState): void {
  if (certApi || nav.blocked) return;
  if (state.state !== 'bogus' && state.state !== 'tlsa-mismatch') return;
  const options = currentOptions();
  if (!nav.target.check || !options.enforcement || options.enforcementExceptions.includes(nav.target.host)) return;
  nav.blocked = true;
  const extra: Record<string, string> = { after: '1' };
  if (state.state === 'tlsa-mismatch' && nav.tls?.source === 'helper' && nav.tls.address) extra.helper = nav.tls.address;
  void browser.tabs
    .update(nav.tabId, { url: blockPageUrl(nav, state, extra) })
    .catch(() => undefined) // the tab is gone
    .then(() => publish(nav));
}
