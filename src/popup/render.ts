/**
 * Shows one tab's state in the popup: the verdict, the two plain sentences, the reason, and the
 * details (chain of trust, TLSA records, generator, certificate, TLS, address, other hosts, what
 * could not be done). Tables in tables.ts, reasons in reasons.ts, the mail section in mail*.ts.
 */
import browser from 'webextension-polyfill';
import { buildChainDiagram, type ChainDiagram, type DiagramRRsetInput } from '../core/chain-diagram';
import type { MessageKey } from '../shared/message-key';
import type { ChainLinkView, TabDetails, TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';
import { byId, h } from '../ui/dom';
import { renderSuggestion } from '../ui/generator';
import { t } from '../ui/i18n';
import { chainSvg, diagramTextFrom, svgToDom } from '../shared/chain-svg';
import { formatDate, formatTime, relative } from './format';
import { certSourceText, metaText, reasonFor } from './reasons';
import { headlineDetailKey, sentenceKeys } from './sentences';
import { ALGORITHMS, CT_WORDS, DIGESTS, PROBLEMS, REASONS, TLS_STATES, TLS_WARNINGS } from './tables';
import { algorithm, stateWord, zoneName } from './words';

function chainItem(link: ChainLinkView): HTMLLIElement {
  const li = h('li', undefined, `zone zone-${link.state}`);
  const head = h('div', undefined, 'zone-head');
  head.append(h('span', zoneName(link.zone), 'zone-name'), ' ', stateWord(link.state));
  if (link.anchor) head.append(' ', h('span', t('popupAnchor'), 'pill pill-anchor'));
  li.append(head);
  const rows = h('dl', undefined, 'pairs small');
  const add = (label: string, value: string) => rows.append(h('dt', label), h('dd', value));
  if (link.keys.length > 0) {
    const algs = [...new Set(link.keys.map((k) => k.algorithm))];
    const sorted = [...link.keys].sort((a, b) => Number(b.sep) - Number(a.sep) || a.keyTag - b.keyTag);
    const keys = sorted.map((k) => `${k.keyTag} ${k.sep ? t('popupKsk') : t('popupZsk')}`).join(', ');
    add(t('popupKeysLabel'), `${keys} · ${algs.map(algorithm).join(', ')}`);
  }
  if (link.ds.length > 0) {
    const digests = [...new Set(link.ds.map((d) => d.digestType))];
    const tags = [...new Set(link.ds.map((d) => d.keyTag))].join(', ');
    add(t('popupDsLabel'), `${tags} · ${digests.map((d) => t('popupDigest', [String(d), DIGESTS[d] ?? '?'])).join(', ')}`);
  }
  if (link.signatureExpiration !== null) add(t('popupSignaturesLabel'), formatDate(link.signatureExpiration));
  if (rows.childElementCount > 0) li.append(rows);
  return li;
}

function diagramText(host: string) {
  return diagramTextFrom((key, subs) => t(key, subs), host, {
    algorithm: (n) => `${n} ${ALGORITHMS[n] ?? '?'}`,
    signedUntil: formatDate,
    expiresSoon: (ms) => relative(ms - Date.now()),
    reason: (code) => (code ? t(REASONS[code]) : t('reasonResolver')),
  });
}

/** The model of the chain picture for a tab (pure; exported for the tests' sake). */
export function diagramFor(host: string, d: TabDetails, now: number): ChainDiagram {
  const rrsets: DiagramRRsetInput[] = [
    { label: 'A/AAAA', name: host, state: d.address.state, result: d.address.result, records: d.address.records, reasonCode: d.address.reasonCode, reason: d.address.reason },
  ];
  if (d.tlsa.enabled) {
    rrsets.push({ label: 'TLSA', name: d.tlsa.name, state: d.tlsa.state, result: d.tlsa.result, records: [], reasonCode: d.tlsa.reasonCode, reason: d.tlsa.reason });
  }
  return buildChainDiagram({
    host,
    chain: d.chain.map((l) => ({ ...l, expiresAt: l.signatureExpiration, reason: l.reason ?? null })),
    rrsets,
    now,
    warnDays: d.expiryWarningDays ?? 7,
  });
}

function renderChain(d: TabDetails, host: string): void {
  const list = byId('chain');
  list.replaceChildren(...(d.chain.length > 0 ? d.chain.map(chainItem) : [h('li', t('popupNone'), 'muted')]));
  const model = diagramFor(host, d, Date.now());
  byId('chain-diagram').replaceChildren(svgToDom(chainSvg(model, diagramText(host))));
  const section = byId<HTMLDetailsElement>('chain-section');
  section.classList.toggle('expiring', model.warnings.length > 0);
  section.classList.toggle('failing', model.failing !== null);
  const warning = byId('expiry-warning');
  const first = model.warnings[0];
  warning.hidden = !first;
  warning.textContent = first ? `⚠ ${t('expiryWarning', [first.zone, relative(first.msLeft), formatDate(first.expiresAt)])}` : '';
}

function renderGenerator(d: TabDetails): void {
  const box = byId('generator');
  if (!d.certificateApi) {
    const open = h('button', t('popupGeneratorOpen'));
    open.type = 'button';
    open.addEventListener('click', () => {
      void browser.tabs.create({ url: browser.runtime.getURL('src/options/index.html#tlsa-tool') }).then(() => window.close());
    });
    box.replaceChildren(h('p', t('popupGeneratorUnavailable'), 'muted'), open);
    return;
  }
  if (!d.generator) {
    box.replaceChildren(h('p', t(d.certificate ? 'tlsaPending' : 'popupCertNotSeen'), 'muted'));
    return;
  }
  box.replaceChildren(renderSuggestion(d.generator));
}

function renderTls(d: TabDetails): void {
  const box = byId('tls');
  if (!d.certificateApi) {
    box.replaceChildren(h('p', t('popupTlsUnavailable'), 'muted'));
    return;
  }
  const f = d.tls;
  if (!f) {
    box.replaceChildren(h('p', t('popupTlsNotSeen'), 'muted'));
    return;
  }
  const dl = h('dl', undefined, 'pairs');
  const add = (label: MessageKey, value: string, warn = false) => {
    const dd = h('dd', warn ? `⚠ ${value}` : value);
    if (warn) dd.className = 'warn-text';
    dl.append(h('dt', t(label)), dd);
  };
  if (f.version) add('tlsProtocol', f.version, f.warnings.includes('old-version'));
  if (f.cipherSuite) add('tlsCipher', f.secretKeyBits ? `${f.cipherSuite} (${f.secretKeyBits} bit)` : f.cipherSuite);
  if (f.keyExchange) add('tlsKeyExchange', f.keyExchange);
  if (f.signatureScheme) add('tlsSignature', f.signatureScheme);
  if (f.hsts !== null) add('popupHsts', t(f.hsts ? 'wordYes' : 'wordNo'), !f.hsts);
  if (f.ocsp !== null) add('tlsOcsp', t(f.ocsp ? 'ocspUsed' : 'ocspNotUsed'));
  if (f.ct) add('tlsCt', t(CT_WORDS[f.ct]), f.warnings.includes('ct'));
  add('tlsBrowserState', t(TLS_STATES[f.state]), f.state !== 'secure');
  const warnings = h('ul', undefined, 'tls-warnings');
  for (const w of f.warnings) {
    const li = h('li', `⚠ ${w === 'old-version' ? t('tlsWarnOldVersion', [f.version ?? '']) : t(TLS_WARNINGS[w])}`, 'warn-text');
    li.dataset.warning = w;
    warnings.append(li);
  }
  box.replaceChildren(dl, ...(f.warnings.length ? [warnings] : []));
}

function renderTlsa(d: TabDetails): void {
  byId('tlsa-name').textContent = t('popupTlsaName', [d.tlsa.name]);
  const list = byId('tlsa-records');
  if (d.tlsa.records.length === 0) {
    list.replaceChildren(h('li', t('popupNone'), 'muted'));
    return;
  }
  list.replaceChildren(
    ...d.tlsa.records.map((r, i) => {
      const li = h('li');
      li.append(h('code', r, 'record'));
      if (d.dane.matchedRecord === i) {
        li.classList.add('matched');
        li.append(' ', h('span', `✓ ${t('popupTlsaMatched')}`, 'pill pill-secure'));
      }
      const notUsed = d.dane.notUsed.find((n) => n.index === i);
      if (notUsed) {
        li.classList.add('not-used');
        li.append(' ', h('span', t(notUsed.why === 'weaker-digest' ? 'popupTlsaNotUsedDigest' : 'popupTlsaUnusable'), 'pill pill-indeterminate'));
      }
      return li;
    }),
  );
}

function renderCertificate(d: TabDetails): void {
  const box = byId('cert');
  const c = d.certificate;
  if (!d.certificateApi && !c) {
    box.replaceChildren(h('p', t(d.helper?.state === 'failed' ? 'tlsaHelperFailed' : 'popupCertUnavailable'), 'muted'));
    return;
  }
  if (!c && d.certificateError) {
    box.replaceChildren(h('p', t('popupCertUnreadable', [d.certificateError]), 'error'));
    return;
  }
  if (!c) {
    box.replaceChildren(h('p', t('popupCertNotSeen'), 'muted'));
    return;
  }
  const dl = h('dl', undefined, 'pairs');
  const add = (label: MessageKey, value: string, mono = false) => {
    const dd = h('dd', value);
    if (mono) dd.className = 'mono';
    dl.append(h('dt', t(label)), dd);
  };
  if (c.subject) add('popupCertSubject', c.subject);
  if (c.issuer) add('popupCertIssuer', c.issuer);
  if (c.notAfter) add('popupCertExpires', formatDate(Date.parse(c.notAfter)));
  if (c.spkiSha256) add('popupCertSpki', c.spkiSha256, true);
  add('popupCertChain', String(c.chainLength));
  add('popupCertPkix', t(c.pkix === 'valid' ? 'pkixValid' : c.pkix === 'invalid' ? 'pkixInvalid' : 'pkixUnknown'));
  // Without the full TLS facts (older background), keep the short connection rows here.
  if (!d.tls && c.tlsVersion) add('popupCertConnection', c.tlsVersion);
  if (!d.tls && c.hsts !== null) add('popupHsts', t(c.hsts ? 'wordYes' : 'wordNo'));
  box.replaceChildren(dl);
}

function renderAddress(d: TabDetails): void {
  byId('connected-ip').textContent = d.connection.ip ?? t('popupAddressUnknown');
  byId('validated-ips').textContent = d.address.records.length > 0 ? d.address.records.join(', ') : t('popupNone');
  const sentence = byId('address-sentence');
  sentence.textContent =
    d.connection.matches === true ? t('popupAddressMatches') : d.connection.matches === false ? t('popupAddressDiffers') : '';
  sentence.className = d.connection.matches === false ? 'warn' : '';
  // A differing address is worth seeing without a click.
  if (d.connection.matches === false) (byId('address-section') as HTMLDetailsElement).open = true;
}

function renderOthers(state: TabState): void {
  const section = byId('others-section');
  const others = state.others ?? [];
  section.hidden = others.length === 0;
  byId('others').replaceChildren(
    ...others.map((o) => {
      const li = h('li');
      li.append(h('span', o.host, 'mono'), ' ', stateWord(o.state));
      return li;
    }),
  );
}

/** What the background could not do for this tab (or at all): what, and the error's own words. */
function renderProblems(state: TabState): void {
  const problems = state.problems ?? [];
  byId('problems').hidden = problems.length === 0;
  byId('problems-list').replaceChildren(
    ...problems.map((p) => {
      const li = h('li');
      li.dataset.where = p.where;
      li.append(h('strong', t(PROBLEMS[p.where])), ': ', h('span', p.message, 'technical'), ' ', h('span', formatTime(p.at), 'small muted'));
      return li;
    }),
  );
}

/** Shows one tab's state in the popup. */
export function render(state: TabState): void {
  const style = styleForVerdict(state.state);
  document.body.dataset.state = state.state;
  const icon = byId<HTMLImageElement>('state-icon');
  icon.src = style.icon[48];
  byId('state-title').textContent = t(style.titleKey);
  byId('state-detail').textContent = t(headlineDetailKey(state));
  byId('host').textContent = state.host ?? t('popupNoHost');
  byId('checked-at').textContent = state.checkedAt === null ? t('popupNotYet') : formatTime(state.checkedAt);
  byId<HTMLButtonElement>('recheck').disabled = state.host === null || state.state === 'off';
  byId('blocked').hidden = !state.blocked;
  byId('error').hidden = true;

  const s = sentenceKeys(state);
  byId('summary').hidden = s === null;
  if (s) {
    byId('dnssec-sentence').textContent = t(s.dnssec);
    byId('tlsa-line').hidden = s.tlsa === null;
    byId('tlsa-sentence').textContent = s.tlsa ? t(s.tlsa) : '';
  }
  const source = state.details ? certSourceText(state.details) : null;
  byId('cert-source').hidden = source === null;
  byId('cert-source').textContent = source ?? '';

  const why = reasonFor(state);
  byId('why').hidden = why === null;
  if (why) {
    byId('why-text').textContent = why.text;
    byId('why-technical').textContent = why.technical ? `${t('popupTechnical')}: ${why.technical}` : '';
    byId('why-technical').hidden = !why.technical;
  }

  const d = state.details ?? null;
  byId('details').hidden = d === null;
  byId('expiry-warning').hidden = true;
  if (d) {
    renderChain(d, state.host ?? '');
    renderTlsa(d);
    renderGenerator(d);
    renderCertificate(d);
    renderTls(d);
    renderAddress(d);
    byId('meta').textContent = metaText(d);
  }
  renderOthers(state);
  renderProblems(state);

  const dnsviz = byId<HTMLAnchorElement>('dnsviz');
  const checkable = state.host !== null && state.state !== 'off';
  dnsviz.hidden = !checkable;
  if (checkable) dnsviz.href = `https://dnsviz.net/d/${encodeURIComponent(state.host!)}/dnssec/`;
}

export function renderError(): void {
  byId('error').hidden = false;
}

