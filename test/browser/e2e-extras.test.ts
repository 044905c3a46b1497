/**
 * More end-to-end checks in Chromium and Firefox ESR against the offline world:
 * - options round-trip through the options page itself: every option set in the form, saved,
 *   the page reloaded, every value read back (form and storage); bad input (a resolver URL that
 *   is not HTTPS or not a URL, a trust anchor that does not parse, a bad exclusion) shows a clear
 *   message next to its field and keeps the saved settings;
 * - the sub-requests option: a world page loads resources from other world hosts, the popup lists
 *   them with their DNSSEC state (and does not when the option is off);
 * - the address-mismatch state (Chromium): the browser is made to connect to another world site's
 *   address (--host-resolver-rules through the harness, certificate errors ignored over CDP), so
 *   the connected address is not among the validated A records;
 * - kept answers: after the background was stopped (as both browsers do after 30 s idle), a
 *   site seen before is judged again without a question to the resolver (its log).
 * Screenshots: test/artifacts/screenshots/<browser>/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  closeTab,
  configure,
  ext,
  openTab,
  showPopup,
  storedOptions,
  tabState,
  toolbar,
  waitFor,
  worldOptions,
} from './extension';
import { RRType } from '../../src/core/wire/types';
import type { TabState } from '../../src/shared/messages';
import type { World } from '../world/world.mjs';
import { readWorld } from '../world/world.mjs';
import {
  POPUP_VIEWPORT,
  gotoExtensionPage,
  launchChromium,
  launchFirefox,
  openExtensionPage,
  screenshot,
  type BrowserName,
  type LaunchOptions,
  type LaunchedBrowser,
} from './harness';

const REPO = path.resolve(import.meta.dirname, '..', '..');

function ensureBuild(): void {
  const missing = ['chrome', 'firefox'].some((b) => !fs.existsSync(path.join(REPO, 'dist', b, 'src', 'blocked', 'index.html')));
  if (missing) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe', timeout: 180_000 });
}

const en = Object.fromEntries(
  Object.entries(
    JSON.parse(fs.readFileSync(path.join(REPO, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>,
  ).map(([k, v]) => [k, v.message]),
);

function siteUrl(world: World, caseId: string): { host: string; url: string; ip: string } {
  const s = world.sites.find((x) => x.case === caseId);
  if (!s) throw new Error(`no world site for ${caseId}`);
  return { host: s.host, ip: s.ip, url: `https://${s.host}${s.port === 443 ? '' : `:${s.port}`}/` };
}

// ---------------------------------------------------------------------------------------------
// The options page, driven like a person would

const OPTIONS_PAGE = 'src/options/index.html';

async function openOptions(b: LaunchedBrowser): Promise<Page> {
  const page = await openExtensionPage(b, OPTIONS_PAGE, { width: 800, height: 1000 });
  // Loaded: main.ts has filled the resolver presets and written the stored options into the form.
  await page.waitForFunction('document.querySelectorAll("#resolver option").length > 1 && document.getElementById("resolver").value !== ""', {
    timeout: 10_000,
  });
  return page;
}

/** Sets a text field's value as typing would (input + change events). */
async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (e, v) => {
      const el = e as HTMLInputElement | HTMLTextAreaElement;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

async function choose(page: Page, selector: string, value: string): Promise<void> {
  await page.select(selector, value);
  await page.$eval(selector, (e) => e.dispatchEvent(new Event('change', { bubbles: true })));
}

/** Clicks a checkbox or radio until it has the wanted state. */
async function setChecked(page: Page, selector: string, checked: boolean): Promise<void> {
  if ((await page.$eval(selector, (e) => (e as HTMLInputElement).checked)) !== checked) await page.click(selector);
  expect(await page.$eval(selector, (e) => (e as HTMLInputElement).checked)).toBe(checked);
}

async function save(page: Page): Promise<string> {
  await page.$eval('#status', (e) => {
    e.textContent = '';
  });
  await page.click('button[type=submit]');
  await page.waitForFunction('document.getElementById("status")?.textContent !== ""', { timeout: 5_000 });
  return page.$eval('#status', (e) => e.textContent ?? '');
}

interface FormValues {
  resolver: string;
  resolverUrl: string;
  secondary: string;
  secondaryUrl: string;
  anchor: string | undefined;
  anchorText: string;
  tlsa: boolean;
  subrequests: boolean;
  enforcement: boolean;
  privateWindows: boolean;
  exclusions: string;
  skipTest: boolean;
  /** Options added later; null when this build's page does not have them. */
  expiryDays: string | null;
  negativeAnchors: string | null;
}

function readFormValues(page: Page): Promise<FormValues> {
  return page.evaluate(() => {
    const v = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.value ?? '';
    const c = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.checked ?? false;
    return {
      resolver: v('resolver'),
      resolverUrl: v('resolver-url'),
      secondary: v('secondary'),
      secondaryUrl: v('secondary-url'),
      anchor: (document.querySelector('input[name="trust-anchor"]:checked') as HTMLInputElement | null)?.value,
      anchorText: v('trust-anchor-text'),
      tlsa: c('tlsa'),
      subrequests: c('subrequests'),
      enforcement: c('enforcement'),
      privateWindows: c('private-windows'),
      exclusions: v('exclusions'),
      skipTest: c('skip-test-domains'),
      expiryDays: document.getElementById('expiry-days') ? v('expiry-days') : null,
      negativeAnchors: document.getElementById('negative-anchors') ? v('negative-anchors') : null,
    };
  });
}

/** The visible error text of a field ('' when hidden). */
function fieldError(page: Page, field: string): Promise<string> {
  return page.$eval(`#${field}-error`, (e) => ((e as HTMLElement).hidden ? '' : (e.textContent ?? '')));
}

// ---------------------------------------------------------------------------------------------

const BROWSERS: [BrowserName, (o: LaunchOptions) => Promise<LaunchedBrowser>, string][] = [
  ['chromium', launchChromium, 'chrome'],
  ['firefox', launchFirefox, 'firefox'],
];

describe.each(BROWSERS)('%s extras', (name, launch, distName) => {
  let b: LaunchedBrowser;
  let helper: Page;
  let world: World;

  beforeAll(async () => {
    ensureBuild();
    world = readWorld();
    b = await launch({ extensionDir: path.join(REPO, 'dist', distName), world });
    helper = await openExtensionPage(b, OPTIONS_PAGE);
  }, 90_000);

  afterAll(async () => {
    await b?.close();
  }, 30_000);

  test('options round-trip through the options page: every option set, saved, reloaded, read back', async () => {
    const anchorText = fs.readFileSync(world.trustAnchor.zone, 'utf8');
    const page = await openOptions(b);
    // A fresh profile shows the defaults.
    const initial = await readFormValues(page);
    expect(initial).toMatchObject({ resolver: 'preset:cloudflare', secondary: 'preset:quad9', anchor: 'builtin', tlsa: true, subrequests: false });
    expect(initial).toMatchObject({ enforcement: false, privateWindows: false, skipTest: true, exclusions: '' });

    // Pass 1: custom resolvers and trust anchor, every switch flipped.
    await choose(page, '#resolver', 'custom');
    await fill(page, '#resolver-url', world.resolvers.unbound.doh);
    await choose(page, '#secondary', 'custom');
    await fill(page, '#secondary-url', world.resolvers.bind.doh);
    await page.click('input[name="trust-anchor"][value="custom"]');
    await fill(page, '#trust-anchor-text', anchorText);
    await setChecked(page, '#tlsa', false);
    await setChecked(page, '#subrequests', true);
    await setChecked(page, '#enforcement', true);
    await setChecked(page, '#private-windows', true);
    await setChecked(page, '#skip-test-domains', false);
    await fill(page, '#exclusions', '*.Excluded.test\n\nintranet.example.org.\n');
    const { expiryDays, negativeAnchors } = await readFormValues(page);
    const hasExpiry = expiryDays !== null;
    const hasNegative = negativeAnchors !== null;
    if (hasExpiry) await fill(page, '#expiry-days', '30');
    if (hasNegative) await fill(page, '#negative-anchors', 'broken.example.org\nexpired.test');
    expect(await save(page)).toBe(en.optionsSaved);
    await page.close();

    const stored = await storedOptions(helper);
    expect(stored).toMatchObject({
      resolver: { kind: 'custom', url: world.resolvers.unbound.doh },
      secondaryResolver: { kind: 'custom', url: world.resolvers.bind.doh },
      trustAnchor: { kind: 'custom', text: anchorText },
      tlsa: false,
      subrequests: true,
      enforcement: true,
      privateWindows: true,
      skipTestDomains: false,
      exclusions: ['*.Excluded.test', 'intranet.example.org.'],
    });
    if (hasExpiry) expect(stored).toMatchObject({ expiryWarningDays: 30 });
    if (hasNegative) expect(stored).toMatchObject({ negativeAnchors: ['broken.example.org', 'expired.test'] });

    const reloaded = await openOptions(b);
    expect(await readFormValues(reloaded)).toEqual({
      resolver: 'custom',
      resolverUrl: world.resolvers.unbound.doh,
      secondary: 'custom',
      secondaryUrl: world.resolvers.bind.doh,
      anchor: 'custom',
      anchorText,
      tlsa: false,
      subrequests: true,
      enforcement: true,
      privateWindows: true,
      exclusions: '*.Excluded.test\nintranet.example.org.',
      skipTest: false,
      expiryDays: hasExpiry ? '30' : null,
      negativeAnchors: hasNegative ? 'broken.example.org\nexpired.test' : null,
    });
    // Only the chosen rows are shown: both URL boxes and the anchor text.
    expect(await reloaded.evaluate(() => ['resolver-url-row', 'secondary-url-row', 'trust-anchor-row'].map((id) => document.getElementById(id)?.hidden))).toEqual([
      false,
      false,
      false,
    ]);

    // Pass 2: presets, no secondary, the built-in anchor, switches back.
    await choose(reloaded, '#resolver', 'preset:quad9');
    await choose(reloaded, '#secondary', 'none');
    await reloaded.click('input[name="trust-anchor"][value="builtin"]');
    await setChecked(reloaded, '#tlsa', true);
    await setChecked(reloaded, '#subrequests', false);
    await setChecked(reloaded, '#enforcement', false);
    await setChecked(reloaded, '#private-windows', false);
    await setChecked(reloaded, '#skip-test-domains', true);
    await fill(reloaded, '#exclusions', '');
    if (hasNegative) await fill(reloaded, '#negative-anchors', '');
    expect(await save(reloaded)).toBe(en.optionsSaved);
    await reloaded.close();
    expect(await storedOptions(helper)).toMatchObject({
      resolver: { kind: 'preset', id: 'quad9' },
      secondaryResolver: null,
      trustAnchor: { kind: 'builtin' },
      tlsa: true,
      subrequests: false,
      enforcement: false,
      privateWindows: false,
      skipTestDomains: true,
      exclusions: [],
      ...(hasNegative ? { negativeAnchors: [] } : {}),
    });
    const again = await openOptions(b);
    expect(await readFormValues(again)).toMatchObject({ resolver: 'preset:quad9', secondary: 'none', anchor: 'builtin', tlsa: true, subrequests: false, exclusions: '' });
    expect(await again.evaluate(() => ['resolver-url-row', 'secondary-url-row', 'trust-anchor-row'].map((id) => document.getElementById(id)?.hidden))).toEqual([
      true,
      true,
      true,
    ]);
    await again.close();
  }, 60_000);

  test('options: bad input shows a clear message next to its field and keeps the saved settings', async () => {
    const good = worldOptions(world);
    await configure(helper, good);
    const page = await openOptions(b);
    const before = await readFormValues(page);
    expect(before).toMatchObject({ resolver: 'custom', resolverUrl: world.resolvers.unbound.doh, anchor: 'custom' });

    const cases: { field: string; set: () => Promise<void>; message: RegExp | string }[] = [
      { field: 'resolver', set: () => fill(page, '#resolver-url', 'http://127.0.54.2/dns-query'), message: en.errorUrlNotHttps! },
      { field: 'resolver', set: () => fill(page, '#resolver-url', 'not a resolver'), message: en.errorUrlInvalid! },
      { field: 'resolver', set: () => fill(page, '#resolver-url', 'https://127.0.54.2/dns-query?dns=AAAB'), message: en.errorUrlNotDoh! },
      {
        field: 'trustAnchor',
        set: () => fill(page, '#trust-anchor-text', '. IN A 192.0.2.1'),
        message: /^Line 1 of the trust anchor cannot be used: \S/,
      },
      { field: 'trustAnchor', set: () => fill(page, '#trust-anchor-text', '   '), message: en.errorTrustAnchorEmpty! },
      { field: 'exclusions', set: () => fill(page, '#exclusions', 'ok.example\nnot a host name'), message: /not a host name/ },
    ];
    for (const c of cases) {
      // Start from the good form each time, then break one field.
      await fill(page, '#resolver-url', world.resolvers.unbound.doh);
      await fill(page, '#trust-anchor-text', good.trustAnchor.kind === 'custom' ? good.trustAnchor.text : '');
      await fill(page, '#exclusions', '');
      await c.set();
      expect(await save(page)).toBe(en.optionsHasErrors);
      const shown = await fieldError(page, c.field);
      if (typeof c.message === 'string') expect(shown).toBe(c.message);
      else expect(shown).toMatch(c.message);
      // The broken field is marked for assistive technology and has the focus.
      const marked = await page.evaluate(() => {
        const a = document.activeElement;
        return { id: a?.id ?? '', invalid: a?.getAttribute('aria-invalid') ?? '' };
      });
      expect(marked.invalid).toBe('true');
      expect(await storedOptions(helper)).toEqual(good);
    }
    await screenshot(page, 'options-errors');
    await page.close();
    // Reloaded: the old, good settings are still there.
    const reloaded = await openOptions(b);
    expect(await readFormValues(reloaded)).toEqual(before);
    await reloaded.close();
  }, 60_000);

  test('sub-requests: other hosts a page loads from are listed in the popup with their DNSSEC state', async () => {
    const main = siteUrl(world, 'alg13-www');
    const others: Record<string, string> = {
      [siteUrl(world, 'alg8-www').host]: 'secure',
      [siteUrl(world, 'insecure-nsec').host]: 'insecure',
      [siteUrl(world, 'bogus-corrupt-rrsig').host]: 'bogus',
    };
    const load = async (subrequests: boolean): Promise<number> => {
      await configure(helper, worldOptions(world, { subrequests }));
      const page = await b.browser.newPage();
      await page.goto(main.url, { waitUntil: 'load' });
      const tabId = await ext<number>(helper, 'const [t] = await api.tabs.query({ url: arg }); return t.id;', main.url);
      // The page fetches an image from each other world host (they answer with HTML: the image
      // fails, the request is made all the same).
      // A fresh query string each time: a response cached by the earlier load would make no request.
      await page.evaluate((hosts: string[], nonce: string) => {
        for (const h of hosts) {
          const img = document.createElement('img');
          img.src = `https://${h}/pixel.png?${nonce}`;
          document.body.append(img);
        }
      }, Object.keys(others), `${subrequests}-${Date.now()}`);
      return tabId;
    };

    // Off (the default): nothing beyond the page's own host is looked up.
    const offTab = await load(false);
    await waitFor('verdict', () => tabState(helper, offTab), (s) => s.host === main.host && s.state !== 'checking');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await tabState(helper, offTab)).others ?? []).toEqual([]);
    await closeTab(helper, offTab);

    const tabId = await load(true);
    const state = await waitFor(
      'sub-request verdicts',
      () => tabState(helper, tabId),
      (s) => Object.keys(others).every((h) => s.others?.some((o) => o.host === h && o.state !== 'checking')),
    );
    expect(Object.fromEntries((state.others ?? []).map((o) => [o.host, o.state]))).toEqual(others);
    expect(state.host).toBe(main.host);

    const popup = await b.browser.newPage();
    await popup.setViewport(POPUP_VIEWPORT);
    await showPopup(b, popup, tabId);
    await popup.waitForFunction('!document.getElementById("others-section").hidden', { timeout: 10_000 });
    const listed = await popup.$$eval('#others li', (lis) => lis.map((li) => li.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
    const words: Record<string, string> = { secure: en.wordSecure!, insecure: en.wordInsecure!, bogus: en.wordBogus! };
    expect(listed).toHaveLength(Object.keys(others).length);
    for (const [host, st] of Object.entries(others)) expect(listed).toContain(`${host} ${words[st]}`);
    await popup.evaluate(() => {
      (document.getElementById('others-section') as HTMLDetailsElement).open = true;
    });
    await screenshot(popup, 'popup-subrequests');
    await popup.close();
    await closeTab(helper, tabId);
    await configure(helper, worldOptions(world));
  }, 60_000);

  if (name === 'chromium') {
    // retry: a fresh browser per try; its first navigation sometimes races the new service worker in CI.
    test('address mismatch: the browser connects to an address that is not among the validated ones', { timeout: 60_000, retry: 2 }, async () => {
      // A second Chromium whose resolver rules send www.alg13.test to www.alg8.test's server.
      const target = siteUrl(world, 'alg13-www');
      const other = siteUrl(world, 'alg8-www');
      const lying: World = { ...world, sites: world.sites.map((s) => (s.host === target.host ? { ...s, ip: other.ip } : s)) };
      const b2 = await launchChromium({ extensionDir: path.join(REPO, 'dist', distName), world: lying });
      try {
        // That server's certificate names www.alg8.test: let the page load anyway, as a person
        // clicking through the warning would (or a mis-issued certificate would).
        const cdp = await b2.browser.target().createCDPSession();
        await cdp.send('Security.setIgnoreCertificateErrors', { ignore: true });
        const helper2 = await openExtensionPage(b2, OPTIONS_PAGE);
        await configure(helper2, worldOptions(world));
        // Wake the fresh browser's service worker first: events of a navigation that starts while
        // it is still starting can be lost (an MV3 limitation, not a verdict).
        await ext(helper2, "return api.runtime.sendMessage({ type: 'getTabState', tabId: 0 }).catch(() => null);");
        const tabId = await openTab(helper2, target.url);
        const settled = (s: TabState) => s.url === target.url && s.details?.connection.ip != null && s.state !== 'checking';
        let state = await waitFor('address-mismatch verdict', () => tabState(helper2, tabId), settled, 10_000).catch(() => null);
        if (!state) {
          await ext(helper2, 'await api.tabs.reload(arg);', tabId);
          state = await waitFor('address-mismatch verdict after a reload', () => tabState(helper2, tabId), settled);
        }
        expect(state.details?.connection).toEqual({ ip: other.ip, matches: false });
        expect(state.details?.address.records).toEqual([target.ip]);
        expect(state.state).toBe('address-mismatch');
        const bar = await waitFor('toolbar', () => toolbar(helper2, tabId), (t) => t.title.startsWith(en.stateAddressMismatch!));
        expect(bar).toMatchObject({ title: `${en.stateAddressMismatch} – ${target.host}`, badge: '≠' });

        const popup = await b2.browser.newPage();
        await popup.setViewport(POPUP_VIEWPORT);
        await showPopup(b2, popup, tabId);
        const seen = await popup.evaluate(() => ({
          state: document.body.dataset.state,
          title: document.getElementById('state-title')?.textContent,
          why: document.getElementById('why-text')?.textContent,
          open: (document.getElementById('address-section') as HTMLDetailsElement | null)?.open,
          connected: document.getElementById('connected-ip')?.textContent,
          validated: document.getElementById('validated-ips')?.textContent,
          sentence: document.getElementById('address-sentence')?.textContent,
        }));
        expect(seen).toEqual({
          state: 'address-mismatch',
          title: en.stateAddressMismatch,
          why: en.reasonAddressMismatch,
          open: true,
          connected: other.ip,
          validated: target.ip,
          sentence: en.popupAddressDiffers,
        });
        await screenshot(popup, 'popup-address-mismatch');
      } finally {
        await b2.close();
      }
    });
  }

  // The browsers stop an idle background (Chrome's worker and Firefox's event page after 30 s).
  // Chromium: the DevTools protocol stops the worker at once; Firefox: a browser of its own whose
  // event page is suspended after 1 s without events.
  test('after the background was stopped, a site seen before is judged from the kept answers, without asking the resolver', async () => {
    const site = siteUrl(world, 'rollover-www');
    const own = name === 'firefox' ? await launchFirefox({ extensionDir: path.join(REPO, 'dist', distName), world, firefoxPrefs: { 'extensions.background.idle.timeout': 1_000 } }) : null;
    try {
      const page = own ? await openExtensionPage(own, OPTIONS_PAGE) : helper;
      // Through the front, whose log lists every question it is asked.
      await configure(page, worldOptions(world, { resolver: { kind: 'custom', url: world.front.doh } }));
      const verdictOf = async (tabId: number) => waitFor('verdict', () => tabState(page, tabId), (s) => s.url === site.url && s.state !== 'checking', 20_000);
      const started = async () => (await ext<{ background: { createdAt: number } }>(page, "return api.runtime.sendMessage({ type: 'benchTimings' });")).background.createdAt;
      const first = await openTab(page, site.url);
      const before = await verdictOf(first);
      expect(before.state).toBe(name === 'firefox' ? 'secure-tlsa-match' : 'secure-not-compared');
      await closeTab(page, first);
      const startedBefore = await started();
      const asked = () => fs.readFileSync(world.front.log, 'utf8').split('\n').filter((l) => l.includes('rollover.test.'));
      const askedBefore = asked().length;
      expect(askedBefore).toBeGreaterThanOrEqual(5);
      // The kept answers are written a second after the verdict (background/kept-answers.ts).
      await new Promise((r) => setTimeout(r, 1_500));
      const kept = await ext<{ answers: { q: string; e: number }[] } | undefined>(page, "return (await api.storage.session.get('keptAnswers')).keptAnswers;");
      expect(kept?.answers.map((a) => a.q)).toEqual(expect.arrayContaining(['www.rollover.test./1', '_443._tcp.www.rollover.test./52']));
      if (own) {
        await new Promise((r) => setTimeout(r, 2_000)); // suspended after 1 s without events
      } else {
        const cdp = await helper.createCDPSession();
        await cdp.send('ServiceWorker.enable');
        const stopped = new Promise<void>((resolve) => {
          cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: { runningStatus: string }[] }) => {
            if (e.versions.length > 0 && e.versions.every((v) => v.runningStatus === 'stopped')) resolve();
          });
        });
        await cdp.send('ServiceWorker.stopAllWorkers');
        await stopped;
        await cdp.detach();
      }
      // The navigation wakes the background: options and kept answers read, the site judged again.
      const restarted = Date.now();
      const again = await openTab(page, site.url);
      const after = await verdictOf(again);
      expect(await started(), 'a background started anew').toBeGreaterThan(startedBefore);
      expect(after.state).toBe(before.state);
      expect(after.details?.address.records).toEqual(before.details?.address.records);
      expect(after.details?.tlsa.records).toEqual(before.details?.tlsa.records);
      // The front was asked nothing about the site's names nor its zone's keys that the kept answers
      // could serve: those came from them and were verified again. Asked anew may be what was not
      // kept (a late speculative answer) or ran out: the shared world resolver hands out cached
      // answers with their TTLs counted down (negative ones live 60 s), one another test had it
      // fetch a minute ago arrives with TTL 0 and is not kept (RFC 1035 §3.2.1).
      const servable = new Set(kept!.answers.filter((a) => a.e > restarted).map((a) => a.q));
      expect(servable.size, 'kept answers still servable').toBeGreaterThan(0);
      const key = (l: string) => {
        const m = / (\S+\.) ([A-Z0-9]+) /.exec(l);
        return m ? `${m[1]!.toLowerCase()}/${RRType[m[2] as keyof typeof RRType] ?? m[2]}` : null;
      };
      const newly = asked()
        .slice(askedBefore)
        .filter((l) => {
          const k = key(l);
          return k === null || servable.has(k);
        });
      expect(newly).toEqual([]);
      await closeTab(page, again);
      if (!own) await configure(helper, worldOptions(world));
    } finally {
      await own?.close();
    }
  }, 60_000);

  // The popup opened for a tab that has gone (closed meanwhile) shows its error line.
  test('the popup for a closed tab says so instead of hanging', async () => {
    const tabId = await openTab(helper, siteUrl(world, 'alg13-www').url);
    await closeTab(helper, tabId);
    const popup = await b.browser.newPage();
    await gotoExtensionPage(b, popup, `src/popup/index.html?tabId=${tabId}`);
    await popup.waitForFunction('!document.getElementById("error").hidden || document.body.dataset.state !== undefined', { timeout: 10_000 });
    expect(await popup.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(false);
    await popup.close();
  }, 30_000);
});
