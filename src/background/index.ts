/**
 * Background (Chrome: module service worker; Firefox: event page script). Owns all state:
 *
 * - every top-level navigation (webRequest.onBeforeRequest, main_frame) starts a validation of its
 *   host through the `Engine` (one validator, cached per host with the validated TTLs);
 * - Firefox: a blocking onHeadersReceived takes the certificate chain (getSecurityInfo), waits for
 *   the DNS verdict (bounded), matches the TLSA records and, with enforcement on, sends bogus and
 *   TLSA-mismatch navigations to the block page;
 * - onResponseStarted gives the address the browser connected to (both browsers);
 * - one `Navigation` per tab, replaced on navigation, dropped on tab close; its `TabState` paints
 *   the toolbar button (show-state.ts → styleForVerdict) and answers the pages (shared/messages.ts).
 */
import browser, { type Runtime, type Tabs, type WebRequest } from 'webextension-polyfill';
import { matchTlsa, parseCertificate } from '../core/dane/match';
import { suggestTlsa, type TlsaSuggestion } from '../core/dane/generate';
import { parsePemCertificates } from '../core/dane/pem';
import { tlsaName } from '../core/dane/names';
import { parseName } from '../core/wire/name';
import type { GeneratorResult, MailCheck } from '../shared/messages';
import { mailDomainFor } from './mail-domain';
import { targetFor, type Target } from '../shared/host-rules';
import { isRequest, type Broadcast, type Request, type TabState } from '../shared/messages';
import { defaultOptions, withEnforcementException, type Options } from '../shared/options';
import { loadOptions, onOptionsChanged, saveOptions } from '../shared/options-storage';
import { buildDetails, needsCertificate, type CertOutcome, type TlsInfo } from './details';
import { Engine, type HostCheck } from './engine';
import { showState } from './show-state';
import { hasCertificateApi, securityInfo } from './tls-firefox';

/** How long a Firefox navigation may wait for the DNS verdict before it is let through. */
const ENFORCEMENT_WAIT_MS = 8_000;
/** Other hosts a page loads from that are checked (sub-requests option), per tab. */
const MAX_SUBHOSTS = 24;
const BLOCK_PAGE = 'src/blocked/index.html';

const engine = new Engine();
const certApi = hasCertificateApi();
let options: Options = defaultOptions();
/** Set once a change arrives: a slower start-up read must not overwrite newer options with older ones. */
let optionsChanged = false;
const optionsReady: Promise<void> = loadOptions()
  .then((o) => {
    if (!optionsChanged) options = o;
  })
  .catch(() => undefined)
  .then(() => engine.configure(options));

/** One top-level navigation of one tab. */
interface Navigation {
  tabId: number;
  url: string;
  target: Target;
  pending: Promise<HostCheck> | null;
  check: HostCheck | null;
  error: string | null;
  ip: string | null;
  tls: TlsInfo | null;
  cert: CertOutcome | null;
  certRunning: Promise<void> | null;
  blocked: boolean;
  subhosts: Map<string, TabStateSub>;
  startedAt: number;
}

type TabStateSub = NonNullable<TabState['others']>[number];

const navigations = new Map<number, Navigation>();

/**
 * Per-tab event queue: webRequest and tabs events of one tab are handled in the order they came,
 * although each handler is asynchronous (options loading, tabs.get). Only short steps run in it;
 * waiting for a verdict never does.
 */
const queues = new Map<number, Promise<unknown>>();

function enqueue<T>(tabId: number, step: () => Promise<T> | T): Promise<T> {
  const previous = queues.get(tabId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(step);
  queues.set(tabId, next);
  void next.finally(() => {
    if (queues.get(tabId) === next) queues.delete(tabId);
  });
  return next;
}

// ---------------------------------------------------------------------------------------------
// State → toolbar, pages, session storage

function stateOf(nav: Navigation): TabState {
  const base = { tabId: nav.tabId, url: nav.url, blocked: nav.blocked };
  if (!nav.target.check) {
    return { ...base, host: nav.target.host, state: 'off', checkedAt: null, skip: nav.target.reason, details: null };
  }
  const others = nav.subhosts.size > 0 ? [...nav.subhosts.values()] : undefined;
  if (nav.error !== null) {
    return { ...base, host: nav.target.host, state: 'indeterminate', checkedAt: Date.now(), error: nav.error, details: null, others };
  }
  if (!nav.check) return { ...base, host: nav.target.host, state: 'checking', checkedAt: null, details: null, others };
  const { details, state } = buildDetails({
    check: nav.check,
    https: nav.target.https,
    certApi,
    ip: nav.ip,
    tls: nav.tls,
    cert: nav.cert,
    expiryWarningDays: options.expiryWarningDays,
  });
  return { ...base, host: nav.target.host, state, checkedAt: nav.check.checkedAt, details, others };
}

const sessionKey = (tabId: number) => `tab:${tabId}`;

function sessionArea(): { set(v: Record<string, unknown>): Promise<void>; get(k: string): Promise<Record<string, unknown>>; remove(k: string): Promise<void> } | null {
  return (browser.storage as unknown as { session?: ReturnType<typeof sessionArea> }).session ?? null;
}

async function publish(nav: Navigation): Promise<TabState> {
  const state = stateOf(nav);
  if (navigations.get(nav.tabId) !== nav) return state; // superseded
  await showState(state).catch(() => undefined); // the tab may be gone already
  const message: Broadcast = { type: 'tabStateChanged', state };
  await browser.runtime.sendMessage(message).catch(() => undefined); // no page is listening
  // Chrome may stop the worker (Firefox the event page): keep the last state for the popup.
  await sessionArea()?.set({ [sessionKey(nav.tabId)]: state }).catch(() => undefined);
  return state;
}

// ---------------------------------------------------------------------------------------------
// Navigations

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
    cert: null,
    certRunning: null,
    blocked: false,
    subhosts: new Map(),
    startedAt: Date.now(),
  };
}

/** Starts (or restarts) the validation of a navigation's host. */
function startCheck(nav: Navigation, fresh = false): void {
  if (!nav.target.check) return;
  nav.check = null;
  nav.error = null;
  nav.cert = null;
  nav.certRunning = null;
  const pending = engine.check(nav.target.host, nav.target.port, { fresh });
  nav.pending = pending;
  pending.then(
    async (check) => {
      if (nav.pending !== pending) return;
      nav.check = check;
      await publish(nav);
      if (nav.tls) await compareCertificate(nav);
    },
    async (e: unknown) => {
      if (nav.pending !== pending) return;
      nav.error = e instanceof Error ? e.message : String(e);
      await publish(nav);
    },
  );
}

async function navigate(tabId: number, url: string, incognito: boolean, keepConnection = false): Promise<Navigation> {
  await optionsReady;
  const target = targetFor(url, options, incognito);
  const previous = navigations.get(tabId);
  const nav = newNavigation(tabId, url, target, keepConnection ? previous : undefined);
  // A navigation queued before its tab was closed must not bring the tab back.
  if (closedTabs.has(tabId)) return nav;
  navigations.set(tabId, nav);
  startCheck(nav);
  await publish(nav);
  return nav;
}

/** The generator's records for the presented chain, compared with the validated TLSA RRset. */
function suggestionFor(check: HostCheck, tls: TlsInfo): Promise<TlsaSuggestion | null> {
  if (tls.certs.length === 0) return Promise.resolve(null);
  const t = check.result.tlsa;
  return suggestTlsa({
    chain: tls.certs,
    host: check.host,
    port: check.port,
    owner: check.tlsaEnabled ? t.name : null,
    published: check.tlsaEnabled ? t.records : null,
    publishedState: check.tlsaEnabled ? t.state : null,
  }).catch(() => null);
}

/** Firefox: the TLSA comparison, once both the DNS facts and the certificate chain are known. */
function compareCertificate(nav: Navigation): Promise<void> {
  const check = nav.check;
  const tls = nav.tls;
  if (!check || !tls || nav.cert) return Promise.resolve();
  if (!needsCertificate(check) || tls.certs.length === 0) {
    // Still show the certificate that was seen.
    nav.certRunning ??= (async () => {
      const [leaf, suggestion] = await Promise.all([
        tls.certs[0] ? parseCertificate(tls.certs[0]).catch(() => null) : null,
        suggestionFor(check, tls),
      ]);
      if (leaf && !nav.cert && nav.check === check) {
        nav.cert = { match: { state: 'no-usable-tlsa', reason: 'no TLSA comparison needed' }, leaf, suggestion };
        if (!needsCertificate(check)) await publish(nav);
      }
    })();
    return nav.certRunning;
  }
  nav.certRunning ??= (async () => {
    const [match, leaf, suggestion] = await Promise.all([
      matchTlsa(check.tlsaRecords, { certs: tls.certs }, { host: check.host, pkix: tls.pkix }),
      parseCertificate(tls.certs[0]).catch(() => null),
      suggestionFor(check, tls),
    ]);
    if (nav.check !== check) return;
    nav.cert = { match, leaf, suggestion };
    await publish(nav);
  })();
  return nav.certRunning;
}

async function incognitoOf(details: { tabId: number; incognito?: boolean }): Promise<boolean> {
  if (typeof details.incognito === 'boolean') return details.incognito;
  // Chromium's webRequest details carry no incognito flag and tabs.get fails for a new tab's first
  // navigation: unknown counts as private (never sent to the resolver); tabs.onUpdated then
  // re-evaluates the tab with its real incognito flag.
  return browser.tabs
    .get(details.tabId)
    .then((t) => t.incognito)
    .catch(() => true);
}

function isBlockPage(url: string | undefined): boolean {
  return !!url && url.startsWith(browser.runtime.getURL(BLOCK_PAGE));
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.check !== b.check || a.host !== b.host) return false;
  return !a.check || !b.check || (a.port === b.port && a.https === b.https);
}

// ---------------------------------------------------------------------------------------------
// webRequest

const WEB = { urls: ['http://*/*', 'https://*/*'] };

browser.webRequest.onBeforeRequest.addListener(
  (details) => {
    if (details.tabId < 0) return;
    if (details.type === 'main_frame') {
      void enqueue(details.tabId, async () => navigate(details.tabId, details.url, await incognitoOf(details)));
    } else {
      noteSubrequest(details.tabId, details.url);
    }
  },
  WEB,
);

browser.webRequest.onResponseStarted.addListener(
  (details) => {
    if (!details.ip) return;
    if (details.type === 'main_frame') lastAddress.set(details.tabId, { url: details.url, ip: details.ip });
    void enqueue(details.tabId, () => {
      const nav = navigations.get(details.tabId);
      if (!nav || nav.url !== details.url || nav.ip === details.ip) return;
      nav.ip = details.ip!;
      void publish(nav);
    });
  },
  { ...WEB, types: ['main_frame'] },
);

if (certApi) {
  browser.webRequest.onHeadersReceived.addListener(
    (details) => onHeadersReceived(details),
    { urls: ['https://*/*'], types: ['main_frame'] },
    ['blocking'],
  );
}

async function onHeadersReceived(details: WebRequest.OnHeadersReceivedDetailsType): Promise<WebRequest.BlockingResponse> {
  // getSecurityInfo works only while the request waits in this listener: ask at once.
  const tls = securityInfo(details.requestId).catch(() => null);
  const nav = await enqueue(details.tabId, () => navigations.get(details.tabId));
  if (!nav || nav.url !== details.url || !nav.target.check) return {};
  nav.tls = await tls;
  const ip = (details as { ip?: string }).ip;
  if (ip) nav.ip = ip;
  const host = nav.target.host;
  const work = (async () => {
    await nav.pending?.catch(() => undefined);
    await compareCertificate(nav);
  })();
  if (!options.enforcement || options.enforcementExceptions.includes(host)) {
    void work.then(() => publish(nav));
    return {};
  }
  // Enforcement: wait for the verdict, but never let a page hang on it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ENFORCEMENT_WAIT_MS)))]);
  clearTimeout(timer);
  if (navigations.get(details.tabId) !== nav) return {};
  const state = stateOf(nav);
  if (state.state !== 'bogus' && state.state !== 'tlsa-mismatch') {
    void publish(nav);
    return {};
  }
  nav.blocked = true;
  await publish(nav);
  const reason = state.details?.dane.reason ?? state.details?.address.reason ?? state.details?.tlsa.reason ?? '';
  const params = new URLSearchParams({ url: nav.url, host, state: state.state, reason: reason.slice(0, 500) });
  return { redirectUrl: `${browser.runtime.getURL(BLOCK_PAGE)}?${params.toString()}` };
}

/** Sub-requests option: check the other hosts a page loads from (shown in the popup only). */
function noteSubrequest(tabId: number, url: string): void {
  if (!options.subrequests) return;
  const nav = navigations.get(tabId);
  if (!nav || !nav.target.check) return;
  const target = targetFor(url, options, false);
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

// ---------------------------------------------------------------------------------------------
// Tabs

browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url !== undefined) {
    void enqueue(tabId, async () => {
      const nav = navigations.get(tabId);
      if (isBlockPage(change.url) && nav) return void (await publish(nav));
      // A new tab reports its initial about:blank, sometimes after webRequest saw the real navigation.
      if (change.url === 'about:blank' && nav?.target.check && nav.ip === null && Date.now() - nav.startedAt < 10_000) return;
      await optionsReady;
      const target = targetFor(change.url, options, tab.incognito);
      // Same host as the navigation webRequest saw (or an in-page URL change): keep its state.
      if (nav && sameTarget(nav.target, target)) {
        nav.url = change.url!;
        await publish(nav);
        return;
      }
      // A navigation webRequest did not see (back/forward cache, restored tab, worker restart), or
      // the same page judged anew (its incognito flag is known only now): for the same URL keep
      // what the browser told us about the connection.
      await navigate(tabId, change.url!, tab.incognito, nav?.url === change.url);
    });
  } else if (change.status !== undefined) {
    // Browsers reset per-tab button state on navigation: paint it again.
    const nav = navigations.get(tabId);
    if (nav) void showState(stateOf(nav)).catch(() => undefined);
  }
});

browser.tabs.onRemoved.addListener((tabId) => {
  const nav = navigations.get(tabId);
  if (nav) nav.pending = null;
  navigations.delete(tabId);
  lastAddress.delete(tabId);
  closedTabs.add(tabId);
  void sessionArea()?.remove(sessionKey(tabId)).catch(() => undefined);
});

/**
 * Evaluates a tab from its URL alone (no webRequest seen: start-up, worker restart). With
 * `onlyIfUnknown`, a navigation that webRequest reported meanwhile is kept.
 */
async function evaluateTab(tab: Tabs.Tab, onlyIfUnknown = false): Promise<TabState> {
  const tabId = tab.id ?? browser.tabs.TAB_ID_NONE;
  const url = isBlockPage(tab.url) ? (new URL(tab.url!).searchParams.get('url') ?? tab.url) : tab.url;
  return enqueue(tabId, async () => {
    const known = navigations.get(tabId);
    if (onlyIfUnknown && known) return stateOf(known);
    return stateOf(await navigate(tabId, url ?? '', tab.incognito));
  });
}

async function evaluateAllTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.filter((t) => t.id !== undefined).map((t) => evaluateTab(t, true).catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// Messages from the pages

async function tabState(tabId: number): Promise<TabState> {
  const nav = navigations.get(tabId);
  if (nav) return stateOf(nav);
  const tab = await browser.tabs.get(tabId);
  // After a worker restart: the last published state, if it is still about this URL.
  const stored = (await sessionArea()?.get(sessionKey(tabId)).catch(() => ({}))) as Record<string, TabState> | undefined;
  const last = stored?.[sessionKey(tabId)];
  // An "off" state depends only on the options, which may have changed meanwhile: judge it anew.
  if (last && last.url === tab.url && last.state !== 'off') return last;
  return evaluateTab(tab, true);
}

async function recheck(tabId: number): Promise<TabState> {
  await optionsReady;
  if (!navigations.has(tabId)) return evaluateTab(await browser.tabs.get(tabId));
  const incognito = (await browser.tabs.get(tabId).catch(() => null))?.incognito ?? true;
  engine.configure(options, true); // nothing learnt before is reused
  return enqueue(tabId, async () => {
    const nav = navigations.get(tabId);
    if (!nav) return evaluateTabState(tabId);
    nav.target = targetFor(nav.url, options, incognito);
    startCheck(nav, true);
    return publish(nav);
  });
}

async function evaluateTabState(tabId: number): Promise<TabState> {
  const tab = await browser.tabs.get(tabId);
  return stateOf(await navigate(tabId, tab.url ?? '', tab.incognito));
}

/** The popup's mail section: MX hosts of the tab's registered domain (RFC 7672). */
async function mailCheck(tabId: number): Promise<MailCheck> {
  await optionsReady;
  const nav = navigations.get(tabId);
  if (!nav || !nav.target.check) return { domain: null, state: 'off', result: null, error: null };
  const domain = mailDomainFor(nav.target.host);
  if (!domain) return { domain: null, state: 'no-domain', result: null, error: null };
  // The registered domain is a name of its own: the same host rules apply to it.
  if (!targetFor(`https://${domain}/`, options, false).check) return { domain, state: 'off', result: null, error: null };
  try {
    return { domain, state: 'done', result: await engine.checkMail(domain), error: null };
  } catch (e) {
    return { domain, state: 'error', result: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The options page's TLSA record generator: a pasted PEM chain, compared with the published records. */
async function generateTlsa(hostIn: string, port: number, pem: string): Promise<GeneratorResult> {
  await optionsReady;
  const host = hostIn.trim().replace(/\.$/, '').toLowerCase();
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, error: 'bad-port', detail: String(port) };
  if (!parseName(host) || !tlsaName(host, port)) return { ok: false, error: 'bad-host', detail: hostIn };
  const { certs } = parsePemCertificates(pem);
  if (certs.length === 0) return { ok: false, error: 'no-certificate', detail: '' };
  let lookup: Extract<GeneratorResult, { ok: true }>['lookup'] = null;
  let lookupError: string | null = null;
  const target = targetFor(`https://${host}/`, options, false);
  if (!target.check) lookupError = `not looked up: ${target.reason}`;
  else {
    try {
      lookup = await engine.lookupTlsa(host, port);
    } catch (e) {
      lookupError = e instanceof Error ? e.message : String(e);
    }
  }
  try {
    const suggestion = await suggestTlsa({
      chain: certs,
      host,
      port,
      owner: lookup?.name ?? null,
      published: lookup?.records ?? null,
      publishedState: lookup?.state ?? null,
    });
    return { ok: true, suggestion, lookup, lookupError };
  } catch (e) {
    return { ok: false, error: 'bad-certificate', detail: e instanceof Error ? e.message : String(e) };
  }
}

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'getTabState':
      return tabState(request.tabId);
    case 'recheck':
      return recheck(request.tabId);
    case 'proceedAnyway': {
      await optionsReady;
      options = withEnforcementException(options, request.host);
      await saveOptions(options);
      return { ok: true };
    }
    case 'testResolver':
      return engine.testResolver(request.url, request.trustAnchor);
    case 'checkMail':
      return mailCheck(request.tabId);
    case 'generateTlsa':
      return generateTlsa(request.host, request.port, request.pem);
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id || !isRequest(message)) return undefined;
  return handle(message);
});

// ---------------------------------------------------------------------------------------------
// Options and start-up

onOptionsChanged((next) => {
  optionsChanged = true;
  options = next;
  engine.configure(next);
  // Exclusions, resolver or TLSA settings may have changed: re-evaluate every known navigation,
  // keeping what the browser told us about its connection. Through the tab's queue, so that a
  // navigation that started meanwhile is not replaced by an older one.
  for (const tabId of [...navigations.keys()]) {
    void enqueue(tabId, async () => {
      const nav = navigations.get(tabId);
      if (!nav) return;
      const incognito = (await browser.tabs.get(tabId).catch(() => null))?.incognito ?? true;
      if (navigations.get(tabId) !== nav) return;
      const fresh = newNavigation(tabId, nav.url, targetFor(nav.url, options, incognito), nav);
      fresh.blocked = nav.blocked;
      fresh.startedAt = nav.startedAt;
      navigations.set(tabId, fresh);
      startCheck(fresh);
      await publish(fresh);
    });
  }
});

browser.runtime.onStartup.addListener(() => void evaluateAllTabs());
browser.runtime.onInstalled.addListener(() => void evaluateAllTabs());
