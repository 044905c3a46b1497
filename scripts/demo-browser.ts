/**
 * The browser half of the demo (scripts/demo.ts): a real browser (Debian chromium or firefox-esr,
 * launched by test/browser/harness.ts) with the built extension, set through its options storage
 * to the world's DoH resolver and root trust anchor, visits every catalogue case, and for each tab
 * the extension's verdict (background tab state, toolbar title and badge) is read and the popup
 * is photographed.
 *
 * The expected display state is derived per browser with the extension's own pure mapping
 * (`displayStateFor`, src/shared/display-state.ts) from the catalogue's DNS facts and what the
 * browser could see: Chromium has no certificate API (never a TLSA match or mismatch there);
 * Firefox compares the certificate only when the page loaded over TLS. A page that should load
 * (a world site the browser can resolve and whose certificate it trusts) but did not is a failure.
 *
 * The helpers that drive the extension from one of its pages live in test/browser/extension.ts
 * (the e2e tests' library); the demo imports them from there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import type { DisplayState } from '../src/shared/display-state';
import type { TabDetails, TabState } from '../src/shared/messages';
import {
  POPUP_WIDTH,
  caseUrl,
  closeTab,
  configure,
  expectedDisplayState,
  openTab,
  pageShouldLoad,
  showPopup,
  tabState,
  toolbar,
  waitFor,
  waitForVerdict,
  worldOptions,
  type TabInfo,
} from '../test/browser/extension';
import { launchChromium, launchFirefox, openExtensionPage, type BrowserName, type LaunchedBrowser } from '../test/browser/harness';
import type { Catalogue, CatalogueCase, World } from '../test/world/world.mjs';
import { OUTSIDE_NAME_CONSTRAINTS, worldPkixTrusts } from '../test/world/lib/dane-pki.mjs';

const REPO = path.resolve(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------
// The demo run

export interface BrowserRow {
  id: string;
  host: string;
  url: string;
  site: boolean;
  /** The catalogue's facts: address, TLSA, DANE. */
  catalogue: string;
  /** What this browser must show (displayStateFor of the catalogue and what the browser saw). */
  expected: DisplayState;
  /** What the extension showed: its tab state, toolbar title and badge. */
  shown: DisplayState | 'no verdict';
  title: string;
  badge: string;
  /** What the browser got: "page + certificate", "page", or why not. */
  seen: string;
  ok: boolean;
  problem: string;
  /** Popup screenshot, relative to the output folder. */
  screenshot: string | null;
  ms: number;
}

export interface BrowserDemoOptions {
  browser: BrowserName;
  headed: boolean;
  world: World;
  catalogue: Catalogue;
  /** Output folder; screenshots go to <out>/screenshots/<browser>/<case>.png. */
  out: string;
  /** Chromium: install the native helper into the profile (the demo's default; --no-helper turns it off). */
  helper: boolean;
  log: (message: string) => void;
}

export interface BrowserDemo {
  rows: BrowserRow[];
  b: LaunchedBrowser;
  /** A helper page of the extension (options page), usable with ext(). */
  helper: Page;
}

const SETTLE_MS = 15_000;
/** How long a page that cannot load is given to fail before its verdict is read anyway. */
const NO_PAGE_GRACE_MS = 1_500;

/** Chromium: with the native helper installed into the profile (nativeHelper), or without it. */
export async function launchWithExtension(browser: BrowserName, world: World, headed: boolean, nativeHelper = false): Promise<LaunchedBrowser> {
  const dist = path.join(REPO, 'dist', browser === 'chromium' ? 'chrome' : 'firefox');
  if (browser === 'firefox') return launchFirefox({ extensionDir: dist, world, headless: !headed });
  return launchChromium({ extensionDir: dist, world, headless: !headed, nativeHelper });
}

/** Signed TLSA records and signed addresses: the hosts the Chromium build asks the helper about (src/background/helper.ts). */
function signedTlsa(d: TabDetails): boolean {
  return d.tlsa.enabled && d.tlsa.state === 'secure' && d.tlsa.result === 'data' && d.address.state === 'secure';
}

/** Visits every catalogue case; the browser stays open (close `b` when done). */
export async function runBrowserDemo(o: BrowserDemoOptions): Promise<BrowserDemo> {
  const t0 = performance.now();
  const b = await launchWithExtension(o.browser, o.world, o.headed, o.browser === 'chromium' && o.helper);
  try {
    o.log(`${o.browser}: started with the extension in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions(o.world));
    const popup = await b.browser.newPage();
    await popup.setViewport({ width: POPUP_WIDTH, height: 300 });
    const shotDir = path.join(o.out, 'screenshots', o.browser);
    fs.rmSync(shotDir, { recursive: true, force: true });
    fs.mkdirSync(shotDir, { recursive: true });
    const rows: BrowserRow[] = [];
    for (const c of o.catalogue.cases) {
      const row = await visit(b, helper, popup, c, o, shotDir);
      rows.push(row);
      o.log(`${row.ok ? '✓' : '✗'} ${o.browser} ${c.id.padEnd(28)} ${row.shown.padEnd(18)} ${row.seen} (${row.ms} ms)${row.ok ? '' : `   ✗ expected ${row.expected}: ${row.problem}`}`);
    }
    await popup.close();
    return { rows, b, helper };
  } catch (e) {
    await b.close();
    throw e;
  }
}

async function visit(b: LaunchedBrowser, helper: Page, popup: Page, c: CatalogueCase, o: BrowserDemoOptions, shotDir: string): Promise<BrowserRow> {
  const started = performance.now();
  const url = caseUrl(c, o.world);
  const site = o.world.sites.find((s) => s.case === c.id) ?? null;
  const shouldLoad = pageShouldLoad(c, o.browser);
  const catalogue = `${c.address.state}/${c.address.result} · TLSA ${c.tlsa.state}/${c.tlsa.result} · DANE ${c.dane}`;
  const problems: string[] = [];
  const tabId = await openTab(helper, url);
  let state: TabState | null = null;
  let info: TabInfo | null = null;
  try {
    const deadline = Date.now() + SETTLE_MS;
    // Settled: a verdict for this URL, the certificate comparison done, the tab finished loading,
    // and (for a page that should load) the connection known — the certificate too in Firefox.
    for (;;) {
      [state, info] = await Promise.all([tabState(helper, tabId).catch(() => null), toolbar(helper, tabId).catch(() => null)]);
      const d = state?.details;
      const done =
        state !== null &&
        info !== null &&
        state.url === url &&
        state.state !== 'checking' &&
        (shouldLoad
          ? info.status === 'complete' &&
            d?.dane.cert !== 'pending' &&
            d?.connection.ip != null &&
            (o.browser === 'firefox' ? d.certificate != null : !o.helper || !signedTlsa(d) || d.certificate != null)
          : // An error page may take long to finish (a refused proxy, a TLS failure), and without a
            // response Firefox's certificate comparison stays "pending": the DNS verdict suffices.
            (info.status === 'complete' && d?.dane.cert !== 'pending') || performance.now() - started > NO_PAGE_GRACE_MS);
      if (done || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The toolbar is painted after the state is published: give it a moment to catch up.
    if (state && info && !info.title.includes(c.host)) info = await toolbar(helper, tabId).catch(() => info);

    const d = state?.details ?? null;
    const certificate = d?.certificate != null;
    const ip = d?.connection.ip ?? null;
    const via = d?.certificateSource === 'helper' ? ` via the helper (${d.certificateAddress ?? '?'})` : '';
    const seen = ip === null ? (shouldLoad ? 'page did not load' : notLoadedWhy(c, o.browser)) : certificate ? `page (${ip}) + certificate${via}` : `page (${ip})`;
    if (shouldLoad && ip === null) problems.push('the page should have loaded but the extension saw no connection');
    if (shouldLoad && o.browser === 'firefox' && !certificate) problems.push('Firefox should have given the extension the certificate');
    const helperNeeded = o.browser === 'chromium' && o.helper && c.tlsa.state === 'secure' && c.tlsa.result === 'data' && c.address.state === 'secure';
    if (shouldLoad && helperNeeded && !certificate) problems.push(`the helper should have compared the certificate (${d?.dane.reason ?? 'no reason given'})`);
    const expected = expectedDisplayState(c, { certificate, ip, siteIp: site?.ip ?? null });
    const shown = state && state.url === url && state.state !== 'checking' ? state.state : 'no verdict';
    if (shown !== expected) problems.push(`the extension shows ${shown}`);
    if (state?.host !== c.host) problems.push(`tab state is about ${state?.host ?? 'nothing'}`);
    if (info && shown !== 'no verdict' && !info.title.includes(c.host)) problems.push(`toolbar title "${info.title}" does not name the host`);

    let screenshot: string | null = null;
    const shotStart = performance.now();
    try {
      await showPopup(b, popup, tabId);
      const file = path.join(shotDir, `${c.id}.png`);
      await popup.screenshot({ path: file as `${string}.png`, fullPage: true });
      screenshot = path.relative(o.out, file);
      if (process.env.DEMO_DEBUG) o.log(`  settle ${Math.round(shotStart - started)} ms, popup ${Math.round(performance.now() - shotStart)} ms`);
    } catch (e) {
      problems.push(`popup: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {
      id: c.id,
      host: c.host,
      url,
      site: c.site,
      catalogue,
      expected,
      shown,
      title: info?.title ?? '',
      badge: info?.badge ?? '',
      seen,
      ok: problems.length === 0,
      problem: problems.join('; '),
      screenshot,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await closeTab(helper, tabId).catch(() => undefined);
  }
}

function notLoadedWhy(c: CatalogueCase, browser: BrowserName): string {
  if (!c.site) return 'no page: no web server for this name';
  if (c.cert?.issuer === 'self') return 'no page: self-signed certificate, refused by the browser';
  if (OUTSIDE_NAME_CONSTRAINTS.includes(c.cert?.issuer ?? '')) return "no page: the name is outside its CA's nameConstraints, which the browser enforces";
  if (!worldPkixTrusts(c)) return 'no page: the root is only in DNS (DANE-TA), in no browser trust store';
  if (c.cert?.key === 'ed25519') return 'no page: Ed25519 certificate, which browsers do not accept in TLS';
  if (!c.host.endsWith('.test')) return 'no page: the harness proxy guard lets only .test names through';
  if (browser === 'firefox' && c.address.state === 'bogus') return "no page: Firefox's DoH (unbound) answers SERVFAIL";
  return 'no page';
}

// ---------------------------------------------------------------------------------------------
// The README's screenshots (docs/screenshots/, committed): `npm run demo -- --readme-screenshots`

export const README_SCREENSHOTS_DIR = path.join(REPO, 'docs', 'screenshots');

/** Popup states shown in the README (Firefox: the only browser that shows every state), by case. */
const README_POPUPS: { file: string; caseId: string; resolverDown?: boolean }[] = [
  { file: 'popup-secure-tlsa-match.png', caseId: 'alg13-www' },
  { file: 'popup-tlsa-mismatch.png', caseId: 'dane-mismatch-ee' },
  { file: 'popup-bogus.png', caseId: 'bogus-expired' },
  { file: 'popup-insecure.png', caseId: 'insecure-nsec' },
  { file: 'popup-secure.png', caseId: 'dane-notlsa' },
  { file: 'popup-indeterminate.png', caseId: 'alg13-www', resolverDown: true },
];

/**
 * A resolver that is down: a closed port on the world's DoH front address (loopback only).
 * Connection refused at once, so the verdict is "could not be checked" without waiting.
 */
export function deadResolver(world: World): string {
  return `https://${new URL(world.front.base).hostname}:9/dns-query`;
}

/**
 * Writes docs/screenshots/*.png: the popup in the main states, the options page and the block
 * page, from Firefox ESR (headless, 400 px wide popups, collapsed as a person first sees them),
 * then shrinks them with pngquant and optipng where installed (Debian packages of those names).
 */
export async function writeReadmeScreenshots(o: { world: World; catalogue: Catalogue; log: (m: string) => void }): Promise<string[]> {
  const dir = README_SCREENSHOTS_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const b = await launchWithExtension('firefox', o.world, false);
  const written: string[] = [];
  try {
    const helper = await openExtensionPage(b, 'src/options/index.html');
    const popup = await b.browser.newPage();
    await popup.setViewport({ width: POPUP_WIDTH, height: 300 });
    for (const shot of README_POPUPS) {
      const c = o.catalogue.cases.find((x) => x.id === shot.caseId);
      if (!c) throw new Error(`catalogue case ${shot.caseId} missing`);
      await configure(helper, worldOptions(o.world, shot.resolverDown ? { resolver: { kind: 'custom', url: deadResolver(o.world) } } : {}));
      const url = caseUrl(c, o.world);
      const tabId = await openTab(helper, url);
      await waitForVerdict(helper, tabId, url, pageShouldLoad(c, 'firefox') && !shot.resolverDown);
      await showPopup(b, popup, tabId);
      const file = path.join(dir, shot.file);
      await popup.screenshot({ path: file as `${string}.png`, fullPage: true });
      written.push(file);
      await closeTab(helper, tabId);
    }
    await popup.close();

    // The options page, set to the world (custom resolver, custom trust anchor), after a resolver test.
    await configure(helper, worldOptions(o.world));
    // The upper part (resolvers, trust anchor, checks, exclusions): the whole page is too long.
    const options = await openExtensionPage(b, 'src/options/index.html', { width: 720, height: 1180 });
    await options.waitForFunction('document.getElementById("resolver")?.value === "custom"', { timeout: 10_000 });
    await options.click('#test-resolver');
    await options.waitForFunction('document.getElementById("test-status")?.className === "ok"', { timeout: 20_000 });
    const optionsFile = path.join(dir, 'options.png');
    await options.screenshot({ path: optionsFile as `${string}.png` });
    written.push(optionsFile);
    await options.close();

    // The block page: enforcement on, a TLSA mismatch.
    await configure(helper, worldOptions(o.world, { enforcement: true }));
    const mismatch = o.catalogue.cases.find((x) => x.id === 'dane-mismatch-ee')!;
    const tabId = await openTab(helper, caseUrl(mismatch, o.world));
    const blockPrefix = b.extensionUrl('src/blocked/index.html');
    const info = await waitFor('block page', () => toolbar(helper, tabId), (t) => t.url.startsWith(blockPrefix) && t.status === 'complete');
    const blocked = await openExtensionPage(b, info.url.slice(b.origin.length + 1), { width: 720, height: 480 });
    const blockedFile = path.join(dir, 'blocked.png');
    await blocked.screenshot({ path: blockedFile as `${string}.png`, fullPage: true });
    written.push(blockedFile);
    await configure(helper, worldOptions(o.world));
  } finally {
    await b.close();
  }
  for (const file of written) {
    const before = fs.statSync(file).size;
    shrinkPng(file);
    o.log(`${path.relative(REPO, file)}: ${Math.round(before / 1024)} KB → ${Math.round(fs.statSync(file).size / 1024)} KB`);
  }
  return written;
}

/** pngquant (lossy palette, visually the same for UI) then optipng, each only if installed. */
function shrinkPng(file: string): void {
  const run = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  run('pngquant', ['--force', '--skip-if-larger', '--quality', '65-90', '--strip', '--output', file, file]);
  run('optipng', ['-quiet', '-o2', file]);
}
