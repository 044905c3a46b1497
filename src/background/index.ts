/**
 * Background (Chrome: a classic service worker, one bundled script, so that Chrome keeps its
 * compiled code between starts: a restarted worker deserializes it in ~10–18 ms instead of parsing
 * 1 MB for ~70 ms, measured with tracing; Firefox: event page script): only the wiring of the
 * browser's events to the modules that own the state.
 *
 * - options-state.ts: the options in force and the one `Engine` (validator, per-host cache);
 * - tab-state.ts: one `Navigation` per tab, the per-tab queue, publishing a `TabState` to the
 *   toolbar (show-state.ts), the pages and session storage;
 * - navigations.ts: top-level navigations, tab lifecycle, the one way to (re)judge a tab;
 * - certificates.ts: Firefox's TLSA comparison of the presented certificate chain;
 * - blocking.ts: Firefox's blocking onHeadersReceived (getSecurityInfo, enforcement, block page);
 * - subrequests.ts: the sub-requests option;
 * - handlers.ts: the pages' requests (shared/messages.ts), a typed map.
 */
import './started'; // first: the time the script began to run (bench only)
import browser, { type Runtime } from 'webextension-polyfill';
import { isRequest } from '../shared/messages';
import { onHeadersReceived } from './blocking';
import { handle } from './handlers';
import {
  judgeAllTabs,
  onMainFrameRequest,
  onMainFrameError,
  onMainFrameResponse,
  onTabRemoved,
  onTabUpdated,
  rejudgeAfterOptionsChange,
} from './navigations';
import { followOptions, optionsReady } from './options-state';
import { listenForSubrequests } from './subrequests';
import { predrawIcons } from './show-state';
import { certApi, onPublish } from './tab-state';
import { enforceAfterTheFact } from './chrome-blocking';
import { followHelperPermission } from './helper';
import { DISPLAY_STATES } from '../shared/display-state';
import { isTimingsMessage, markEvaluated, markNavigation, onTimingsMessage } from './timings';

const WEB = { urls: ['http://*/*', 'https://*/*'] };

browser.webRequest.onBeforeRequest.addListener(
  (details) => {
    if (details.tabId < 0) return;
    markNavigation(details.tabId, details.url, details.timeStamp);
    onMainFrameRequest(details);
  },
  { ...WEB, types: ['main_frame'] },
);

// Every other request only while the sub-requests option is on (subrequests.ts).
const followSubrequestOption = listenForSubrequests(WEB);
void optionsReady().then(followSubrequestOption);

browser.webRequest.onResponseStarted.addListener((details) => onMainFrameResponse(details), { ...WEB, types: ['main_frame'] });
browser.webRequest.onErrorOccurred.addListener((details) => onMainFrameError(details), { ...WEB, types: ['main_frame'] });

// Chrome: certificates through the native helper (helper.ts), blocking after the fact.
followHelperPermission();
onPublish(enforceAfterTheFact);

if (certApi) {
  const mainFrames = { urls: ['https://*/*'], types: ['main_frame' as const] };
  browser.webRequest.onHeadersReceived.addListener((details) => onHeadersReceived(details), mainFrames, ['blocking']);
}

browser.tabs.onUpdated.addListener(onTabUpdated);
browser.tabs.onRemoved.addListener(onTabRemoved);

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id) return undefined;
  if (isTimingsMessage(message)) return onTimingsMessage(message);
  if (!isRequest(message)) return undefined;
  return handle(message, sender);
});

followOptions(() => {
  followSubrequestOption();
  rejudgeAfterOptionsChange();
});

predrawIcons(DISPLAY_STATES);

browser.runtime.onStartup.addListener(() => void judgeAllTabs());
browser.runtime.onInstalled.addListener(() => void judgeAllTabs());

markEvaluated();
