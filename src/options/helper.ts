/**
 * Options page, Chrome only: "Compare certificates with the helper". Turning it on asks Chrome
 * for the optional `nativeMessaging` permission at that moment (a click is the user gesture Chrome
 * requires), then the background shakes hands with the helper: ready, or — missing or outdated —
 * the one command that installs it. Turning it off gives the permission back.
 */
import browser from 'webextension-polyfill';
import { DEV_EXTENSION_ID } from '../shared/helper-protocol';
import type { HelperStatusView } from '../shared/messages';
import { t } from '../ui/i18n';
import { send } from '../ui/send';

const PERMISSION = { permissions: ['nativeMessaging' as const] };

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`options: #${id} missing`);
  return el as T;
}

/** Which Chromium-family browser this is, for the install command's --browser. */
export function browserKind(): 'chrome' | 'chromium' | 'edge' | 'brave' {
  const nav = navigator as Navigator & { userAgentData?: { brands?: { brand: string }[] }; brave?: unknown };
  const brands = (nav.userAgentData?.brands ?? []).map((b) => b.brand);
  if (brands.includes('Microsoft Edge')) return 'edge';
  if (nav.brave !== undefined) return 'brave';
  if (brands.includes('Google Chrome')) return 'chrome';
  return 'chromium';
}

function command(verb: 'install' | 'uninstall'): string {
  const id = browser.runtime.id;
  const extra = verb === 'install' && id !== DEV_EXTENSION_ID ? ` --extension-id ${id}` : '';
  return `npx dnssec-tlsa-helper ${verb} --browser ${browserKind()}${extra}`;
}

function show(view: HelperStatusView | null, denied = false): void {
  const status = byId('helper-status');
  const install = byId('helper-install');
  const toggle = byId<HTMLInputElement>('helper-toggle');
  toggle.checked = view?.permission === true;
  install.hidden = true;
  status.className = '';
  if (!view) return void (status.textContent = t('optionsHelperChecking'));
  if (denied) return void (status.textContent = t('optionsHelperDenied'));
  if (!view.permission) return void (status.textContent = '');
  const s = view.status;
  const showCommand = (verb: 'install' | 'uninstall') => {
    install.hidden = false;
    byId('helper-command').textContent = command(verb);
  };
  switch (s.state) {
    case 'ready':
      status.textContent = t('optionsHelperReady', [s.version]);
      status.className = 'ok';
      byId('helper-command-label').textContent = t('optionsHelperRemove');
      showCommand('uninstall');
      return;
    case 'missing':
    case 'outdated':
      status.textContent = s.state === 'missing' ? t('optionsHelperMissing') : t('optionsHelperOutdated', [s.version]);
      status.className = 'warn';
      byId('helper-command-label').textContent = '';
      showCommand('install');
      return;
    case 'failed':
      status.textContent = t('optionsHelperFailed', [s.message]);
      status.className = 'warn';
      return;
    case 'unknown':
      status.textContent = '';
  }
}

async function refresh(recheck: boolean): Promise<void> {
  show(null);
  show(await send({ type: 'helperStatus', recheck }));
}

/** Shows the section (Chrome only) and wires its checkbox and "check again" button. */
export async function setUpHelperSection(): Promise<void> {
  const first = await send({ type: 'helperStatus' }).catch(() => null);
  if (!first?.applicable) return;
  byId('helper-section').hidden = false;
  show(first);
  byId<HTMLInputElement>('helper-toggle').addEventListener('change', (event) => {
    const on = (event.target as HTMLInputElement).checked;
    if (on) {
      // Called straight from the click: Chrome shows its permission dialog only for a user gesture.
      void browser.permissions.request(PERMISSION).then(
        (granted) => (granted ? refresh(true) : show({ ...first, permission: false }, true)),
        () => show({ ...first, permission: false }, true),
      );
    } else {
      void browser.permissions.remove(PERMISSION).then(() => refresh(false));
    }
  });
  byId('helper-recheck').addEventListener('click', () => void refresh(true));
}
