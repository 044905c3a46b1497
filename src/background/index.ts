/**
 * Background (Chrome: module service worker; Firefox: event page script). Keeps one TabState
 * per tab, paints the toolbar button and answers the pages' requests (src/shared/messages.ts).
 * DNS work is delegated to `validateHostHook` (see validate-hook.ts).
 */
import browser, { type Runtime, type Tabs } from 'webextension-polyfill';
import { isRequest, type Broadcast, type Request, type TabState } from '../shared/messages';
import { loadOptions, onOptionsChanged } from '../shared/options-storage';
import { hostToCheck } from './host-to-check';
import { showState } from './show-state';
import { validateHostHook } from './validate-hook';

// In memory only: Chrome may stop the worker, after which states are rebuilt on demand.
const states = new Map<number, TabState>();
const running = new Map<number, AbortController>();

async function setState(next: TabState): Promise<void> {
  states.set(next.tabId, next);
  await showState(next).catch(() => undefined); // the tab may be gone already
  const message: Broadcast = { type: 'tabStateChanged', state: next };
  await browser.runtime.sendMessage(message).catch(() => undefined); // no page is listening
}

async function evaluate(tab: Tabs.Tab): Promise<TabState> {
  const tabId = tab.id ?? browser.tabs.TAB_ID_NONE;
  running.get(tabId)?.abort();
  running.delete(tabId);
  const options = await loadOptions();
  const host = tab.incognito && !options.privateWindows ? null : hostToCheck(tab.url, options.exclusions);
  if (host === null) {
    const off: TabState = { tabId, host: null, state: 'off', checkedAt: null };
    await setState(off);
    return off;
  }
  const checking: TabState = { tabId, host, state: 'checking', checkedAt: null };
  await setState(checking);
  const validate = validateHostHook;
  if (validate) {
    const controller = new AbortController();
    running.set(tabId, controller);
    void validate(host, options, controller.signal)
      .catch(() => 'indeterminate' as const)
      .then(async (state) => {
        if (controller.signal.aborted) return;
        running.delete(tabId);
        await setState({ tabId, host, state, checkedAt: Date.now() });
      });
  }
  return checking;
}

async function handle(request: Request): Promise<TabState> {
  const known = states.get(request.tabId);
  if (request.type === 'getTabState' && known) return known;
  return evaluate(await browser.tabs.get(request.tabId));
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id || !isRequest(message)) return undefined;
  return handle(message);
});

browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url !== undefined) {
    void evaluate(tab);
  } else if (change.status !== undefined) {
    // Some browsers reset per-tab button state on navigation: paint it again.
    const known = states.get(tabId);
    if (known) void showState(known).catch(() => undefined);
  }
});

browser.tabs.onRemoved.addListener((tabId) => {
  running.get(tabId)?.abort();
  running.delete(tabId);
  states.delete(tabId);
});

async function evaluateAllTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.map((tab) => evaluate(tab).catch(() => undefined)));
}

browser.runtime.onStartup.addListener(() => void evaluateAllTabs());
browser.runtime.onInstalled.addListener(() => void evaluateAllTabs());
onOptionsChanged(() => void evaluateAllTabs());
