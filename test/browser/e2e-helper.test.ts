/**
 * Issue 13 end to end: Chromium (Debian's, through puppeteer) with the extension and the native
 * certificate helper (src/helper/, installed by the harness into the throw-away profile's
 * NativeMessagingHosts/, where Chromium on Linux looks for it under --user-data-dir):
 *
 * - the helper compares the certificate for hosts with signed TLSA records: DANE-EE match,
 *   mismatch, DANE-TA, two-record rollover → the same states as Firefox; a host without TLSA is
 *   "secure" and the helper is not asked;
 * - the helper absent (its manifest removed): "certificate not compared", the reason in words;
 * - a helper that crashes, hangs (timeout), answers garbage or an oversized frame
 *   (test/browser/fake-helper.mjs): never green, the reason in words, and the next visit opens a
 *   new port (the real helper again: match);
 * - a helper slower than the page: the state moves from "not compared" to the verdict;
 * - the helper refuses an address that was not validated (a second Chromium sent elsewhere by its
 *   resolver rules): no connection, "address not in DNSSEC answer";
 * - blocking in Chromium: a bogus site and a helper-reported mismatch go to the block page, which
 *   says the page may already have been requested.
 * One browser serves all cases but the address refusal; the helper's launcher script is rewritten
 * between cases, and the options page's "check the helper again" opens a new port.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeTab, configure, ext, openTab, showPopup, tabState, toolbar, waitFor, worldOptions } from './extension';
import type { TabState } from '../../src/shared/messages';
import { readWorld, type World } from '../world/world.mjs';
import { POPUP_VIEWPORT, launchChromium, openExtensionPage, screenshot, type LaunchedBrowser } from './harness';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const world = readWorld();
const FAKE = path.join(REPO, 'test', 'browser', 'fake-helper.mjs');

const en = Object.fromEntries(
  Object.entries(JSON.parse(fs.readFileSync(path.join(REPO, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>).map(([k, v]) => [k, v.message]),
);

function ensureBuild(): void {
  if (!fs.existsSync(path.join(REPO, 'dist', 'chrome', 'manifest.json'))) execFileSync('npm', ['run', 'build:chrome'], { cwd: REPO, stdio: 'pipe', timeout: 180_000 });
}

function site(caseId: string, w: World = world): { host: string; url: string; ip: string } {
  const s = w.sites.find((x) => x.case === caseId);
  if (!s) throw new Error(`no world site for ${caseId}`);
  return { host: s.host, ip: s.ip, url: `https://${s.host}${s.port === 443 ? '' : `:${s.port}`}/` };
}

let b: LaunchedBrowser;
let page: Page;
let realLauncher: string;

/** Points the helper's launcher at the fake helper in `mode`, or back at the real one. */
function useHelper(mode: 'real' | 'crash' | 'hang' | 'garbage' | 'oversized' | 'slow'): void {
  const launcher = b.helperLauncher!;
  if (mode === 'real') fs.writeFileSync(launcher, realLauncher);
  else fs.writeFileSync(launcher, `#!/bin/sh\nexec '${process.execPath}' '${FAKE}' ${mode}${mode === 'slow' ? ' 3000' : ''}\n`);
}

/** The options page's "check the helper again": the background closes its port and shakes hands anew. */
function recheckHelper(): Promise<{ status: { state: string } }> {
  return ext(page, "return api.runtime.sendMessage({ type: 'helperStatus', recheck: true });");
}

const settled = (url: string) => (s: TabState) => s.url === url && s.state !== 'checking' && s.details?.dane.cert !== 'pending';

/** Visits a site and returns its final state and every state seen on the way. */
async function visit(url: string, timeoutMs = 20_000): Promise<{ final: TabState; seen: string[]; tabId: number }> {
  const tabId = await openTab(page, url);
  const seen: string[] = [];
  const final = await waitFor(
    url,
    async () => {
      const s = await tabState(page, tabId);
      if (seen.at(-1) !== s.state) seen.push(s.state);
      return s;
    },
    settled(url),
    timeoutMs,
  );
  return { final, seen, tabId };
}

beforeAll(async () => {
  ensureBuild();
  b = await launchChromium({ extensionDir: path.join(REPO, 'dist', 'chrome'), world, nativeHelper: true });
  realLauncher = fs.readFileSync(b.helperLauncher!, 'utf8');
  page = await openExtensionPage(b, 'src/options/index.html');
  await configure(page, worldOptions(world));
  await new Promise((r) => setTimeout(r, 300));
}, 90_000);

afterAll(async () => {
  await b?.close();
}, 30_000);

describe('chromium with the native helper', () => {
  test.each([
    ['DANE-EE', 'dane-ee-spki-sha256', 'secure-tlsa-match', 'match'],
    ['DANE-TA', 'dane-ta-cert-sha256', 'secure-tlsa-match', 'match'],
    ['two-record rollover', 'dane-rollover', 'secure-tlsa-match', 'match'],
    ['mismatch', 'dane-mismatch-ee', 'tlsa-mismatch', 'mismatch'],
  ])('%s: the helper compares the certificate → %s', async (_name, caseId, state, cert) => {
    const s = site(caseId);
    const { final, seen, tabId } = await visit(s.url);
    expect(final.state).toBe(state);
    expect(final.details?.dane.cert).toBe(cert);
    expect(final.details?.certificateSource).toBe('helper');
    expect(final.details?.certificateAddress).toBe(s.ip);
    expect(final.details?.connection).toEqual({ ip: s.ip, matches: true });
    expect(final.details?.certificate?.subject).toContain(s.host.split('.')[0]);
    // never green before the comparison
    if (state !== 'secure-tlsa-match') expect(seen).not.toContain('secure-tlsa-match');
    expect(seen).not.toContain('secure');
    const bar = await waitFor('toolbar', () => toolbar(page, tabId), (t) => t.title.includes(s.host) && !t.title.startsWith(en.stateChecking!));
    expect(bar.title).toBe(`${en[state === 'tlsa-mismatch' ? 'stateTlsaMismatch' : 'stateSecureTlsaMatch']} – ${s.host}`);
    const popup = await b.browser.newPage();
    await popup.setViewport(POPUP_VIEWPORT);
    await showPopup(b, popup, tabId);
    // Browsers cap popups at 600 px: the whole popup fits, the verdict and its reason without scrolling.
    const layout = await popup.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      title: document.getElementById('state-title')!.getBoundingClientRect().bottom,
      why: document.getElementById('why')!.hidden ? 0 : document.getElementById('why')!.getBoundingClientRect().bottom,
    }));
    expect(layout.height).toBeLessThanOrEqual(600);
    expect(Math.max(layout.title, layout.why)).toBeLessThanOrEqual(600);
    const source = await popup.$eval('#cert-source', (e) => (e as HTMLElement).innerText);
    expect(source).toContain(en.popupCertFromHelper!.replace('$ADDRESS$', s.ip));
    expect(source).toContain(en.popupCertSameAddress!);
    await screenshot(popup, `helper-${caseId}`);
    await popup.close();
    await closeTab(page, tabId);
  });

  test('the options page: the helper is on and ready; missing, it shows the install command', async () => {
    const options = await openExtensionPage(b, 'src/options/index.html', { width: 800, height: 900 });
    await options.waitForFunction('!document.getElementById("helper-section").hidden && document.getElementById("helper-status").className === "ok"', { timeout: 15_000 });
    expect(await options.$eval('#helper-toggle', (e) => (e as HTMLInputElement).checked)).toBe(true);
    expect(await options.$eval('#helper-status', (e) => e.textContent)).toBe(en.optionsHelperReady!.replace('$VERSION$', '0.1.0'));
    fs.mkdirSync(path.join(REPO, 'test', 'artifacts', 'screenshots', 'chromium'), { recursive: true });
    const section = await options.$('#helper-section');
    await section!.screenshot({ path: path.join(REPO, 'test', 'artifacts', 'screenshots', 'chromium', 'options-helper-ready.png') });
    const manifest = path.join(path.dirname(b.helperLauncher!), 'org.dnssec_tlsa_validator.helper.json');
    const saved = fs.readFileSync(manifest);
    fs.rmSync(manifest);
    try {
      await options.click('#helper-recheck');
      await options.waitForFunction('document.getElementById("helper-status").className === "warn"', { timeout: 15_000 });
      expect(await options.$eval('#helper-status', (e) => e.textContent)).toBe(en.optionsHelperMissing);
      expect(await options.$eval('#helper-command', (e) => e.textContent)).toBe('npx dnssec-tlsa-helper install --browser chromium');
      await section!.screenshot({ path: path.join(REPO, 'test', 'artifacts', 'screenshots', 'chromium', 'options-helper-missing.png') });
    } finally {
      fs.writeFileSync(manifest, saved);
      await recheckHelper();
      await options.close();
    }
  });

  test('no TLSA records: secure, and the helper is not asked', async () => {
    const s = site('dane-notlsa');
    const { final, tabId } = await visit(s.url);
    expect(final.state).toBe('secure');
    expect(final.details?.certificateSource ?? null).toBeNull();
    await closeTab(page, tabId);
  });

  test('helper absent: "certificate not compared", with the reason', async () => {
    const manifest = path.join(path.dirname(b.helperLauncher!), 'org.dnssec_tlsa_validator.helper.json');
    const saved = fs.readFileSync(manifest);
    fs.rmSync(manifest);
    try {
      expect((await recheckHelper()).status.state).toBe('missing');
      const s = site('dane-ee-cert-sha256');
      const { final, seen, tabId } = await visit(s.url);
      expect(final.state).toBe('secure-not-compared');
      expect(seen).not.toContain('secure');
      expect(final.details?.dane.cert).toBe('helper-failed');
      expect(final.details?.helper?.error).toBe('helper-missing');
      const popup = await b.browser.newPage();
      await popup.setViewport(POPUP_VIEWPORT);
      await showPopup(b, popup, tabId);
      const shown = await popup.evaluate(() => ({
        title: document.getElementById('state-title')?.textContent,
        tlsa: document.getElementById('tlsa-sentence')?.textContent,
        why: document.getElementById('why-text')?.textContent,
      }));
      expect(shown).toEqual({ title: en.stateSecureNotCompared, tlsa: en.tlsaHelperFailed, why: en.reasonHelperMissing });
      await screenshot(popup, 'helper-absent');
      await popup.close();
      await closeTab(page, tabId);
    } finally {
      fs.writeFileSync(manifest, saved);
    }
  });

  test.each([
    ['crashes', 'crash', 'helper-crashed', 20_000],
    ['hangs', 'hang', 'helper-timeout', 30_000],
    ['answers garbage', 'garbage', 'helper-garbage', 20_000],
    ['sends an oversized frame', 'oversized', 'helper-crashed', 20_000],
  ] as const)('a helper that %s: never green, the reason in words, a new port next visit', async (_name, mode, error, timeout) => {
    useHelper(mode);
    try {
      expect((await recheckHelper()).status.state).toBe('ready'); // the fakes shake hands like the real one
      const s = site('alg13-www');
      const { final, seen, tabId } = await visit(s.url, timeout);
      expect(final.state).toBe('secure-not-compared');
      expect(seen.filter((x) => x === 'secure' || x === 'secure-tlsa-match')).toEqual([]);
      expect(final.details?.helper?.error, JSON.stringify({ seen, helper: final.details?.helper, dane: final.details?.dane, ip: final.details?.connection, load: final.details?.loadError })).toBe(error);
      expect(final.details?.dane.reason).toBeTruthy();
      await closeTab(page, tabId);
    } finally {
      useHelper('real');
    }
    // The failed port was dropped: the next visit starts the (real) helper again.
    const s = site('alg14-www');
    const { final, tabId } = await visit(s.url);
    expect(final.state, JSON.stringify({ helper: final.details?.helper, dane: final.details?.dane, ip: final.details?.connection })).toBe('secure-tlsa-match');
    await closeTab(page, tabId);
  }, 60_000);

  test('a helper slower than the page: "not compared" first, then the verdict', async () => {
    useHelper('slow');
    try {
      await recheckHelper();
      const s = site('dane-ee-cert-full');
      const { final, seen, tabId } = await visit(s.url, 25_000);
      expect(final.state).toBe('secure-tlsa-match');
      expect(seen).toContain('secure-not-compared');
      expect(seen.indexOf('secure-not-compared')).toBeLessThan(seen.indexOf('secure-tlsa-match'));
      const info = await toolbar(page, tabId);
      expect(info.status).toBe('complete');
      await closeTab(page, tabId);
    } finally {
      useHelper('real');
      await recheckHelper();
    }
  }, 40_000);

  test('blocking: a bogus site and a helper-reported mismatch go to the block page', async () => {
    await configure(page, worldOptions(world, { enforcement: true }));
    await new Promise((r) => setTimeout(r, 300));
    const blockPrefix = b.extensionUrl('src/blocked/index.html');
    try {
      for (const [caseId, state] of [
        ['bogus-corrupt-rrsig', 'bogus'],
        ['dane-mismatch-ta', 'tlsa-mismatch'],
      ] as const) {
        const s = site(caseId);
        const tabId = await openTab(page, s.url);
        const info = await waitFor(`${caseId} block page`, () => toolbar(page, tabId), (t) => t.url.startsWith(blockPrefix) && t.status === 'complete');
        const params = new URL(info.url).searchParams;
        expect(params.get('url')).toBe(s.url);
        expect(params.get('state')).toBe(state);
        expect(params.get('after')).toBe('1');
        if (state === 'tlsa-mismatch') expect(params.get('helper')).toBe(s.ip);
        const blocked = await openExtensionPage(b, info.url.slice(b.origin.length + 1), { width: 720, height: 560 });
        const text = await blocked.evaluate(() => ({
          after: !document.getElementById('after-load')?.hidden ? document.getElementById('after-load')?.textContent : null,
          helper: document.getElementById('helper-source')?.hidden ? null : document.getElementById('helper-source')?.textContent,
        }));
        expect(text.after).toBe(en.blockedAfterLoad);
        if (state === 'tlsa-mismatch') expect(text.helper).toBe(en.blockedHelperSource!.replace('$ADDRESS$', s.ip));
        await screenshot(blocked, `blocked-chromium-${state}`);
        await blocked.close();
        await closeTab(page, tabId);
      }
    } finally {
      await configure(page, worldOptions(world));
    }
  }, 60_000);
});

test('the helper refuses an address that was not validated', { timeout: 60_000, retry: 1 }, async () => {
  // A second Chromium whose resolver rules send www.alg13.test to www.alg8.test's server.
  const target = site('alg13-www');
  const other = site('alg8-www');
  const lying: World = { ...world, sites: world.sites.map((s) => (s.host === target.host ? { ...s, ip: other.ip } : s)) };
  const b2 = await launchChromium({ extensionDir: path.join(REPO, 'dist', 'chrome'), world: lying, nativeHelper: true });
  try {
    const cdp = await b2.browser.target().createCDPSession();
    await cdp.send('Security.setIgnoreCertificateErrors', { ignore: true });
    const page2 = await openExtensionPage(b2, 'src/options/index.html');
    await configure(page2, worldOptions(world));
    await ext(page2, "return api.runtime.sendMessage({ type: 'getTabState', tabId: 0 }).catch(() => null);");
    const tabId = await openTab(page2, target.url);
    const done = (s: TabState) => s.url === target.url && s.details?.helper?.error != null;
    let state = await waitFor('helper refusal', () => tabState(page2, tabId), done, 15_000).catch(() => null);
    if (!state) {
      await ext(page2, 'await api.tabs.reload(arg);', tabId);
      state = await waitFor('helper refusal after a reload', () => tabState(page2, tabId), done);
    }
    expect(state.details?.connection).toEqual({ ip: other.ip, matches: false });
    expect(state.details?.helper?.error).toBe('address-not-validated');
    expect(state.details?.certificateSource ?? null).toBeNull();
    expect(state.state).toBe('address-mismatch');
  } finally {
    await b2.close();
  }
});
