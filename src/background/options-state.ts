/**
 * Options lifecycle of the background: the options in force, read once at start-up and followed
 * through `storage.onChanged`, and the one `Engine` configured from them.
 */
import { defaultOptions, withEnforcementException, type Options } from '../shared/options';
import { loadOptions, onOptionsChanged, saveOptions } from '../shared/options-storage';
import { Engine } from './engine';
import { timedFetch } from './timings';

export const engine = new Engine({ fetch: timedFetch });

let options: Options = defaultOptions();
/** Set once a change arrives: a slower start-up read must not overwrite newer options with older ones. */
let optionsChanged = false;

/** Resolves once the stored options were read (or could not be) and the engine is configured. */
export const optionsReady: Promise<void> = loadOptions()
  .then((o) => {
    if (!optionsChanged) options = o;
  })
  .catch(() => undefined)
  .then(() => engine.configure(options));

/** The options in force now (read `optionsReady` first where the stored ones matter). */
export function currentOptions(): Options {
  return options;
}

/** The block page's "proceed anyway": enforcement is off for this host from now on. */
export async function addEnforcementException(host: string): Promise<void> {
  await optionsReady;
  options = withEnforcementException(options, host);
  await saveOptions(options);
}

/** Follows option changes: the engine is reconfigured first, then `listener` runs. */
export function followOptions(listener: (next: Options) => void): void {
  onOptionsChanged((next) => {
    optionsChanged = true;
    options = next;
    engine.configure(next);
    listener(next);
  });
}
