/** Sub-requests option: the other hosts a page loads from are checked too (shown in the popup only). */
import browser from 'webextension-polyfill';
import { currentOptions, engine, targetOf } from './options-state';
import { navigations, publish, type TabStateSub } from './tab-state';

/** Other hosts a page loads from that are checked, per tab. */
const MAX_SUBHOSTS = 24;

export function noteSubrequest(tabId: number, url: string): void {
  if (!currentOptions().subrequests) return;
  const nav = navigations.get(tabId);
  if (!nav || !nav.target.check) return;
  const target = targetOf(url, false);
  if (!target.check || target.host === nav.target.host || nav.subhosts.has(target.host)) return;
  if (nav.subhosts.size >= MAX_SUBHOSTS) return;
  const entry: TabStateSub = { host: target.host, state: 'checking' };
  nav.subhosts.set(target.host, entry);
  engine.check(target.host, target.port).then(
    (c) => {
      entry.state = c.result.address.state === 'bogus' || c.result.tlsa.state === 'bogus' ? 'bogus' : c.result.address.state;
      void publish(nav);
    },
    () => {
      entry.state = 'indeterminate';
      void publish(nav);
    },
  );
}

/**
 * Registers the listener for every request other than top-level pages, at once (call it at the top
 * level of the background: a worker woken by a navigation then misses none of the page's
 * requests), and returns the function that keeps it registered only while the option is on. Off
 * (the default), every image and script of every page would be an event for the worker and keep
 * Chrome's worker running for nothing.
 */
export function listenForSubrequests(filter: { urls: string[] }): () => void {
  const onRequest = (details: { tabId: number; type: string; url: string }): void => {
    if (details.tabId >= 0 && details.type !== 'main_frame') noteSubrequest(details.tabId, details.url);
  };
  const event = browser.webRequest.onBeforeRequest;
  event.addListener(onRequest, filter);
  return () => {
    const on = currentOptions().subrequests;
    const listening = event.hasListener(onRequest);
    if (on && !listening) event.addListener(onRequest, filter);
    if (!on && listening) event.removeListener(onRequest);
  };
}
