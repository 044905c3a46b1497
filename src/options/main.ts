import { defaultOptions, resolverUrl, validateOptions, type Options } from '../shared/options';
import { loadOptions, onOptionsChanged, saveOptions } from '../shared/options-storage';
import { SECURITY_STATE_WORDS } from '../shared/message-key';
import { renderSuggestion } from '../ui/generator';
import { applyI18n, t } from '../ui/i18n';
import { send } from '../ui/send';
import { showErrors } from './errors';
import { setUpHelperSection } from './helper';
import { exclusionLines, negativeAnchorLines, fillResolverSelects, readForm, renderExceptions, syncVisibility, writeForm } from './form';

function setStatus(message: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = message;
}

function showExceptions(o: Options): void {
  renderExceptions(o.enforcementExceptions, () => setStatus(''), (host) => t('optionsExceptionRemove', [host]));
}

function show(o: Options): void {
  writeForm(o);
  showExceptions(o);
}

async function save(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const options = readForm();
  const errors = validateOptions(options);
  showErrors(errors, exclusionLines().lineNumbers, negativeAnchorLines().lineNumbers);
  // Invalid input is never saved: the previous settings stay in force.
  if (errors.length > 0) return setStatus(t('optionsHasErrors'));
  await saveOptions(options);
  const banner = document.getElementById('read-error');
  if (banner) banner.hidden = true;
  setStatus(t('optionsSaved'));
}

/** "Test resolver": a real validation of the root DNSKEY set through the chosen primary resolver. */
async function testResolver(): Promise<void> {
  const out = document.getElementById('test-status');
  const button = document.getElementById('test-resolver') as HTMLButtonElement | null;
  if (!out || !button) return;
  const options = readForm();
  const errors = validateOptions(options).filter((e) => e.field === 'resolver' || e.field === 'trustAnchor');
  showErrors(errors, exclusionLines().lineNumbers, negativeAnchorLines().lineNumbers);
  if (errors.length > 0) {
    out.textContent = t('optionsHasErrors');
    return;
  }
  const url = resolverUrl(options.resolver);
  out.className = '';
  out.textContent = t('optionsTestRunning', [url]);
  button.disabled = true;
  try {
    const r = await send({ type: 'testResolver', url, trustAnchor: options.trustAnchor });
    out.className = r.ok ? 'ok' : 'error';
    out.textContent = r.ok
      ? t('optionsTestOk', [String(r.keys), String(Math.round(r.elapsedMs))])
      : t('optionsTestFailed', [r.state, r.reason ?? '']);
  } catch (e) {
    out.className = 'error';
    out.textContent = t('optionsTestFailed', ['error', e instanceof Error ? e.message : String(e)]);
  } finally {
    button.disabled = false;
  }
}


/** The TLSA record generator: records for a pasted PEM chain, compared with the published ones. */
async function generate(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const status = document.getElementById('tool-status')!;
  const output = document.getElementById('tool-output')!;
  const host = (document.getElementById('tool-host') as HTMLInputElement).value.trim();
  const port = Number((document.getElementById('tool-port') as HTMLInputElement).value);
  const pem = (document.getElementById('tool-pem') as HTMLTextAreaElement).value;
  status.className = '';
  status.textContent = t('toolWorking');
  output.replaceChildren();
  let r;
  try {
    r = await send({ type: 'generateTlsa', host, port, pem });
  } catch (e) {
    status.className = 'error';
    status.textContent = t('toolErrorCert', [e instanceof Error ? e.message : String(e)]);
    return;
  }
  if (!r.ok) {
    status.className = 'error';
    status.textContent =
      r.error === 'no-certificate'
        ? t('toolErrorPem')
        : r.error === 'bad-host'
          ? t('toolErrorHost')
          : r.error === 'bad-port'
            ? t('toolErrorPort')
            : t('toolErrorCert', [r.detail]);
    return;
  }
  status.textContent = r.lookup
    ? t('toolLookup', [r.lookup.name, t(SECURITY_STATE_WORDS[r.lookup.state]), String(r.lookup.records.length)])
    : t('toolLookupFailed', [r.lookupError ?? '']);
  const subject = document.createElement('p');
  subject.className = 'help';
  subject.textContent = `${t('popupCertSubject')}: ${r.suggestion.leaf.subject}`;
  output.replaceChildren(subject, renderSuggestion(r.suggestion));
}

async function main(): Promise<void> {
  applyI18n();
  fillResolverSelects();
  const form = document.getElementById('options-form') as HTMLFormElement;
  form.addEventListener('change', syncVisibility);
  form.addEventListener('submit', (event) => void save(event));
  document.getElementById('reset')?.addEventListener('click', () => {
    show(defaultOptions());
    showErrors([], []);
    setStatus('');
  });
  document.getElementById('test-resolver')?.addEventListener('click', () => void testResolver());
  document.getElementById('tool-form')?.addEventListener('submit', (event) => void generate(event));
  void setUpHelperSection();
  try {
    show(await loadOptions());
  } catch (e) {
    // Never silently: the form shows the defaults under a banner saying the saved settings could
    // not be read (the background checks nothing meanwhile); saving replaces them on purpose.
    show(defaultOptions());
    const banner = document.getElementById('read-error');
    if (banner) {
      banner.textContent = t('optionsReadFailed', [e instanceof Error ? e.message : String(e)]);
      banner.hidden = false;
    }
  }
  // "Proceed anyway" on the block page adds exceptions while this page may be open.
  onOptionsChanged((o) => showExceptions(o));
}

void main();
