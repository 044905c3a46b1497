/**
 * Bench-only phase timestamps of each tab's navigation (bench/page-load.ts): when the browser
 * reported the navigation, when the validator started, when the first DoH answer came, when the
 * verdict was known, when the toolbar was painted, the pages told and the state stored, and in
 * Firefox how long the blocking onHeadersReceived listener held the response.
 *
 * Off unless a bench turns it on with the message `{ type: 'benchTimings', enable: true }` from
 * an extension page; while off each hook is one boolean test and nothing is kept. The same
 * message without `enable` answers the records. Times are wall-clock milliseconds with sub-ms
 * precision (`performance.timeOrigin + performance.now()`), comparable with a page's navigation
 * timing (`performance.timeOrigin + entry.startTime`).
 */
import type { FetchLike } from '../core/transport/doh';
import { scriptStartedAt } from './started';

export type Phase =
  /** The browser's own time stamp of the main_frame request (webRequest `timeStamp`). */
  | 'event'
  /** Our onBeforeRequest listener ran. */
  | 'handler'
  /** engine.check called for the navigation's host. */
  | 'validatorStart'
  /** The first DoH request sent after validatorStart. */
  | 'firstQuery'
  /** The last DoH request sent before the verdict (how long sending the round's questions took). */
  | 'lastQuery'
  /** The first DoH response after validatorStart (absent when the verdict came from the cache). */
  | 'firstAnswer'
  /** The last DoH response before the verdict: what follows it is verification and our own work. */
  | 'lastAnswer'
  /** The engine's promise settled. */
  | 'verdict'
  /** The certificate chain compared with the TLSA records (Firefox; Chrome with the helper). */
  | 'compared'
  /** The settled state: toolbar painted (setIcon, badge, title resolved). */
  | 'painted'
  /** The settled state: broadcast to the pages sent. */
  | 'broadcast'
  /** The settled state: written to session storage. */
  | 'stored'
  /** Firefox: the blocking onHeadersReceived listener was called. */
  | 'headersIn'
  /** Firefox: getSecurityInfo answered. */
  | 'certRead'
  /** Firefox: the listener returned (the response goes on). */
  | 'headersOut';

export interface TabTimings {
  tabId: number;
  url: string;
  marks: Partial<Record<Phase, number>>;
}

let enabled = false;
/** DoH requests sent while recording. */
let queries = 0;
const byTab = new Map<number, TabTimings>();
/**
 * Tabs whose validator started and whose verdict is not known yet: each DoH request and answer
 * belongs to them (the first one, and the latest answer).
 */
const collecting = new Set<number>();

export const clock = (): number => performance.timeOrigin + performance.now();

export function timingsOn(): boolean {
  return enabled;
}

/** A new top-level navigation of a tab: its record starts over. */
export function markNavigation(tabId: number, url: string, eventAt?: number): void {
  if (!enabled) return;
  const marks: TabTimings['marks'] = { handler: clock() };
  if (eventAt !== undefined) marks.event = eventAt;
  byTab.set(tabId, { tabId, url, marks });
  collecting.delete(tabId);
}

/** Records `phase` for the tab's navigation to `url` (the first time only). */
export function mark(tabId: number, url: string, phase: Phase): void {
  if (!enabled) return;
  let t = byTab.get(tabId);
  if (!t || t.url !== url) {
    t = { tabId, url, marks: {} };
    byTab.set(tabId, t);
  }
  if (t.marks[phase] !== undefined) return;
  t.marks[phase] = clock();
  if (phase === 'validatorStart') collecting.add(tabId);
  if (phase === 'verdict') collecting.delete(tabId);
}

function markQuery(): void {
  const at = clock();
  for (const tabId of collecting) {
    const t = byTab.get(tabId);
    if (!t) continue;
    t.marks.firstQuery ??= at;
    t.marks.lastQuery = at;
  }
}

/** A DoH response arrived (the engine's fetch): the first and, so far, the last answer of every tab waiting for its verdict. */
export function markAnswer(): void {
  if (!enabled || collecting.size === 0) return;
  const at = clock();
  for (const tabId of collecting) {
    const t = byTab.get(tabId);
    if (!t) continue;
    t.marks.firstAnswer ??= at;
    t.marks.lastAnswer = at;
  }
}

/** The engine's fetch: the global one, noting answers for the timings only while they are on. */
export const timedFetch: FetchLike = (input, init) => {
  if (enabled) queries++;
  if (enabled && collecting.size > 0) markQuery();
  const p = (globalThis.fetch as unknown as FetchLike).call(globalThis, input, init);
  if (enabled) void p.then(markAnswer, () => undefined);
  return p;
};

export type TimingsMessage = { type: 'benchTimings'; enable?: boolean };

export function isTimingsMessage(m: unknown): m is TimingsMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'benchTimings';
}

export interface TimingsReport {
  records: TabTimings[];
  /** DoH requests sent since recording was turned on. */
  queries: number;
  /**
   * This background's own start (kept always: three numbers): when the browser created it, when
   * its script began to run and when it had run to the end (listeners registered), wall-clock ms.
   * After the browser stopped an idle worker, the bench compares them with the navigation that
   * woke it.
   */
  background: { createdAt: number; startedAt: number; evaluatedAt: number | null };
}

let evaluatedAt: number | null = null;

/** The background's script has run to its end (index.ts, last line). */
export function markEvaluated(): void {
  evaluatedAt ??= clock();
}

/** `enable: true` turns recording on (and empties it); otherwise answers the records so far. */
export function onTimingsMessage(m: TimingsMessage): Promise<TimingsReport> {
  if (m.enable === true) {
    enabled = true;
    queries = 0;
    byTab.clear();
    collecting.clear();
  } else if (m.enable === false) enabled = false;
  return Promise.resolve({ records: [...byTab.values()], queries, background: { createdAt: performance.timeOrigin, startedAt: scriptStartedAt, evaluatedAt } });
}
