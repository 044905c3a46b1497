import { defaultOptions, validateOptions } from '../shared/options';
import { loadOptions, saveOptions } from '../shared/options-storage';
import { applyI18n, t } from '../ui/i18n';
import { showErrors } from './errors';
import { exclusionLines, fillResolverSelects, readForm, syncVisibility, writeForm } from './form';

function setStatus(message: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = message;
}

async function save(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const options = readForm();
  const errors = validateOptions(options);
  showErrors(errors, exclusionLines().lineNumbers);
  if (errors.length > 0) return setStatus(t('optionsHasErrors'));
  await saveOptions(options);
  setStatus(t('optionsSaved'));
}

async function main(): Promise<void> {
  applyI18n();
  fillResolverSelects();
  const form = document.getElementById('options-form') as HTMLFormElement;
  form.addEventListener('change', syncVisibility);
  form.addEventListener('submit', (event) => void save(event));
  document.getElementById('reset')?.addEventListener('click', () => {
    writeForm(defaultOptions());
    showErrors([], []);
    setStatus('');
  });
  writeForm(await loadOptions());
}

void main();
