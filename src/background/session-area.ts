/** The browser's session storage (in memory, kept while the browser runs, across restarts of the background), where there is one. */
import browser from 'webextension-polyfill';

export interface SessionArea {
  set(v: Record<string, unknown>): Promise<void>;
  get(k: string): Promise<Record<string, unknown>>;
  remove(k: string): Promise<void>;
}

export function sessionArea(): SessionArea | null {
  return (browser.storage as unknown as { session?: SessionArea }).session ?? null;
}
