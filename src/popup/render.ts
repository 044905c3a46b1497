import browser from 'webextension-polyfill';
import { buildChainDiagram, type ChainDiagram, type DiagramRRsetInput } from '../core/chain-diagram';
import type { ReasonCode, SecurityState } from '../core/dnssec/result';
import { relativeExpiry } from '../core/expiry';
import type { MailDane, MailHost, MailReasonCode, MailSummary } from '../core/mail';
import type { MessageKey } from '../shared/message-key';
import type { ChainLinkView, MailCheck, ProblemWhere, TabDetails, TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';
import type { TlsFacts, TlsWarning } from '../shared/tls-facts';
import { byId, h } from '../ui/dom';
import { renderSuggestion } from '../ui/generator';
import { t } from '../ui/i18n';
import { send } from '../ui/send';
import { SYMBOL, chainSvg, svgToDom, type DiagramText } from '../shared/chain-svg';
import { sentenceKeys } from './sentences';


function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}

function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

const ALGORITHMS: Record<number, string> = {
  5: 'RSASHA1',
  7: 'RSASHA1-NSEC3-SHA1',
  8: 'RSASHA256',
  10: 'RSASHA512',
  13: 'ECDSAP256SHA256',
  14: 'ECDSAP384SHA384',
  15: 'ED25519',
  16: 'ED448',
};
const DIGESTS: Record<number, string> = { 1: 'SHA-1', 2: 'SHA-256', 4: 'SHA-384' };

const STATE_WORDS: Record<string, MessageKey> = {
  secure: 'wordSecure',
  insecure: 'wordInsecure',
  bogus: 'wordBogus',
  indeterminate: 'wordIndeterminate',
  checking: 'wordChecking',
};

function stateWord(state: string): HTMLElement {
  return h('span', t(STATE_WORDS[state] ?? 'wordIndeterminate'), `pill pill-${state}`);
}

function algorithm(n: number): string {
  return t('popupAlgorithm', [String(n), ALGORITHMS[n] ?? '?']);
}

function zoneName(zone: string): string {
  return zone === '.' ? `. (${t('popupRootZone')})` : zone.replace(/\.?$/, '.');
}

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

const REASONS: Partial<Record<ReasonCode, MessageKey>> = {
  'resolver-error': 'reasonResolver',
  'resolver-rcode': 'reasonResolver',
  'malformed-answer': 'reasonResolver',
  'limit-exceeded': 'reasonLimit',
  'no-trust-anchor': 'reasonAnchor',
  'anchor-no-match': 'reasonAnchor',
  'ds-no-match': 'reasonChain',
  'no-dnskey': 'reasonChain',
  'dnskey-unsigned': 'reasonChain',
  'no-ds-proof': 'reasonChain',
  'unsupported-algorithm': 'reasonAlgorithm',
  'unsupported-digest': 'reasonAlgorithm',
  'negative-trust-anchor': 'reasonNegativeAnchor',
  'missing-rrsig': 'reasonMissingSignature',
  'signature-invalid': 'reasonBadSignature',
  'signer-mismatch': 'reasonBadSignature',
  'labels-invalid': 'reasonBadSignature',
  'no-matching-key': 'reasonBadSignature',
  'signature-expired': 'reasonExpired',
  'signature-not-yet-valid': 'reasonNotYetValid',
  'denial-missing': 'reasonDenial',
  'denial-invalid': 'reasonDenial',
  'wildcard-invalid': 'reasonDenial',
  'nsec3-iterations': 'reasonInsecureDelegation',
  'nsec3-optout': 'reasonInsecureDelegation',
  'insecure-delegation': 'reasonInsecureDelegation',
  'cname-loop': 'reasonAlias',
  'cname-chain-too-long': 'reasonAlias',
  'dname-invalid': 'reasonAlias',
  'unexpected-answer': 'reasonBadSignature',
};

/** The plain-words reason (and the validator's technical sentence) for a state that is not green. */
export function reasonFor(state: TabState): { text: string; technical: string | null } | null {
  if (state.error) return { text: t('reasonError', [state.error]), technical: null };
  const d = state.details;
  if (!d) return null;
  const fromLookup = (l: { reasonCode: ReasonCode | null; reason: string | null }) =>
    l.reasonCode ? { text: t(REASONS[l.reasonCode] ?? 'reasonResolver'), technical: l.reason } : null;
  switch (state.state) {
    case 'bogus':
    case 'indeterminate':
      return (
        (d.address.state === state.state || d.address.state === 'bogus' ? fromLookup(d.address) : null) ??
        fromLookup(d.tlsa) ??
        fromLookup(d.address) ??
        (d.dane.reason ? { text: t('tlsaCertError'), technical: d.dane.reason } : null)
      );
    case 'insecure':
      return fromLookup(d.address);
    case 'tlsa-mismatch':
      return { text: t('reasonTlsaMismatch'), technical: d.dane.reason };
    case 'address-mismatch':
      return { text: t('reasonAddressMismatch'), technical: null };
    default:
      return null;
  }
}

function relative(msLeft: number): string {
  const { value, unit } = relativeExpiry(msLeft);
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(value, unit);
}

function diagramText(host: string): DiagramText {
  return {
    title: t('diagramTitle', [host]),
    stateWord: (s) => t(STATE_WORDS[s] ?? 'wordIndeterminate'),
    anchor: t('popupAnchor'),
    ksk: t('popupKsk'),
    zsk: t('popupZsk'),
    algorithm: (n) => `${n} ${ALGORITHMS[n] ?? '?'}`,
    signedUntil: (ms) => t('diagramSignedUntil', [formatDate(ms)]),
    expiresSoon: (ms) => t('diagramExpiresSoon', [relative(ms - Date.now())]),
    noDs: t('diagramNoDs'),
    delegation: (tags) => t('diagramDelegation', [tags.join(', ')]),
    alias: t('diagramAlias'),
    data: t('diagramData'),
    failsHere: t('diagramFailsHere'),
    reason: (code) => (code ? t(REASONS[code] ?? 'reasonResolver') : t('reasonResolver')),
    answer: (result) => (result === 'data' ? '' : t('diagramNoRecords')),
  };
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

const TLS_WARNINGS: Record<TlsWarning, MessageKey> = {
  'old-version': 'tlsWarnOldVersion',
  weak: 'tlsWarnWeak',
  broken: 'tlsWarnBroken',
  'no-hsts': 'tlsWarnNoHsts',
  ct: 'tlsWarnCt',
};
const TLS_STATES: Record<TlsFacts['state'], MessageKey> = {
  secure: 'tlsStateSecure',
  weak: 'tlsStateWeak',
  broken: 'tlsStateBroken',
  insecure: 'tlsStateInsecure',
  unknown: 'pkixUnknown',
};
const CT_WORDS: Record<NonNullable<TlsFacts['ct']>, MessageKey> = {
  compliant: 'ctCompliant',
  'not-enough-scts': 'ctNotEnough',
  'not-diverse-scts': 'ctNotDiverse',
  'not-applicable': 'ctNotApplicable',
};

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

// ---------------------------------------------------------------------------------------------
// Mail (RFC 7672): loaded when the section is opened, once per host.

const MAIL_DANE: Record<MailDane, { key: MessageKey; symbol: string; pill: string }> = {
  dane: { key: 'mailDaneDane', symbol: '✓', pill: 'secure' },
  'no-tlsa': { key: 'mailDaneNoTlsa', symbol: '–', pill: 'insecure' },
  unusable: { key: 'mailDaneUnusable', symbol: '!', pill: 'indeterminate' },
  'not-applicable': { key: 'mailDaneNotApplicable', symbol: '○', pill: 'insecure' },
  bogus: { key: 'wordBogus', symbol: '✗', pill: 'bogus' },
  indeterminate: { key: 'wordIndeterminate', symbol: '?', pill: 'indeterminate' },
};
const MAIL_REASONS: Record<MailReasonCode, MessageKey> = {
  dane: 'mailReasonDane',
  'no-tlsa': 'mailReasonNoTlsa',
  'unusable-tlsa': 'mailReasonUnusable',
  'mx-insecure': 'mailReasonMxInsecure',
  'address-insecure': 'mailReasonAddressInsecure',
  'tlsa-insecure': 'mailReasonTlsaInsecure',
  'mx-bogus': 'mailReasonBogus',
  'address-bogus': 'mailReasonBogus',
  'tlsa-bogus': 'mailReasonBogus',
  'mx-failed': 'mailReasonFailed',
  'address-failed': 'mailReasonFailed',
  'tlsa-failed': 'mailReasonFailed',
  'no-address': 'mailReasonNoAddress',
};
const MAIL_SUMMARY: Record<MailSummary, MessageKey> = {
  all: 'mailSummaryAll',
  some: 'mailSummarySome',
  none: 'mailSummaryNone',
  'not-applicable': 'mailSummaryNotApplicable',
  bogus: 'mailSummaryBogus',
  indeterminate: 'mailSummaryIndeterminate',
  'no-mail': 'mailSummaryNoMail',
};

function word(state: SecurityState): string {
  return `${SYMBOL[state]} ${t(STATE_WORDS[state] ?? 'wordIndeterminate')}`;
}

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

/** Host whose mail servers the section shows (or is loading); reset when the tab's host changes. */
let mailFor: string | null = null;
/** The state on screen. */
let shown: TabState | null = null;

/** The mail section was opened or closed. */
export function mailToggled(): void {
  if (shown && shown.state !== 'off') maybeLoadMail(shown.tabId, shown.host);
}

/** Loads the mail section for the tab if it is open and not loaded for this host yet. */
export function maybeLoadMail(tabId: number, host: string | null): void {
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
      return li;
    }),
  );
}

function renderCertificate(d: TabDetails): void {
  const box = byId('cert');
  const c = d.certificate;
  if (!d.certificateApi) {
    box.replaceChildren(h('p', t('popupCertUnavailable'), 'muted'));
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

const PROBLEMS: Record<ProblemWhere, MessageKey> = {
  'options-read': 'problemOptionsRead',
  'certificate-read': 'problemCertificateRead',
  'certificate-parse': 'problemCertificateParse',
  toolbar: 'problemToolbar',
  'session-storage': 'problemSessionStorage',
  generator: 'problemGenerator',
  'start-up': 'problemStartUp',
};

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
  shown = state;
  const style = styleForVerdict(state.state);
  document.body.dataset.state = state.state;
  const icon = byId<HTMLImageElement>('state-icon');
  icon.src = style.icon[48];
  byId('state-title').textContent = t(style.titleKey);
  byId('state-detail').textContent = t(style.detailKey);
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
  if (state.host !== mailFor) {
    mailFor = null;
    byId('mail').replaceChildren();
    byId('mail-heading').textContent = t('popupMailHeading');
  }
  if (d) {
    renderChain(d, state.host ?? '');
    renderTlsa(d);
    renderGenerator(d);
    renderCertificate(d);
    renderTls(d);
    renderAddress(d);
    maybeLoadMail(state.tabId, state.host);
    byId('meta').textContent = `${t('popupResolverLabel')}: ${d.resolver} · ${t('popupQueries', [String(d.queries), String(d.elapsedMs)])}`;
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
