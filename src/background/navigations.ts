/**
 * The navigation model: every top-level navigation of a tab (webRequest main_frame, or a URL
 * change the tabs API reports) starts a validation of its host through the `Engine`; a tab's
 * navigation is replaced on navigation, judged anew when the options change, dropped on tab close.
 */
import browser, { type Tabs } from 'webextension-polyfill';
import type { Target } from '../shared/host-rules';
import type { TabState } from '../shared/messages';
import { isBlockPage, pageUrlOf } from './blocking';
import { compareCertificate } from './certificates';
import { needsCertificate } from './details';
import { currentOptions, engine, optionsReady, targetOf } from './options-state';
import { report } from './report';
import { askHelper } from './helper';
import { forgetPaints, showState } from './show-state';
import { enqueue, forgetStoredState, navigations, publish, stateOf, storedState, toolbarFailed, type Navigation } from './tab-state';
import { mark } from './timings';

/**
 * The address each tab's page was last fetched from (onResponseStarted), kept apart from the
 * navigations: events may arrive before a navigation is registered, or a navigation may be
 * replaced (options changed, incognito learnt late) after its response started.
 */
const lastAddress = new Map<number, { url: string; ip: string }>();
/** Tabs closed in this session (tab ids are never reused while the browser runs). */
const closedTabs = new Set<number>();

function newNavigation(tabId: number, url: string, target: Target, previous?: Navigation): Navigation {
  const seen = lastAddress.get(tabId);
  return {
    tabId,
    url,
    target,
    pending: null,
    check: null,
    error: null,
    ip: previous?.ip ?? (seen?.url === url ? seen.ip : null),
    tls: previous?.tls ?? null,
    tlsError: previous?.tlsError ?? null,
    cert: null,
    certRunning: null,
    helper: null,
    helperRunning: null,
    loadError: null,
    responded: false,
    blocked: false,
    subhosts: new Map(),
    startedAt: Date.now(),
    problems: [],
  };
}

/** Starts (or restarts) the validation of a navigation's host. */
function startCheck(nav: Navigation, fresh = false): void {
  if (!nav.target.check) return;
  nav.check = null;
  nav.error = null;
  nav.cert = null;
  nav.certRunning = null;
  if (nav.tls?.source === 'helper' && fresh) {
    // "Check again": the helper is asked again too.
    nav.tls = null;
    nav.helper = null;
    nav.helperRunning = null;
  }
  mark(nav.tabId, nav.url, 'validatorStart');
  // A verdict still in the cache is the navigation's state at once: the caller's publish paints it.
  const cached = fresh ? null : engine.peek(nav.target.host, nav.target.port);
  if (cached) {
    nav.check = cached;
    nav.pending = Promise.resolve(cached);
    mark(nav.tabId, nav.url, 'verdict');
    if (nav.tls) void compareCertificate(nav);
    else askHelper(nav);
    return;
  }
  const pending = engine.check(nav.target.host, nav.target.port, { fresh });
  nav.pending = pending;
  pending.then(
    async (check) => {
      if (nav.pending !== pending) return;
      mark(nav.tabId, nav.url, 'verdict');
      nav.check = check;
      // Chrome: whether the helper will be asked is known before the first publish.
      if (!nav.tls) askHelper(nav);
      if (nav.tls && needsCertificate(check)) {
        // The certificate is here already (Firefox reads it with the response headers; the
        // helper may have answered): the first settled state carries the comparison, instead of
        // "not compared" painted for the few ms the comparison takes (compareCertificate publishes).
        await compareCertificate(nav);
        if (nav.cert) return;
      }
      await publish(nav);
      if (nav.tls || nav.tlsError !== null) await compareCertificate(nav);
    },
    async (e: unknown) => {
      if (nav.pending !== pending) return;
      nav.error = e instanceof Error ? e.message : String(e);
      await publish(nav);
    },
  );
}

async function navigate(tabId: number, url: string, incognito: boolean, keepConnection = false): Promise<Navigation> {
  await optionsReady();
  const target = targetOf(url, incognito);
  const previous = navigations.get(tabId);
  const nav = newNavigation(tabId, url, target, keepConnection ? previous : undefined);
  // A navigation queued before its tab was closed must not bring the tab back.
  if (closedTabs.has(tabId)) return nav;
  navigations.set(tabId, nav);
  startCheck(nav);
  // Not awaited: the tab's queue (and Firefox's held response, blocking.ts) need not wait for the paint.
  void publish(nav);
  return nav;
}

/**
 * Chromium: without the user's "allow in incognito" the extension receives no event of a private
 * tab, so every navigation it sees is a normal one (changing that setting reloads the extension).
 */
const incognitoAllowed: Promise<boolean> = Promise.resolve()
  .then(() => browser.extension.isAllowedIncognitoAccess())
  .catch(() => true);

async function incognitoOf(details: { tabId: number; incognito?: boolean }): Promise<boolean> {
  if (typeof details.incognito === 'boolean') return details.incognito;
  if (!(await incognitoAllowed)) return false;
  // Chromium's webRequest details carry no incognito flag and tabs.get fails for a new tab's first
  // navigation: unknown counts as private (never sent to the resolver); tabs.onUpdated then
  // re-evaluates the tab with its real incognito flag.
  return browser.tabs
    .get(details.tabId)
    .then((t) => t.incognito)
    .catch(() => true);
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.check !== b.check || a.host !== b.host) return false;
  return !a.check || !b.check || (a.port === b.port && a.https === b.https);
}

/**
 * The one way to (re)judge a tab from outside its webRequest events:
 * - 'current' (the popup asking, start-up): the state known. After a worker restart that is the
 *   last published state if it is still about the tab's URL (an 'off' state depends only on the
 *   options, which may have changed meanwhile: judged anew); otherwise the tab is judged from its URL.
 * - 'again' (the user's "check again"): nothing learnt before is reused; a known navigation keeps
 *   what the browser told us about its connection.
 */
export async function judgeTab(tabId: number, how: 'current' | 'again', known?: Tabs.Tab): Promise<TabState> {
  if (how === 'current') {
    const nav = navigations.get(tabId);
    if (nav) return stateOf(nav);
    const tab = known ?? (await browser.tabs.get(tabId));
    const last = await storedState(tabId);
    if (last && last.url === tab.url && last.state !== 'off') return last;
    return enqueue(tabId, async () => {
      // webRequest may have reported a navigation meanwhile: keep it.
      const reported = navigations.get(tabId);
      if (reported) return stateOf(reported);
      return stateOf(await navigate(tabId, pageUrlOf(tab.url), tab.incognito));
    });
  }
  await optionsReady();
  const tab = known ?? (await browser.tabs.get(tabId).catch(() => null));
  engine.configure(currentOptions(), true); // nothing learnt before is reused
  return enqueue(tabId, async () => {
    const nav = navigations.get(tabId);
    if (nav) {
      nav.target = targetOf(nav.url, tab?.incognito ?? true);
      startCheck(nav, true);
      return publish(nav);
    }
    const t = tab ?? (await browser.tabs.get(tabId));
    return stateOf(await navigate(tabId, pageUrlOf(t.url), t.incognito));
  });
}

/** Start-up, install, update: every open tab is judged (webRequest saw none of them). */
export async function judgeAllTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.filter((t) => t.id !== undefined).map((t) => judgeTab(t.id!, 'current', t).catch((e: unknown) => report('start-up', e))));
}

// ---------------------------------------------------------------------------------------------
// Browser events (wired in index.ts)

/** webRequest.onBeforeRequest, main_frame: a new top-level navigation. */
export function onMainFrameRequest(details: { tabId: number; url: string; incognito?: boolean }): void {
  void enqueue(details.tabId, async () => navigate(details.tabId, details.url, await incognitoOf(details)));
}

/** webRequest.onResponseStarted, main_frame: the address the browser connected to (both browsers). */
export function onMainFrameResponse(details: { tabId: number; url: string; ip?: string }): void {
  if (!details.ip) {
    // A response from the cache has no address; it still is a page that loaded (the helper may compare).
    void enqueue(details.tabId, () => {
      const nav = navigations.get(details.tabId);
      if (!nav || nav.url !== details.url || nav.responded) return;
      nav.responded = true;
      askHelper(nav);
    });
    return;
  }
  lastAddress.set(details.tabId, { url: details.url, ip: details.ip });
  void enqueue(details.tabId, () => {
    const nav = navigations.get(details.tabId);
    if (!nav || nav.url !== details.url || nav.ip === details.ip) return;
    nav.ip = details.ip!;
    void publish(nav);
    askHelper(nav);
  });
}

/** webRequest.onErrorOccurred, main_frame: the page did not load (no certificate will come). */
export function onMainFrameError(details: { tabId: number; url: string; error: string }): void {
  // Chrome reports a navigation replaced by the block page (or by another one) as aborted.
  if (details.error === 'net::ERR_ABORTED' || details.error === 'NS_BINDING_ABORTED') return;
  void enqueue(details.tabId, () => {
    const nav = navigations.get(details.tabId);
    if (!nav || nav.url !== details.url || nav.loadError === details.error) return;
    nav.loadError = details.error;
    void publish(nav);
  });
}

/** tabs.onUpdated. */
export function onTabUpdated(tabId: number, change: Tabs.OnUpdatedChangeInfoType, tab: Tabs.Tab): void {
  if (change.url !== undefined) {
    const url = change.url;
    void enqueue(tabId, async () => {
      const nav = navigations.get(tabId);
      if (isBlockPage(url) && nav) return void (await publish(nav));
      // A new tab reports its initial about:blank, sometimes after webRequest saw the real navigation.
      if (url === 'about:blank' && nav?.target.check && nav.ip === null && Date.now() - nav.startedAt < 10_000) return;
      await optionsReady();
      const target = targetOf(url, tab.incognito);
      // Same host as the navigation webRequest saw (or an in-page URL change): keep its state.
      if (nav && sameTarget(nav.target, target)) {
        nav.url = url;
        await publish(nav);
        return;
      }
      // A navigation webRequest did not see (back/forward cache, restored tab, worker restart), or
      // the same page judged anew (its incognito flag is known only now): for the same URL keep
      // what the browser told us about the connection.
      await navigate(tabId, url, tab.incognito, nav?.url === url);
    });
  } else if (change.status !== undefined) {
    // Browsers reset per-tab button state on navigation: paint it again.
    const nav = navigations.get(tabId);
    if (nav) void showState(stateOf(nav)).catch((e: unknown) => toolbarFailed(nav, e));
  }
}

/** tabs.onRemoved. */
export function onTabRemoved(tabId: number): void {
  const nav = navigations.get(tabId);
  if (nav) nav.pending = null;
  navigations.delete(tabId);
  lastAddress.delete(tabId);
  closedTabs.add(tabId);
  forgetStoredState(tabId);
  forgetPaints(tabId);
}

/**
 * The options changed (exclusions, resolver or TLSA settings): every known navigation is judged
 * anew, keeping what the browser told us about its connection. Through the tab's queue, so that a
 * navigation that started meanwhile is not replaced by an older one.
 */
export function rejudgeAfterOptionsChange(): void {
  for (const tabId of [...navigations.keys()]) {
    void enqueue(tabId, async () => {
      const nav = navigations.get(tabId);
      if (!nav) return;
      const incognito = (await browser.tabs.get(tabId).catch(() => null))?.incognito ?? true;
      if (navigations.get(tabId) !== nav) return;
      const fresh = newNavigation(tabId, nav.url, targetOf(nav.url, incognito), nav);
      fresh.blocked = nav.blocked;
      fresh.startedAt = nav.startedAt;
      navigations.set(tabId, fresh);
      startCheck(fresh);
      await publish(fresh);
    });
  }
}
