/** Small texts and pills the popup's sections share. */
import type { SecurityState } from '../core/dnssec/result';
import { h } from '../ui/dom';
import { t } from '../ui/i18n';
import { SYMBOL } from '../shared/chain-svg';
import { ALGORITHMS, STATE_WORDS } from './tables';

export function stateWord(state: string): HTMLElement {
  return h('span', t(STATE_WORDS[state] ?? 'wordIndeterminate'), `pill pill-${state}`);
}

export function algorithm(n: number): string {
  return t('popupAlgorithm', [String(n), ALGORITHMS[n] ?? '?']);
}

export function zoneName(zone: string): string {
  return zone === '.' ? `. (${t('popupRootZone')})` : zone.replace(/\.?$/, '.');
}

export function word(state: SecurityState): string {
  return `${SYMBOL[state]} ${t(STATE_WORDS[state] ?? 'wordIndeterminate')}`;
}
