/**
 * Issue #9 in both browsers against the offline world: the chain-of-trust picture (secure,
 * failing, expiring soon), the TLSA record generator (popup: the certificate Firefox received;
 * options page: a pasted PEM chain), the popup's mail section for the site's registered domain
 * (mail.test: mx1 with a _25._tcp TLSA record, mx2 without) and the TLS facts (Firefox).
 * Screenshots: test/artifacts/screenshots/<browser>/tools-*.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Options } from '../../src/shared/options';
import { readWorld } from '../world/world.mjs';
import { POPUP_VIEWPORT, launchChromium, launchFirefox, openExtensionPage, screenshot, type LaunchOptions, type LaunchedBrowser } from './harness';
import { configure, ext, tabState, waitFor, worldOptions as worldOptionsOf } from './extension';

const REPO = path.resolve(import.meta.dirname, '..', '..');

const en = Object.fromEntries(
  Object.entries(
    JSON.parse(fs.readFileSync(path.join(REPO, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>,
  ).map(([k, v]) => [k, v.message]),
);

function ensureBuild(): void {
  const stale = ['chrome', 'firefox'].some((b) => {
    const popup = path.join(REPO, 'dist', b, 'src', 'popup', 'index.html');
    return !fs.existsSync(popup) || !fs.readFileSync(popup, 'utf8').includes('mail-section');
  });
  if (stale) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe', timeout: 180_000 });
}

/** World sites by catalogue case id. */
function site(id: string): { host: string; url: string; chain: string } {
  const s = readWorld().sites.find((x) => x.case === id);
  if (!s) throw new Error(`no world site for case ${id}`);
  return { host: s.host, url: `https://${s.host}${s.port === 443 ? '' : `:${s.port}`}/`, chain: s.chain };
}

const worldOptions = (): Options => worldOptionsOf(readWorld());

/** Opens the URL in a tab and waits for the final verdict (Firefox: the certificate compared too). */
async function visit(helper: Page, url: string): Promise<number> {
  const tabId = await ext<number>(helper, 'const t = await api.tabs.create({ url: arg, active: true }); return t.id;', url);
  await waitFor(`${url} verdict`, () => tabState(helper, tabId), (v) => v.url === url && v.state !== 'checking' && v.details?.dane.cert !== 'pending');
  return tabId;
}

/** The popup for a tab with every section open (the mail section loads when opened). */
async function popupFor(b: LaunchedBrowser, tabId: number): Promise<Page> {
  const popup = await openExtensionPage(b, `src/popup/index.html?tabId=${tabId}`, POPUP_VIEWPORT);
  await popup.waitForFunction(() => document.body.dataset.state !== undefined && document.body.dataset.state !== 'checking', { timeout: 10_000 });
  await popup.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  await popup.waitForFunction(() => ['done', 'off', 'no-domain', 'error'].includes(document.getElementById('mail')?.dataset.state ?? ''), { timeout: 15_000 });
  await popup.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return popup;
}

function seen(popup: Page) {
  return popup.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent?.trim() ?? '';
    const nodes = [...document.querySelectorAll('#chain-diagram svg g[data-kind]')].map((g) => ({
      name: g.getAttribute('data-name'),
      state: g.getAttribute('data-state'),
      failing: g.getAttribute('data-failing') === 'true',
      warn: g.classList.contains('cd-warn'),
    }));
    return {
      width: document.documentElement.scrollWidth,
      svgWidth: document.querySelector('#chain-diagram svg')?.getBoundingClientRect().width ?? 0,
      nodes,
      expiry: document.getElementById('expiry-warning')?.hidden ? '' : text('expiry-warning'),
      chainClass: document.getElementById('chain-section')?.className ?? '',
      generator: [...document.querySelectorAll('#generator .gen-record')].map((li) => ({
        kind: (li as HTMLElement).dataset.kind,
        published: (li as HTMLElement).dataset.published,
        line: li.querySelector('.gen-line')?.textContent ?? '',
      })),
      advice: [...document.querySelectorAll('#generator .advice')].map((li) => (li as HTMLElement).dataset.code),
      generatorText: text('generator'),
      tls: text('tls'),
      mailHeading: text('mail-heading'),
      mailSummary: document.getElementById('mail')?.dataset.summary ?? '',
      mailHosts: [...document.querySelectorAll('#mail .mail-host')].map((li) => `${(li as HTMLElement).dataset.host} ${(li as HTMLElement).dataset.dane}`),
    };
  });
}

const BROWSERS: [string, (o: LaunchOptions) => Promise<LaunchedBrowser>, string][] = [
  ['chromium', launchChromium, 'chrome'],
  ['firefox', launchFirefox, 'firefox'],
];

describe.each(BROWSERS)('%s: DANE tools', (name, launch, distName) => {
  let b: LaunchedBrowser;
  let helper: Page;

  beforeAll(async () => {
    ensureBuild();
    b = await launch({ extensionDir: path.join(REPO, 'dist', distName), world: readWorld() });
    helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions());
  }, 90_000);

  afterAll(async () => {
    await b?.close();
  }, 30_000);

  test('www.mail.test: chain picture, generator, TLS facts and the mail servers of mail.test', async () => {
    const s = site('mail-www');
    const tabId = await visit(helper, s.url);
    const popup = await popupFor(b, tabId);
    const v = await seen(popup);
    expect(v.width).toBeLessThanOrEqual(400);
    expect(v.svgWidth).toBeGreaterThan(250);
    expect(v.nodes.map((n) => `${n.name} ${n.state}`)).toEqual(['. secure', 'test. secure', 'mail.test. secure', 'www.mail.test. secure']);
    expect(v.nodes.some((n) => n.failing || n.warn)).toBe(false);
    expect(v.expiry).toBe('');

    expect(v.mailHeading).toBe(en.popupMailHeadingDomain!.replace('$DOMAIN$', 'mail.test'));
    expect(v.mailSummary).toBe('some');
    expect(v.mailHosts).toEqual(['mx1.mail.test dane', 'mx2.mail.test no-tlsa']);

    if (name === 'firefox') {
      // The certificate Firefox received: 3 1 1 is what the world published, 3 0 1 and 2 1 1 are not.
      expect(v.generator.map((r) => `${r.kind} ${r.published}`)).toEqual(['311 true', '301 false', '211 false']);
      expect(v.generator[0]!.line).toMatch(/^_443\._tcp\.www\.mail\.test\. IN TLSA 3 1 1 [0-9a-f]{64}$/);
      expect(v.advice).toEqual(['current-published', 'single-record', 'rollover']);
      expect(v.tls).toContain('TLS 1.3');
      expect(v.tls).toContain(en.tlsCipher);
    } else {
      expect(v.generator).toEqual([]);
      expect(v.generatorText).toContain(en.popupGeneratorUnavailable);
      expect(v.tls).toBe(en.popupTlsUnavailable);
    }
    await screenshot(popup, 'tools-mail-test');
    if (name === 'chromium') {
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await screenshot(popup, 'tools-mail-test-dark');
    }
    await popup.close();
  }, 45_000);

  test('www.soon.test: signatures expiring within 7 days turn the chain detail yellow', async () => {
    const s = site('expiring-soon-www');
    const tabId = await visit(helper, s.url);
    const popup = await popupFor(b, tabId);
    const v = await seen(popup);
    expect(v.nodes.find((n) => n.name === 'soon.test.')).toMatchObject({ state: 'secure', warn: true, failing: false });
    expect(v.nodes.filter((n) => n.warn).map((n) => n.name)).toEqual(['soon.test.']);
    expect(v.expiry).toMatch(/^⚠ The signatures of soon\.test\. expire in \d+ (hours|days) \(.+\)\. Unless the zone is re-signed/);
    expect(v.chainClass).toContain('expiring');
    await screenshot(popup, 'tools-expiring');
    await popup.close();
  }, 45_000);

  test('agility.dane.test: the SHA2-256 record beside a SHA2-512 one is marked "not used" (RFC 7671 §9)', async () => {
    const s = site('dane-digest-agility');
    const tabId = await visit(helper, s.url);
    const popup = await popupFor(b, tabId);
    const records = await popup.evaluate(() =>
      [...document.querySelectorAll('#tlsa-records li')].map((li) => ({ record: li.querySelector('code')?.textContent ?? '', notUsed: li.classList.contains('not-used'), text: li.textContent ?? '' })),
    );
    // An RRset has no order: find each record by its parameters.
    const by = (params: string) => records.find((r) => r.record.startsWith(`${params} `));
    expect(records).toHaveLength(2);
    expect([by('3 1 1')?.notUsed, by('3 1 2')?.notUsed]).toEqual([true, false]);
    expect(by('3 1 1')!.text).toContain(en.popupTlsaNotUsedDigest);
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await popup.evaluate(() => document.getElementById('tlsa-records')?.scrollIntoView({ block: 'center' }));
    await screenshot(popup, 'tools-digest-agility');
    await popup.close();
  }, 45_000);

  test('a broken chain: the failing link is marked with its reason', async () => {
    // Chromium loads www.badds.test (DS matches no key); Firefox resolves through the world's
    // validating resolver, which refuses bogus names, so it shows an RRset without signature.
    const s = site(name === 'chromium' ? 'bogus-ds-mismatch' : 'bogus-missing-rrsig-tlsa');
    const tabId = await visit(helper, s.url);
    const popup = await popupFor(b, tabId);
    const v = await seen(popup);
    const failing = v.nodes.filter((n) => n.failing).map((n) => n.name);
    expect(failing).toEqual([name === 'chromium' ? 'badds.test.' : 'tlsa-nosig.partial.test.']);
    const reason = await popup.$eval('#chain-diagram svg', (svg) => [...svg.querySelectorAll('.cd-reason')].map((t) => t.textContent).join(' '));
    expect(reason).toContain(name === 'chromium' ? en.reasonChain : en.reasonMissingSignature);
    expect(await popup.$eval('#chain-diagram svg', (svg) => svg.querySelectorAll('.cd-edge.cd-failing circle').length)).toBe(1);
    await screenshot(popup, 'tools-failing-chain');
    await popup.close();
  }, 45_000);

  test('options page: TLSA records for a pasted PEM chain, compared with the published ones', async () => {
    const s = site('mail-www');
    const page = await openExtensionPage(b, 'src/options/index.html', { width: 800, height: 900 });
    await page.waitForSelector('#tool-host');
    await page.$eval('#tool-host', (e, h) => ((e as HTMLInputElement).value = h), s.host);
    await page.$eval('#tool-pem', (e, pem) => ((e as HTMLTextAreaElement).value = pem), fs.readFileSync(s.chain, 'utf8'));
    await page.click('#tool-generate');
    await page.waitForSelector('#tool-output .gen-record', { timeout: 15_000 });
    const out = await page.evaluate(() => ({
      status: document.getElementById('tool-status')?.textContent ?? '',
      records: [...document.querySelectorAll('#tool-output .gen-record')].map((li) => `${(li as HTMLElement).dataset.kind} ${(li as HTMLElement).dataset.published}`),
    }));
    expect(out.status).toBe(en.toolLookup!.replace('$NAME$', `_443._tcp.${s.host}`).replace('$STATE$', en.wordSecure!).replace('$COUNT$', '1'));
    expect(out.records).toEqual(['311 true', '301 false', '211 false']);
    await page.evaluate(() => document.getElementById('tlsa-tool')?.scrollIntoView());
    await screenshot(page, 'tools-generator-options');
    await page.close();
  }, 45_000);
});
