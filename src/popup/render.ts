import type { ReasonCode } from '../core/dnssec/result';
import type { MessageKey } from '../shared/message-key';
import type { ChainLinkView, TabDetails, TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';
import { t } from '../ui/i18n';
import { sentenceKeys } from './sentences';

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`popup: #${id} missing`);
  return el as T;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

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

function renderChain(d: TabDetails): void {
  const list = byId('chain');
  list.replaceChildren(...(d.chain.length > 0 ? d.chain.map(chainItem) : [h('li', t('popupNone'), 'muted')]));
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
  if (c.tlsVersion) add('popupCertConnection', c.tlsVersion);
  add('popupCertPkix', t(c.pkix === 'valid' ? 'pkixValid' : c.pkix === 'invalid' ? 'pkixInvalid' : 'pkixUnknown'));
  if (c.hsts !== null) add('popupHsts', t(c.hsts ? 'wordYes' : 'wordNo'));
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

/** Shows one tab's state in the popup. */
export function render(state: TabState): void {
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
  if (d) {
    renderChain(d);
    renderTlsa(d);
    renderCertificate(d);
    renderAddress(d);
    byId('meta').textContent = `${t('popupResolverLabel')}: ${d.resolver} · ${t('popupQueries', [String(d.queries), String(d.elapsedMs)])}`;
  }
  renderOthers(state);

  const dnsviz = byId<HTMLAnchorElement>('dnsviz');
  const checkable = state.host !== null && state.state !== 'off';
  dnsviz.hidden = !checkable;
  if (checkable) dnsviz.href = `https://dnsviz.net/d/${encodeURIComponent(state.host!)}/dnssec/`;
}

export function renderError(): void {
  byId('error').hidden = false;
}
