import { defaultOptions, resolverUrl, validateOptions, type Options } from '../shared/options';
import { loadOptions, onOptionsChanged, saveOptions } from '../shared/options-storage';
import { applyI18n, t } from '../ui/i18n';
import { send } from '../ui/send';
import { showErrors } from './errors';
import { exclusionLines, fillResolverSelects, readForm, renderExceptions, syncVisibility, writeForm } from './form';

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
  showErrors(errors, exclusionLines().lineNumbers);
  // Invalid input is never saved: the previous settings stay in force.
  if (errors.length > 0) return setStatus(t('optionsHasErrors'));
  await saveOptions(options);
  setStatus(t('optionsSaved'));
}

/** "Test resolver": a real validation of the root DNSKEY set through the chosen primary resolver. */
async function testResolver(): Promise<void> {
  const out = document.getElementById('test-status');
  const button = document.getElementById('test-resolver') as HTMLButtonElement | null;
  if (!out || !button) return;
  const options = readForm();
  const errors = validateOptions(options).filter((e) => e.field === 'resolver' || e.field === 'trustAnchor');
  showErrors(errors, exclusionLines().lineNumbers);
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
  show(await loadOptions());
  // "Proceed anyway" on the block page adds exceptions while this page may be open.
  onOptionsChanged((o) => showExceptions(o));
}

void main();
