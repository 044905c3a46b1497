/**
 * End-to-end verdicts in Chromium and Firefox ESR against the offline test world: the extension
 * is configured (through its options storage) with the world's unbound DoH resolver and root trust
 * anchor, then visits catalogue sites — DANE match, TLSA mismatch, bogus, insecure, signed without
 * TLSA — and the toolbar button (title, badge), the background's tab state and the popup text are
 * checked. Firefox also compares the certificate and, with enforcement on, blocks the mismatch and
 * the bogus site but lets a good one through. Popup screenshots: test/artifacts/screenshots/<browser>/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Options } from '../../src/shared/options';
import type { TabState } from '../../src/shared/messages';
import { readCatalogue, readWorld } from '../world/world.mjs';
import {
  POPUP_VIEWPORT,
  launchChromium,
  launchFirefox,
  openExtensionPage,
  screenshot,
  type LaunchOptions,
  type LaunchedBrowser,
} from './harness';
import { configure, ext, openTab, tabState, toolbar as tabInfo, waitFor, worldOptions as worldOptionsOf } from './extension';

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

/** The catalogue sites used, by case id. Only .test names: the Chromium harness proxies others away. */
const CASES = {
  match: 'alg13-www',
  mismatch: 'dane-mismatch-ee',
  bogus: 'bogus-missing-rrsig-tlsa',
  insecure: 'insecure-nsec',
  noTlsa: 'dane-notlsa',
} as const;
type Kind = keyof typeof CASES;

function site(kind: Kind): { host: string; url: string; id: string } {
  const world = readWorld();
  const id = CASES[kind];
  const c = readCatalogue().cases.find((x) => x.id === id);
  const s = world.sites.find((x) => x.case === id);
  if (!c || !s) throw new Error(`catalogue case ${id} has no site`);
  return { id, host: s.host, url: `https://${s.host}${s.port === 443 ? '' : `:${s.port}`}/` };
}

const worldOptions = (extra: Partial<Options> = {}): Options => worldOptionsOf(readWorld(), extra);

/** The toolbar button of a tab (title, badge) and the tab's URL. */
async function toolbar(page: Page, tabId: number): Promise<{ title: string; badge: string; url: string }> {
  const { title, badge, url } = await tabInfo(page, tabId);
  return { title, badge, url };
}

type BrowserName = 'chromium' | 'firefox';

/** What each browser must show per site: Chromium without the native helper sees no certificate, so signed TLSA records stay "not compared" there (e2e-helper.test.ts: with the helper). */
const EXPECT: Record<Kind, Record<BrowserName, { state: string; title: string; badge: string; dnssec: string; tlsa: string }>> = {
  match: {
    chromium: { state: 'secure-not-compared', title: 'stateSecureNotCompared', badge: '', dnssec: 'dnssecSecure', tlsa: 'tlsaHelperOff' },
    firefox: { state: 'secure-tlsa-match', title: 'stateSecureTlsaMatch', badge: '', dnssec: 'dnssecSecure', tlsa: 'tlsaMatch' },
  },
  mismatch: {
    chromium: { state: 'secure-not-compared', title: 'stateSecureNotCompared', badge: '', dnssec: 'dnssecSecure', tlsa: 'tlsaHelperOff' },
    firefox: { state: 'tlsa-mismatch', title: 'stateTlsaMismatch', badge: '✗', dnssec: 'dnssecSecure', tlsa: 'tlsaMismatch' },
  },
  bogus: {
    chromium: { state: 'bogus', title: 'stateBogus', badge: '✗', dnssec: 'dnssecSecure', tlsa: 'tlsaBogus' },
    firefox: { state: 'bogus', title: 'stateBogus', badge: '✗', dnssec: 'dnssecSecure', tlsa: 'tlsaBogus' },
  },
  insecure: {
    chromium: { state: 'insecure', title: 'stateInsecure', badge: '', dnssec: 'dnssecInsecure', tlsa: 'tlsaInsecure' },
    firefox: { state: 'insecure', title: 'stateInsecure', badge: '', dnssec: 'dnssecInsecure', tlsa: 'tlsaInsecure' },
  },
  noTlsa: {
    chromium: { state: 'secure', title: 'stateSecure', badge: '', dnssec: 'dnssecSecure', tlsa: 'tlsaNone' },
    firefox: { state: 'secure', title: 'stateSecure', badge: '', dnssec: 'dnssecSecure', tlsa: 'tlsaNone' },
  },
};

/** The tab's final state: not checking, and (Firefox) the certificate comparison done. */
function settled(v: TabState, url: string): boolean {
  return v.url === url && v.state !== 'checking' && v.details?.dane.cert !== 'pending';
}

async function popupFor(b: LaunchedBrowser, tabId: number): Promise<Page> {
  const popup = await openExtensionPage(b, `src/popup/index.html?tabId=${tabId}`, POPUP_VIEWPORT);
  await popup.waitForFunction(() => document.body.dataset.state !== undefined && document.body.dataset.state !== 'checking', {
    timeout: 10_000,
  });
  return popup;
}

async function popupText(popup: Page) {
  return popup.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent?.trim() ?? '';
    return {
      state: document.body.dataset.state,
      title: text('state-title'),
      host: text('host'),
      dnssec: text('dnssec-sentence'),
      tlsa: text('tlsa-sentence'),
      why: document.getElementById('why')?.hidden ? '' : text('why-text'),
      dnsviz: (document.getElementById('dnsviz') as HTMLAnchorElement | null)?.href ?? '',
      chainZones: [...document.querySelectorAll('#chain .zone-name')].map((e) => e.textContent),
      tlsaRecords: [...document.querySelectorAll('#tlsa-records li')].map((e) => e.textContent),
      matched: document.querySelectorAll('#tlsa-records li.matched').length,
      cert: text('cert'),
      connected: text('connected-ip'),
      validated: text('validated-ips'),
      width: document.documentElement.scrollWidth,
    };
  });
}

/** Opens every <details> so the screenshot shows the whole popup. */
async function expandAll(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  // Let the taller layout settle before a full-page screenshot measures it.
  await popup.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const BROWSERS: [BrowserName, (o: LaunchOptions) => Promise<LaunchedBrowser>, string][] = [
  ['chromium', launchChromium, 'chrome'],
  ['firefox', launchFirefox, 'firefox'],
];

describe.each(BROWSERS)('%s verdicts', (name, launch, distName) => {
  let b: LaunchedBrowser;
  let helper: Page;
  const tabs = new Map<Kind, number>();

  beforeAll(async () => {
    ensureBuild();
    b = await launch({ extensionDir: path.join(REPO, 'dist', distName), world: readWorld() });
    helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions());
  }, 90_000);

  afterAll(async () => {
    await b?.close();
  }, 30_000);

  test.each(Object.keys(CASES) as Kind[])('%s: toolbar and tab state', async (kind) => {
    const s = site(kind);
    const want = EXPECT[kind][name];
    const tabId = await openTab(helper, s.url);
    tabs.set(kind, tabId);
    const state = await waitFor(`${s.host} state`, () => tabState(helper, tabId), (v) => settled(v, s.url) && v.state === want.state);
    expect(state.host).toBe(s.host);
    expect(state.details?.address.records.length).toBeGreaterThan(0);
    // Both browsers report the address they connected to: the validated one.
    await waitFor(`${s.host} connected ip`, () => tabState(helper, tabId), (v) => v.details?.connection.ip != null);
    const withIp = await tabState(helper, tabId);
    expect(withIp.details?.connection.matches).toBe(kind === 'insecure' ? null : true);
    expect(withIp.state).toBe(want.state);
    if (name === 'firefox') {
      expect(withIp.details?.certificate?.chainLength).toBeGreaterThan(0);
      expect(withIp.details?.certificate?.pkix).toBe('valid');
    } else {
      expect(withIp.details?.certificate).toBeNull();
    }
    const bar = await waitFor(`${s.host} toolbar`, () => toolbar(helper, tabId), (v) => v.title.startsWith(en[want.title]!));
    expect(bar).toEqual({ title: `${en[want.title]} – ${s.host}`, badge: want.badge, url: s.url });
  }, 40_000);

  test.each(Object.keys(CASES) as Kind[])('%s: popup', async (kind) => {
    const s = site(kind);
    const want = EXPECT[kind][name];
    const tabId = tabs.get(kind);
    expect(tabId).toBeDefined();
    const popup = await popupFor(b, tabId!);
    const seen = await popupText(popup);
    expect(seen).toMatchObject({
      state: want.state,
      title: en[want.title],
      host: s.host,
      dnssec: en[want.dnssec],
      tlsa: en[want.tlsa],
      dnsviz: `https://dnsviz.net/d/${s.host}/dnssec/`,
    });
    expect(seen.width).toBeLessThanOrEqual(400);
    expect(seen.chainZones[0]).toMatch(/^\. /);
    expect(seen.chainZones).toContain('test.');
    expect(seen.connected).toMatch(/^127\.0\.60\.\d+$/);
    expect(seen.validated).toContain(seen.connected);
    if (want.state === 'secure' || want.state === 'secure-tlsa-match') expect(seen.why).toBe('');
    else expect(seen.why).not.toBe('');
    if (want.state === 'secure-tlsa-match') expect(seen.matched).toBe(1);
    if (name === 'chromium') expect(seen.cert).toBe(en.popupCertUnavailable);
    else expect(seen.cert).toContain(en.popupCertSpki);
    await expandAll(popup);
    await screenshot(popup, `popup-${kind}`);
    if (name === 'chromium' && (kind === 'bogus' || kind === 'match')) {
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await screenshot(popup, `popup-${kind}-dark`);
    }
    await popup.close();
  }, 30_000);

  test('options: the world resolver passes "test resolver"; a bad trust anchor is refused', async () => {
    const page = await openExtensionPage(b, 'src/options/index.html', { width: 800, height: 900 });
    await page.waitForFunction(() => (document.getElementById('resolver') as HTMLSelectElement | null)?.value === 'custom', { timeout: 10_000 });
    await page.click('#test-resolver');
    await page.waitForFunction(() => document.getElementById('test-status')?.className === 'ok', { timeout: 20_000 });
    const status = await page.$eval('#test-status', (e) => e.textContent ?? '');
    expect(status).toMatch(/^The resolver works: the \d+ root keys were validated in \d+ ms\.$/);
    await screenshot(page, 'options');
    // A trust anchor that does not parse is shown as an error and nothing is saved.
    await page.$eval('#trust-anchor-text', (e) => {
      (e as HTMLTextAreaElement).value = '. IN A 192.0.2.1';
    });
    await page.click('button[type=submit]');
    await page.waitForFunction(() => !document.getElementById('trustAnchor-error')?.hidden, { timeout: 5_000 });
    expect(await page.$eval('#trustAnchor-error', (e) => e.textContent ?? '')).toMatch(/^Line 1 of the trust anchor cannot be used: /);
    const stored = await ext<Options>(helper, "return (await api.storage.local.get('options')).options;");
    expect(stored.trustAnchor).toEqual(worldOptions().trustAnchor);
    await page.close();
  }, 40_000);

  test('re-check validates again and keeps the verdict', async () => {
    const tabId = tabs.get('match')!;
    const popup = await popupFor(b, tabId);
    const before = await tabState(helper, tabId);
    await popup.click('#recheck');
    const after = await waitFor(
      'recheck',
      () => tabState(helper, tabId),
      (v) => v.checkedAt !== null && v.checkedAt > (before.checkedAt ?? 0) && v.state === before.state && v.details?.dane.cert !== 'pending',
    );
    expect(after.details?.queries).toBeGreaterThan(0);
    await popup.close();
  }, 30_000);

  if (name === 'firefox') {
    test('enforcement blocks the TLSA mismatch and the bogus site, lets a good one through', async () => {
      await configure(helper, worldOptions({ enforcement: true }));
      const blockPrefix = b.extensionUrl('src/blocked/index.html');
      const blocked: Record<string, string> = {};
      for (const kind of ['mismatch', 'bogus'] as const) {
        const s = site(kind);
        const tabId = await openTab(helper, s.url);
        const bar = await waitFor(`${s.host} blocked`, () => toolbar(helper, tabId), (v) => v.url.startsWith(blockPrefix));
        expect(bar.title).toBe(`${en[EXPECT[kind].firefox.title]} – ${s.host}`);
        const state = await tabState(helper, tabId);
        expect(state).toMatchObject({ state: EXPECT[kind].firefox.state, blocked: true, host: s.host });
        blocked[kind] = bar.url;
      }
      const good = site('match');
      const goodTab = await openTab(helper, good.url);
      const goodState = await waitFor(`${good.host} state`, () => tabState(helper, goodTab), (v) => settled(v, good.url));
      expect(goodState).toMatchObject({ state: 'secure-tlsa-match', blocked: false });
      await waitFor(`${good.host} loaded`, () => toolbar(helper, goodTab), (v) => v.url === good.url);

      // The block page explains, and "proceed anyway" remembers the site and opens it.
      const mismatch = site('mismatch');
      const page = await openExtensionPage(b, blocked.mismatch!.slice(b.origin.length + 1));
      const text = await page.evaluate(() => ({
        heading: document.getElementById('heading')?.textContent,
        proceed: document.getElementById('proceed')?.textContent,
        url: document.getElementById('url')?.textContent,
      }));
      expect(text).toEqual({
        heading: en.blockedHeadingMismatch!.replace('$HOST$', mismatch.host),
        proceed: en.blockedProceed!.replace('$HOST$', mismatch.host),
        url: mismatch.url,
      });
      await screenshot(page, 'blocked-mismatch');
      const openTabs = () => ext<string[]>(helper, 'return (await api.tabs.query({})).map((t) => t.url);');
      const before = (await openTabs()).filter((u) => u === mismatch.url).length;
      await page.click('#proceed');
      const stored = await waitFor(
        'exception saved',
        () => ext<Options>(helper, "return (await api.storage.local.get('options')).options;"),
        (o) => o.enforcementExceptions.includes(mismatch.host),
      );
      expect(stored.enforcement).toBe(true);
      await waitFor(
        'proceeded to the site',
        openTabs,
        (urls) => urls.filter((u) => u === mismatch.url).length === before + 1,
      );
      await configure(helper, worldOptions());
    }, 60_000);
  }
});
