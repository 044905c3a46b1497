import browser from 'webextension-polyfill';
import { migrateOptions, type Options } from './options';

/** The one key in `storage.local` that holds the options object. */
export const OPTIONS_STORAGE_KEY = 'options';

export async function loadOptions(): Promise<Options> {
  const stored = await browser.storage.local.get(OPTIONS_STORAGE_KEY);
  return migrateOptions(stored[OPTIONS_STORAGE_KEY]);
}

/** Saves options; callers validate first (see `validateOptions`). */
export async function saveOptions(options: Options): Promise<void> {
  await browser.storage.local.set({ [OPTIONS_STORAGE_KEY]: options });
}

export function onOptionsChanged(listener: (options: Options) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[OPTIONS_STORAGE_KEY];
    if (area === 'local' && change) listener(migrateOptions(change.newValue));
  });
}
