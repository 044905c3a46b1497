/** The background's options (see options-lifecycle.ts) on the browser's storage, and its one `Engine`. */
import type { Target } from '../shared/host-rules';
import type { Options } from '../shared/options';
import { loadOptions, onOptionsChanged, saveOptions } from '../shared/options-storage';
import { Engine } from './engine';
import { sessionAnswerStorage } from './kept-answers';
import { OptionsLifecycle } from './options-lifecycle';
import { timedFetch } from './timings';

export const engine = new Engine({ fetch: timedFetch, answers: sessionAnswerStorage() });

const lifecycle = new OptionsLifecycle({ load: loadOptions, save: saveOptions, onChanged: onOptionsChanged }, engine);

export const optionsReady = (): Promise<void> => lifecycle.ready();
export const currentOptions = (): Options => lifecycle.current();
export const targetOf = (url: string, incognito: boolean): Target => lifecycle.targetOf(url, incognito);
export const addEnforcementException = (host: string): Promise<boolean> => lifecycle.addEnforcementException(host);
export const followOptions = (listener: (next: Options) => void): void => lifecycle.follow(listener);
