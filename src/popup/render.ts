import type { TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';
import { t } from '../ui/i18n';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`popup: #${id} missing`);
  return el;
}

function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}

/** Shows one tab's state in the popup. */
export function render(state: TabState): void {
  const style = styleForVerdict(state.state);
  const icon = byId('state-icon') as HTMLImageElement;
  icon.src = style.icon[48];
  byId('state-title').textContent = t(style.titleKey);
  byId('state-detail').textContent = t(style.detailKey);
  byId('host').textContent = state.host ?? t('popupNoHost');
  byId('checked-at').textContent = state.checkedAt === null ? t('popupNotYet') : formatTime(state.checkedAt);
  (byId('recheck') as HTMLButtonElement).disabled = state.host === null;
  byId('error').hidden = true;
}

export function renderError(): void {
  byId('error').hidden = false;
}
