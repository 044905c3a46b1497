/**
 * The block page (enforcement): why the site was blocked, "go back", and "proceed anyway", which
 * remembers the host as an exception in the options. Everything it shows comes from its URL:
 * ?url=&host=&state=bogus|tlsa-mismatch&reason=, and from Chrome, which cannot hold a request back
 * and sends the tab here once the verdict is known: &after=1, and for a certificate the native
 * helper compared &helper=<address it connected to>.
 */
import browser from 'webextension-polyfill';
import { styleForVerdict } from '../shared/state-style';
import { applyI18n, t } from '../ui/i18n';
import { byId } from '../ui/dom';
import { send } from '../ui/send';

/** Only http(s) URLs may be continued to. */
function safeUrl(text: string | null): string | null {
  if (!text) return null;
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

async function goBack(): Promise<void> {
  if (history.length > 1) {
    history.back();
    return;
  }
  // Opened in a new tab: there is nothing to go back to.
  const tab = await browser.tabs.getCurrent();
  if (tab?.id !== undefined) await browser.tabs.remove(tab.id);
}

function main(): void {
  applyI18n();
  const params = new URLSearchParams(location.search);
  const url = safeUrl(params.get('url'));
  const host = params.get('host') ?? (url ? new URL(url).hostname : '');
  const mismatch = params.get('state') === 'tlsa-mismatch';
  const reason = params.get('reason') ?? '';

  byId<HTMLImageElement>('icon').src = styleForVerdict(mismatch ? 'tlsa-mismatch' : 'bogus').icon[128];
  byId('heading').textContent = t(mismatch ? 'blockedHeadingMismatch' : 'blockedHeadingBogus', [host]);
  byId('explain').textContent = t(mismatch ? 'blockedExplainMismatch' : 'blockedExplainBogus');
  byId('url').textContent = url ?? '';
  byId('technical').textContent = reason;
  byId('technical-box').hidden = reason === '';
  byId('after-load').hidden = params.get('after') !== '1';
  const helperAddress = params.get('helper');
  byId('helper-source').hidden = !helperAddress;
  if (helperAddress) byId('helper-source').textContent = t('blockedHelperSource', [helperAddress]);

  const proceed = byId<HTMLButtonElement>('proceed');
  proceed.textContent = t('blockedProceed', [host]);
  proceed.disabled = url === null || host === '';
  proceed.addEventListener('click', () => {
    if (!url) return;
    proceed.disabled = true;
    void send({ type: 'proceedAnyway', host }).then(
      () => location.replace(url),
      () => {
        proceed.disabled = false;
      },
    );
  });
  byId('back').addEventListener('click', () => void goBack());
  byId('back').focus();
}

main();
