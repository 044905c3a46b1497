/** Moves options between the form on index.html and the typed `Options` object. */
import {
  OPTIONS_VERSION,
  RESOLVER_PRESETS,
  RESOLVER_PRESET_IDS,
  type Options,
  type ResolverChoice,
  type ResolverPresetId,
} from '../shared/options';

function el<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`options: #${id} missing`);
  return found as T;
}

/** Adds one <option> per resolver preset to both resolver <select>s, before "custom". */
export function fillResolverSelects(): void {
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-resolver-select]')) {
    const custom = select.querySelector('option[value="custom"]');
    for (const id of RESOLVER_PRESET_IDS) {
      const option = new Option(RESOLVER_PRESETS[id].label, `preset:${id}`);
      option.title = RESOLVER_PRESETS[id].url;
      select.insertBefore(option, custom);
    }
  }
}

function readResolver(selectId: string, urlId: string): ResolverChoice | null {
  const value = el<HTMLSelectElement>(selectId).value;
  if (value === 'none') return null;
  if (value === 'custom') return { kind: 'custom', url: el<HTMLInputElement>(urlId).value.trim() };
  return { kind: 'preset', id: value.slice('preset:'.length) as ResolverPresetId };
}

function writeResolver(selectId: string, urlId: string, choice: ResolverChoice | null): void {
  el<HTMLSelectElement>(selectId).value =
    choice === null ? 'none' : choice.kind === 'custom' ? 'custom' : `preset:${choice.id}`;
  el<HTMLInputElement>(urlId).value = choice?.kind === 'custom' ? choice.url : '';
}

/** The non-blank lines of the exclusions box, with their 1-based line numbers. */
export function exclusionLines(): { values: string[]; lineNumbers: number[] } {
  return textareaLines('exclusions');
}

/** The non-blank lines of the negative trust anchors box, with their 1-based line numbers. */
export function negativeAnchorLines(): { values: string[]; lineNumbers: number[] } {
  return textareaLines('negative-anchors');
}

function textareaLines(id: string): { values: string[]; lineNumbers: number[] } {
  const values: string[] = [];
  const lineNumbers: number[] = [];
  el<HTMLTextAreaElement>(id)
    .value.split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      values.push(line.trim());
      lineNumbers.push(i + 1);
    });
  return { values, lineNumbers };
}

/** The enforcement exceptions shown on the page (edited with the remove buttons). */
let exceptions: string[] = [];

export function currentExceptions(): readonly string[] {
  return exceptions;
}

/** Shows the enforcement exceptions, each with a remove button; `onChange` runs after a removal. */
export function renderExceptions(list: readonly string[], onChange: () => void, label: (host: string) => string): void {
  exceptions = [...list];
  const ul = el<HTMLUListElement>('exceptions');
  ul.replaceChildren(
    ...exceptions.map((host) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'mono';
      name.textContent = host;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link';
      remove.textContent = '✕';
      remove.title = label(host);
      remove.setAttribute('aria-label', label(host));
      remove.addEventListener('click', () => {
        renderExceptions(
          exceptions.filter((h) => h !== host),
          onChange,
          label,
        );
        onChange();
      });
      li.append(name, ' ', remove);
      return li;
    }),
  );
  el('exceptions-row').hidden = exceptions.length === 0;
}

function checkbox(id: string): HTMLInputElement {
  return el<HTMLInputElement>(id);
}

/** The expiry warning period as typed; NaN (refused by validateOptions) when it is not a number. */
function readDays(): number {
  const text = el<HTMLInputElement>('expiry-days').value.trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

export function readForm(): Options {
  const anchorKind = document.querySelector<HTMLInputElement>('input[name="trust-anchor"]:checked')?.value;
  return {
    version: OPTIONS_VERSION,
    resolver: readResolver('resolver', 'resolver-url') ?? { kind: 'preset', id: 'cloudflare' },
    secondaryResolver: readResolver('secondary', 'secondary-url'),
    trustAnchor:
      anchorKind === 'custom'
        ? { kind: 'custom', text: el<HTMLTextAreaElement>('trust-anchor-text').value }
        : { kind: 'builtin' },
    exclusions: exclusionLines().values,
    tlsa: checkbox('tlsa').checked,
    subrequests: checkbox('subrequests').checked,
    enforcement: checkbox('enforcement').checked,
    privateWindows: checkbox('private-windows').checked,
    skipTestDomains: checkbox('skip-test-domains').checked,
    enforcementExceptions: [...exceptions],
    expiryWarningDays: readDays(),
    negativeAnchors: negativeAnchorLines().values,
  };
}

export function writeForm(o: Options): void {
  writeResolver('resolver', 'resolver-url', o.resolver);
  writeResolver('secondary', 'secondary-url', o.secondaryResolver);
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="trust-anchor"]')) {
    radio.checked = radio.value === o.trustAnchor.kind;
  }
  el<HTMLTextAreaElement>('trust-anchor-text').value = o.trustAnchor.kind === 'custom' ? o.trustAnchor.text : '';
  el<HTMLTextAreaElement>('exclusions').value = o.exclusions.join('\n');
  checkbox('tlsa').checked = o.tlsa;
  checkbox('subrequests').checked = o.subrequests;
  checkbox('enforcement').checked = o.enforcement;
  checkbox('private-windows').checked = o.privateWindows;
  checkbox('skip-test-domains').checked = o.skipTestDomains;
  el<HTMLInputElement>('expiry-days').value = String(o.expiryWarningDays);
  el<HTMLTextAreaElement>('negative-anchors').value = o.negativeAnchors.join('\n');
  syncVisibility();
}

/** Shows the URL boxes and the trust anchor text only when "custom" is chosen. */
export function syncVisibility(): void {
  el('resolver-url-row').hidden = el<HTMLSelectElement>('resolver').value !== 'custom';
  el('secondary-url-row').hidden = el<HTMLSelectElement>('secondary').value !== 'custom';
  const anchorKind = document.querySelector<HTMLInputElement>('input[name="trust-anchor"]:checked')?.value;
  el('trust-anchor-row').hidden = anchorKind !== 'custom';
}
