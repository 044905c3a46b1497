/**
 * The e2e tests' library for driving the extension from one of its own pages (the options page
 * used as a helper): options, tabs, tab states, toolbar, the popup, and what each browser can show
 * for a catalogue case. Used by test/browser/*.test.ts, scripts/demo-browser.ts,
 * scripts/store-screenshots.ts and bench/page-load.ts.
 */
import fs from 'node:fs';
import type { Page } from 'puppeteer';
import type { CheckResult } from '../../src/core/check';
import { displayStateFor, type CertComparison, type DisplayState } from '../../src/shared/display-state';
import type { TabState } from '../../src/shared/messages';
import { defaultOptions, type Options } from '../../src/shared/options';
import { gotoExtensionPage, type BrowserName, type LaunchedBrowser } from './harness';
import { worldPkixTrusts } from '../world/lib/dane-pki.mjs';
import type { CatalogueCase, World } from '../world/world.mjs';

// ---------------------------------------------------------------------------------------------
// Driving the extension from one of its own pages (options page used as a helper)

/** Options for the offline world: its unbound DoH, its root anchor, `.test`/`.example` checked. */
export function worldOptions(world: World, extra: Partial<Options> = {}): Options {
  return {
    ...defaultOptions(),
    resolver: { kind: 'custom', url: world.resolvers.unbound.doh },
    secondaryResolver: null,
    trustAnchor: { kind: 'custom', text: fs.readFileSync(world.trustAnchor.zone, 'utf8') },
    skipTestDomains: false,
    ...extra,
  };
}

/**
 * Runs `body` (the text of an async function body; `api` = browser/chrome, `arg` = the JSON
 * argument) in an extension page. Text, not a function, so no transpiler helper leaks into it.
 */
export function ext<T>(page: Page, body: string, arg: unknown = null): Promise<T> {
  return page.evaluate(
    `(async (api, arg) => { ${body} })(globalThis.browser ?? globalThis.chrome, ${JSON.stringify(arg)})`,
  ) as Promise<T>;
}

/**
 * Waits until the background has run its whole start-up script (its message listener answers;
 * every listener, storage.onChanged among them, is registered in the same synchronous run). A
 * storage change made while a just-started service worker is still evaluating its modules can
 * reach it before its listeners exist (seen in Chromium e2e right after launch).
 */
export async function backgroundReady(page: Page, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ext<string>(
      page,
      "try { await api.runtime.sendMessage({ type: 'getTabState', tabId: -1 }); return 'ok'; } catch (e) { return String(e && e.message || e); }",
    );
    if (!/Receiving end does not exist|Could not establish connection/i.test(answer)) return;
    if (Date.now() > deadline) throw new Error(`background not ready: ${answer}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function configure(page: Page, options: Options): Promise<void> {
  await backgroundReady(page);
  await ext(page, 'await api.storage.local.set({ options: arg });', options);
}

export function storedOptions(page: Page): Promise<Options | undefined> {
  return ext(page, "return (await api.storage.local.get('options')).options;");
}

export function openTab(page: Page, url: string, active = true): Promise<number> {
  return ext(page, 'const t = await api.tabs.create({ url: arg.url, active: arg.active }); return t.id;', { url, active });
}

export function closeTab(page: Page, tabId: number): Promise<void> {
  return ext(page, 'await api.tabs.remove(arg);', tabId);
}

export function tabState(page: Page, tabId: number): Promise<TabState> {
  return ext(page, "return api.runtime.sendMessage({ type: 'getTabState', tabId: arg });", tabId);
}

export interface TabInfo {
  title: string;
  badge: string;
  url: string;
  status: string;
  /** The page's own title. */
  pageTitle: string;
}

/** The toolbar button of a tab (title, badge) and the tab's URL and load status. */
export function toolbar(page: Page, tabId: number): Promise<TabInfo> {
  return ext(
    page,
    'const [title, badge, tab] = await Promise.all([api.action.getTitle({ tabId: arg }), api.action.getBadgeText({ tabId: arg }), api.tabs.get(arg)]);' +
      ' return { title, badge, url: tab.url, status: tab.status, pageTitle: tab.title };',
    tabId,
  );
}

export async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last value ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Popup width (the popup fits 400 px; browsers allow at most 800×600). */
export const POPUP_WIDTH = 400;

/** Shows the popup for `tabId` in `page` (the popup document opened as a tab, `?tabId=`), rendered. */
export async function showPopup(b: LaunchedBrowser, page: Page, tabId: number): Promise<void> {
  const rendered = 'document.body.dataset.state !== undefined && document.body.dataset.state !== "checking"';
  for (let attempt = 1; ; attempt++) {
    try {
      await gotoExtensionPage(b, page, `src/popup/index.html?tabId=${tabId}`);
      await page.waitForFunction(rendered, { timeout: 10_000 });
      return;
    } catch (e) {
      // A busy machine can make the first extension page of a browser slow: one more try.
      if (attempt >= 2) {
        const seen = await page
          .evaluate('({ state: document.body?.dataset.state ?? null, error: !document.getElementById("error")?.hidden, href: location.href })')
          .catch(() => null);
        throw new Error(`popup for tab ${tabId} not rendered: ${e instanceof Error ? e.message : String(e)}; page ${JSON.stringify(seen)}`);
      }
    }
  }
}

/**
 * Waits until the tab at `url` has its verdict, its certificate comparison done and its page loaded
 * (with `withCertificate`: the certificate reached the extension, Firefox only). Returns the state.
 */
export async function waitForVerdict(helper: Page, tabId: number, url: string, withCertificate: boolean): Promise<TabState> {
  const [state] = await waitFor(
    `${url} verdict`,
    () => Promise.all([tabState(helper, tabId), toolbar(helper, tabId)]),
    ([s, t]) =>
      s.url === url &&
      s.state !== 'checking' &&
      s.details?.dane.cert !== 'pending' &&
      t.status === 'complete' &&
      (!withCertificate || s.details?.certificate != null),
  );
  return state;
}

/** The URL a catalogue case is visited at. */
export function caseUrl(c: CatalogueCase, world: World): string {
  const site = world.sites.find((s) => s.case === c.id);
  const port = site?.port ?? c.port;
  return `https://${c.host}${port === 443 ? '' : `:${port}`}/`;
}

// ---------------------------------------------------------------------------------------------
// What each browser can show

/**
 * Should the page load in this browser (so the extension sees the connection, and in Firefox the
 * certificate)? A world site, whose certificate chains up to the world CA (the browsers refuse
 * self-signed ones and roots published only in DNS: DANE-EE alone does not make a browser accept a certificate) with a key the
 * browser accepts in TLS (neither Chromium nor Firefox takes Ed25519 certificates), whose name gets
 * past the harness's proxy guard (only `.test` names and IP literals do), and — in Firefox, which
 * resolves names through the world's validating unbound — whose addresses are not bogus
 * (unbound answers SERVFAIL).
 */
export function pageShouldLoad(c: CatalogueCase, browser: BrowserName): boolean {
  if (!c.site || !worldPkixTrusts(c) || c.cert?.key === 'ed25519' || !c.host.endsWith('.test')) return false;
  return browser === 'chromium' || c.address.state !== 'bogus';
}

/** The certificate comparison the catalogue implies, when the certificate is seen. */
export function catalogueComparison(c: CatalogueCase): CertComparison {
  return c.dane === 'match' ? 'match' : c.dane === 'mismatch' ? 'mismatch' : null;
}

/**
 * The display state the extension must show for a catalogue case in a browser, given what the
 * browser saw: whether a certificate reached the extension (Firefox only) and which address the
 * browser connected to. Same pure mapping as the extension.
 */
export function expectedDisplayState(
  c: CatalogueCase,
  seen: { certificate: boolean; ip: string | null; siteIp: string | null },
): DisplayState {
  const addressMatch = seen.ip && c.address.state === 'secure' && seen.siteIp ? seen.ip === seen.siteIp : null;
  return displayStateFor(
    { address: c.address, tlsa: c.tlsa },
    { tlsaEnabled: true, cert: seen.certificate ? catalogueComparison(c) : null, addressMatch },
  );
}

/** The display state a browser with certificate access would show for a `check --connect` result. */
export function coreDisplayState(r: CheckResult): DisplayState {
  const cert: CertComparison = r.dane === 'match' ? 'match' : r.dane === 'mismatch' ? 'mismatch' : null;
  return displayStateFor(r, { tlsaEnabled: true, cert, addressMatch: null });
}
