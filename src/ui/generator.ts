/**
 * Shows the TLSA record generator's output (src/core/dane/generate.ts): the zone-file lines,
 * which are published, a note per record type and the advice. Used by the popup (the certificate
 * the browser received) and the options page (a pasted PEM chain).
 */
import type { Advice, AdviceCode, SuggestedKind, TlsaSuggestion } from '../core/dane/generate';
import type { MessageKey } from '../shared/message-key';
import { h } from './dom';
import { t } from './i18n';


const ADVICE: Record<AdviceCode, { key: MessageKey; tone: 'ok' | 'warn' | 'info' }> = {
  'current-published': { key: 'adviceCurrentPublished', tone: 'ok' },
  'not-published': { key: 'adviceNotPublished', tone: 'warn' },
  'none-published': { key: 'adviceNonePublished', tone: 'warn' },
  'tlsa-unsigned': { key: 'adviceUnsigned', tone: 'warn' },
  'tlsa-bogus': { key: 'adviceBogus', tone: 'warn' },
  'tlsa-unknown': { key: 'adviceUnknown', tone: 'warn' },
  'extra-records': { key: 'adviceExtra', tone: 'info' },
  'single-record': { key: 'adviceSingle', tone: 'info' },
  'no-issuer': { key: 'adviceNoIssuer', tone: 'info' },
  rollover: { key: 'adviceRollover', tone: 'info' },
};

const SYMBOL = { ok: '✓', warn: '⚠', info: 'ℹ' } as const;

function adviceText(a: Advice): string {
  const { key } = ADVICE[a.code];
  if (a.code === 'extra-records') {
    const short = (a.records ?? []).map((r) => {
      const f = r.split(' ');
      const hex = f[3] ?? '';
      return `${f.slice(0, 3).join(' ')} ${hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex}`;
    });
    return t(key, [short.join('; ')]);
  }
  return t(key);
}

function note(kind: SuggestedKind, issuer: string): string {
  if (kind === '311') return t('generatorNote311');
  if (kind === '301') return t('generatorNote301');
  return t('generatorNote211', [issuer]);
}

/** The common name of a distinguished name, or the whole name. */
function cn(dn: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? dn;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = t('wordCopied');
  } catch {
    // No clipboard access (no user gesture, or refused): the text stays selectable.
  }
}

export function renderSuggestion(s: TlsaSuggestion): HTMLElement {
  const box = h('div', undefined, 'generator');
  const list = h('ul', undefined, 'gen-records');
  for (const r of s.records) {
    const li = h('li', undefined, 'gen-record');
    li.dataset.kind = r.kind;
    li.dataset.published = r.published === null ? 'unknown' : String(r.published);
    const head = h('div', undefined, 'gen-head');
    head.append(h('strong', `${r.usage} ${r.selector} ${r.matchingType}`));
    if (r.published !== null) {
      head.append(
        ' ',
        r.published
          ? h('span', `✓ ${t('generatorPublished')}`, 'pill pill-secure')
          : h('span', `○ ${t('generatorNotPublished')}`, 'pill pill-insecure'),
      );
    }
    const button = h('button', t('wordCopy'), 'link copy');
    button.type = 'button';
    button.addEventListener('click', () => void copy(r.line, button));
    head.append(' ', button);
    li.append(head, h('code', r.line, 'record gen-line'), h('p', note(r.kind, cn(s.issuer?.subject ?? '')), 'gen-note'));
    list.append(li);
  }
  const advice = h('ul', undefined, 'gen-advice');
  for (const a of s.advice) {
    const { tone } = ADVICE[a.code];
    const li = h('li', `${SYMBOL[tone]} ${adviceText(a)}`, `advice advice-${tone}`);
    li.dataset.code = a.code;
    advice.append(li);
  }
  box.append(list, advice);
  return box;
}
