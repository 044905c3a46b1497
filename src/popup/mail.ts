/** The popup's mail section (RFC 7672): rendering only; mail-section.ts asks the background. */
import type { MailHost } from '../core/mail';
import type { MailCheck } from '../shared/messages';
import { byId, h } from '../ui/dom';
import { t } from '../ui/i18n';
import { MAIL_DANE, MAIL_REASONS, MAIL_SUMMARY } from './tables';
import { stateWord, word } from './words';

function mailHost(m: MailHost): HTMLLIElement {
  const li = h('li', undefined, `mail-host mail-${m.dane}`);
  li.dataset.host = m.host;
  li.dataset.dane = m.dane;
  const v = MAIL_DANE[m.dane];
  const head = h('div', undefined, 'mail-head');
  head.append(h('span', String(m.preference), 'mail-pref'), ' ', h('span', m.host, 'mono zone-name'), ' ', h('span', `${v.symbol} ${t(v.key)}`, `pill pill-${v.pill}`));
  const facts = h('p', t('mailHostLine', [word(m.address.state), word(m.tlsa.state), m.tlsa.name]), 'small muted');
  const why = h('p', t(MAIL_REASONS[m.reasonCode]), 'small');
  why.title = m.reason;
  li.append(head, facts, why);
  for (const r of m.tlsa.records) li.append(h('code', r, 'record small'));
  return li;
}

export function renderMail(m: MailCheck): void {
  const box = byId('mail');
  byId('mail-heading').textContent = m.domain ? t('popupMailHeadingDomain', [m.domain]) : t('popupMailHeading');
  box.dataset.state = m.state;
  if (m.state === 'off') return void box.replaceChildren(h('p', t('mailOff'), 'muted'));
  if (m.state === 'no-domain') return void box.replaceChildren(h('p', t('mailNoDomain'), 'muted'));
  if (m.state === 'error' || !m.result) return void box.replaceChildren(h('p', t('mailError', [m.error ?? '']), 'error'));
  const r = m.result;
  box.dataset.summary = r.summary;
  const mx = h('p', undefined, 'mail-mx');
  mx.append(h('strong', t('mailMxLabel')), ' ', stateWord(r.mx.state));
  if (r.nullMx) mx.append(' ', t('mailNullMx'));
  else if (r.implicitMx) mx.append(' ', t('mailImplicit'));
  const summary = h('p', t(MAIL_SUMMARY[r.summary]), `mail-summary mail-summary-${r.summary}`);
  const list = h('ul', undefined, 'records mail-hosts');
  list.append(...r.hosts.map(mailHost));
  const parts: HTMLElement[] = [mx, summary, list];
  if (r.skippedHosts > 0) parts.push(h('p', t('mailSkipped', [String(r.skippedHosts)]), 'small muted'));
  box.replaceChildren(...parts);
}
