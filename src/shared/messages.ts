/**
 * The message contract between the background and the extension pages (popup, options).
 * Requests go page → background through `runtime.sendMessage`; broadcasts go background → pages.
 */
import { isDisplayState, type DisplayState } from './display-state';

/** What the background knows about one tab. */
export interface TabState {
  tabId: number;
  /** The host name being (or last) checked; null when the tab shows nothing checkable. */
  host: string | null;
  state: DisplayState;
  /** When the current verdict was reached (ms since the epoch); null while checking or off. */
  checkedAt: number | null;
}

export type Request = { type: 'getTabState'; tabId: number } | { type: 'recheck'; tabId: number };

export interface ResponseMap {
  getTabState: TabState;
  recheck: TabState;
}

export type ResponseFor<R extends Request> = ResponseMap[R['type']];

export type Broadcast = { type: 'tabStateChanged'; state: TabState };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isTabId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

export function isRequest(v: unknown): v is Request {
  return isRecord(v) && (v.type === 'getTabState' || v.type === 'recheck') && isTabId(v.tabId);
}

export function isTabState(v: unknown): v is TabState {
  return (
    isRecord(v) &&
    isTabId(v.tabId) &&
    (v.host === null || typeof v.host === 'string') &&
    isDisplayState(v.state) &&
    (v.checkedAt === null || typeof v.checkedAt === 'number')
  );
}

export function isBroadcast(v: unknown): v is Broadcast {
  return isRecord(v) && v.type === 'tabStateChanged' && isTabState(v.state);
}
