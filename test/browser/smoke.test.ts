/**
 * Smoke test of the browser harness, for Chromium and Firefox ESR: the built extension installs,
 * a world HTTPS site loads (so the world CA is trusted and world names resolve), other names do
 * not, and the popup page renders with its i18n text. Screenshots go to test/artifacts/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer';
import { readCatalogue, readWorld } from '../world/world.mjs';
import { launchChromium, launchFirefox, openPopup, screenshot, type LaunchedBrowser, type LaunchOptions } from './harness';

const REPO = path.resolve(import.meta.dirname, '..', '..');

/** Builds dist/ once if a browser's build is missing (the build takes a few seconds). */
function ensureBuild(): void {
  const missing = ['chrome', 'firefox'].some((b) => !fs.existsSync(path.join(REPO, 'dist', b, 'manifest.json')));
  if (missing) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe', timeout: 120_000 });
}

/** The first catalogue case with a site whose address is secure and whose TLSA matches. */
function pickSite() {
  const world = readWorld();
  const c = readCatalogue().cases.find((x) => x.site && x.address.state === 'secure' && x.dane === 'match');
  const site = c && world.sites.find((s) => s.case === c.id);
  if (!site) throw new Error('no secure world site with a matching TLSA record');
  return site;
}

function englishMessages(extensionDir: string): Record<string, string> {
  const raw = JSON.parse(fs.readFileSync(path.join(extensionDir, '_locales', 'en', 'messages.json'), 'utf8')) as Record<string, { message: string }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.message]));
}

const BROWSERS: [string, (o: LaunchOptions) => Promise<LaunchedBrowser>, string][] = [
  ['chromium', launchChromium, 'chrome'],
  ['firefox', launchFirefox, 'firefox'],
];

describe.each(BROWSERS)('%s smoke', (_name, launch, distName) => {
  const extensionDir = path.join(REPO, 'dist', distName);
  let b: LaunchedBrowser | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    ensureBuild();
    b = await launch({ extensionDir, world: readWorld() });
  }, 60_000);

  afterAll(async () => {
    await b?.close();
  }, 30_000);

  test('a world HTTPS site loads with the world CA and name mapping', async () => {
    const site = pickSite();
    const page = await b!.browser.newPage();
    pages.push(page);
    const url = `https://${site.host}${site.port === 443 ? '' : `:${site.port}`}/`;
    const response = await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
    expect(response?.status()).toBe(200);
    const seen = await page.evaluate(() => ({
      protocol: location.protocol,
      host: location.hostname,
      h1: document.querySelector('h1')?.textContent,
      case: document.querySelector('#case')?.getAttribute('data-case'),
    }));
    expect(seen).toEqual({ protocol: 'https:', host: site.host, h1: site.host, case: site.case });
    // Firefox over BiDi has no securityDetails(); there an untrusted certificate fails goto().
    if (b!.name === 'chromium') expect(response?.securityDetails()?.issuer()).toBe('Test World CA');
    await screenshot(page, 'world-site');

    // Names outside the world do not resolve (nor leave the machine).
    await expect(page.goto('https://example.com/', { timeout: 15_000 })).rejects.toThrow();
  }, 45_000);

  test('the popup page renders with i18n text', async () => {
    const messages = englishMessages(extensionDir);
    const popup = await openPopup(b!);
    pages.push(popup);
    await popup.waitForFunction(() => (document.getElementById('state-title')?.textContent ?? '').trim() !== '', { timeout: 10_000 });
    const seen = await popup.evaluate(() => ({
      href: location.href,
      title: document.title,
      stateTitle: document.getElementById('state-title')?.textContent?.trim() ?? '',
      recheck: document.getElementById('recheck')?.textContent?.trim() ?? '',
      options: document.getElementById('open-options')?.textContent?.trim() ?? '',
      body: document.body.innerText,
    }));
    expect(seen.href).toBe(b!.extensionUrl(b!.manifest.action!.default_popup!));
    expect(seen.title).toBe(messages.extName);
    expect(seen.recheck).toBe(messages.popupRecheck);
    expect(seen.options).toBe(messages.popupOpenOptions);
    expect(seen.stateTitle).not.toBe('');
    expect(seen.body).not.toMatch(/__MSG_/);
    await screenshot(popup, 'popup');
  }, 30_000);
});
