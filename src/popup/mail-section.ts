/**
 * The popup's mail section: the MX hosts of the site's domain are asked from the background when
 * the section is opened, once per host (rendering in mail.ts).
 */
import type { TabState } from '../shared/messages';
import { byId, h } from '../ui/dom';
import { t } from '../ui/i18n';
import { send } from '../ui/send';
import { renderMail } from './mail';

/** Host whose mail servers the section shows (or is loading); reset when the tab's host changes. */
let mailFor: string | null = null;
/** The state on screen. */
let shown: TabState | null = null;

/** The mail section was opened or closed. */
export function mailToggled(): void {
  if (shown && shown.state !== 'off') maybeLoadMail(shown.tabId, shown.host);
}

/** Loads the mail section for the tab if it is open and not loaded for this host yet. */
function maybeLoadMail(tabId: number, host: string | null): void {
  const section = byId<HTMLDetailsElement>('mail-section');
  if (!section.open || host === null || mailFor === host) return;
  mailFor = host;
  const box = byId('mail');
  box.dataset.state = 'checking';
  box.replaceChildren(h('p', t('mailChecking'), 'muted'));
  send({ type: 'checkMail', tabId }).then(
    (m) => {
      if (mailFor === host) renderMail(m);
    },
    (e: unknown) => {
      if (mailFor === host) renderMail({ domain: null, state: 'error', result: null, error: e instanceof Error ? e.message : String(e) });
    },
  );
}

/** A tab state is on screen: the section is emptied when the host changed, loaded when open. */
export function mailForState(state: TabState): void {
  shown = state;
  if (state.host !== mailFor) {
    mailFor = null;
    byId('mail').replaceChildren();
    byId('mail-heading').textContent = t('popupMailHeading');
  }
  if (state.details) maybeLoadMail(state.tabId, state.host);
}
