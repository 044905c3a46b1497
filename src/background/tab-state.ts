/**
 * What the background knows about each tab: one `Navigation` per tab (the current top-level
 * navigation), the per-tab event queue, and publishing a navigation's `TabState` to the toolbar,
 * the pages and session storage.
 */
import browser from 'webextension-polyfill';
import type { Target } from '../shared/host-rules';
import type { Broadcast, HelperProgress, Problem, TabState } from '../shared/messages';
import { buildDetails, needsCertificate, type CertOutcome, type TlsInfo } from './details';
import type { HostCheck } from './engine';
import { currentOptions } from './options-state';
import { problemsWith, report } from './report';
import { sessionArea } from './session-area';
import { showState } from './show-state';
import { mark, timingsOn } from './timings';
import { hasCertificateApi } from './tls-firefox';

/** Can this browser show the server certificate to extensions (Firefox)? */
export const certApi = hasCertificateApi();

/** One top-level navigation of one tab. */
export interface Navigation {
  tabId: number;
  url: string;
  target: Target;
  pending: Promise<HostCheck> | null;
  check: HostCheck | null;
  error: string | null;
  ip: string | null;
  tls: TlsInfo | null;
  /** The browser was asked for the certificate and could not give it (getSecurityInfo failed). */
  tlsError: string | null;
  cert: CertOutcome | null;
  certRunning: Promise<void> | null;
  /** Chrome: the native helper's part (helper.ts); null until asked. */
  helper: HelperProgress | null;
  helperRunning: Promise<void> | null;
  /** Why the page did not load (webRequest.onErrorOccurred). */
  loadError: string | null;
  /** A response arrived without an address (from the cache): the page loaded. */
  responded: boolean;
  blocked: boolean;
  subhosts: Map<string, TabStateSub>;
  startedAt: number;
  /** What could not be done for this navigation (see report.ts). */
  problems: Problem[];
}

export type TabStateSub = NonNullable<TabState['others']>[number];

/** The current navigation of each tab. */
export const navigations = new Map<number, Navigation>();

/**
 * Per-tab event queue: webRequest and tabs events of one tab are handled in the order they came,
 * although each handler is asynchronous (options loading, tabs.get). Only short steps run in it;
 * waiting for a verdict never does.
 */
const queues = new Map<number, Promise<unknown>>();

export function enqueue<T>(tabId: number, step: () => Promise<T> | T): Promise<T> {
  const previous = queues.get(tabId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(step);
  queues.set(tabId, next);
  void next.finally(() => {
    if (queues.get(tabId) === next) queues.delete(tabId);
  });
  return next;
}

export function stateOf(nav: Navigation): TabState {
  const problems = problemsWith(nav.problems);
  const base = { tabId: nav.tabId, url: nav.url, blocked: nav.blocked, ...(problems.length > 0 ? { problems } : {}) };
  if (!nav.target.check) {
    return { ...base, host: nav.target.host, state: 'off', checkedAt: null, skip: nav.target.reason, details: null };
  }
  const others = nav.subhosts.size > 0 ? [...nav.subhosts.values()] : undefined;
  if (nav.error !== null) {
    return { ...base, host: nav.target.host, state: 'indeterminate', checkedAt: Date.now(), error: nav.error, details: null, others };
  }
  if (!nav.check) return { ...base, host: nav.target.host, state: 'checking', checkedAt: null, details: null, others };
  // Firefox: the certificate is here and its comparison (a few ms of local work) is running:
  // still checking, never "not compared" painted for those ms before the outcome.
  if (certApi && nav.tls && !nav.cert && nav.certRunning && needsCertificate(nav.check)) {
    return { ...base, host: nav.target.host, state: 'checking', checkedAt: null, details: null, others };
  }
  const { details, state } = buildDetails({
    check: nav.check,
    https: nav.target.https,
    certApi,
    ip: nav.ip,
    tls: nav.tls,
    tlsError: nav.tlsError,
    cert: nav.cert,
    expiryWarningDays: currentOptions().expiryWarningDays,
    helper: certApi ? null : nav.helper,
    loadError: nav.loadError,
  });
  return { ...base, host: nav.target.host, state, checkedAt: nav.check.checkedAt, details, others };
}

const sessionKey = (tabId: number) => `tab:${tabId}`;

/** Listeners told every state a current navigation publishes (Chrome's after-the-fact blocking). */
const published: ((nav: Navigation, state: TabState) => void)[] = [];

export function onPublish(listener: (nav: Navigation, state: TabState) => void): void {
  published.push(listener);
}

/** Paints the toolbar, tells the open pages and keeps the state for after a worker restart. */
export async function publish(nav: Navigation): Promise<TabState> {
  const state = stateOf(nav);
  if (navigations.get(nav.tabId) !== nav) return state; // superseded
  for (const listener of published) listener(nav, state);
  const settled = timingsOn() && state.state !== 'checking';
  const message: Broadcast = { type: 'tabStateChanged', state };
  // The toolbar and the open pages first, side by side; the copy for after a restart last, so
  // that its write never delays the paint (measured in Firefox: bench/results/page-load.md).
  await Promise.all([
    showState(state)
      .catch((e: unknown) => toolbarFailed(nav, e))
      .then(() => settled && mark(nav.tabId, nav.url, 'painted')),
    browser.runtime
      .sendMessage(message)
      .catch(() => undefined) // rejects when no page is listening (no popup open): not a failure
      .then(() => settled && mark(nav.tabId, nav.url, 'broadcast')),
  ]);
  // Chrome may stop the worker (Firefox the event page): keep the last state for the popup.
  await sessionArea()
    ?.set({ [sessionKey(nav.tabId)]: state })
    .catch((e: unknown) => report('session-storage', e));
  if (settled) mark(nav.tabId, nav.url, 'stored');
  return state;
}

/** Painting the toolbar button failed: a problem unless the tab is gone (closed meanwhile). */
export function toolbarFailed(nav: Navigation, error: unknown): void {
  if (navigations.get(nav.tabId) === nav) report('toolbar', error, nav.problems);
}

/** The last state published for a tab before the worker (event page) was stopped, if any. */
export async function storedState(tabId: number): Promise<TabState | null> {
  const stored = (await sessionArea()
    ?.get(sessionKey(tabId))
    .catch((e: unknown) => {
      report('session-storage', e);
      return {};
    })) as Record<string, TabState> | undefined;
  return stored?.[sessionKey(tabId)] ?? null;
}

export function forgetStoredState(tabId: number): void {
  void sessionArea()
    ?.remove(sessionKey(tabId))
    .catch((e: unknown) => report('session-storage', e));
}
