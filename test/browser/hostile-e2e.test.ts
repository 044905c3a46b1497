/**
 * Issue #8 end to end, in Chromium (Debian's, through puppeteer) with the built extension:
 *
 * - a lying resolver: the extension's resolver is the world front's `/lie/<attack>/dns-query`
 *   (the browser itself resolves the sites through --host-resolver-rules, so only the extension's
 *   resolver lies): the tab never shows a secure state, it ends bogus;
 * - failures: a dead resolver (closed port) and one that never answers end in the indeterminate
 *   (orange "?") state, never stuck on "checking", and the page still loads; a dead primary with a
 *   working secondary gives the normal verdict;
 * - privacy: every question the front receives under this test's tag is logged while the extension
 *   visits a .test site, an IP literal, localhost, a single-label name, a special-use name and a
 *   user-excluded site: only the .test site's names (and its ancestors' DS/DNSKEY) are asked, and
 *   the extension's service worker sends nothing anywhere but to the configured resolver URL;
 * - private windows: an incognito context is not checked by default (and is, once allowed).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { TabState } from '../../src/shared/messages';
import { httpsFetch } from '../../src/cli/https-fetch';
import type { Options } from '../../src/shared/options';
import { readWorld } from '../world/world.mjs';
import { configure as storeOptions, ext, tabState, toolbar as tabInfo, worldOptions } from './extension';
import { launchChromium, openExtensionPage, type LaunchedBrowser } from './harness';
import { frontTagStats, taggedResolver } from '../support/front';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const world = readWorld();
const FRONT = world.front.base;
/** Nothing listens there. */
const DEAD = `https://${new URL(FRONT).hostname}:9/dns-query`;

const en = Object.fromEntries(
  Object.entries(JSON.parse(fs.readFileSync(path.join(REPO, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>).map(([k, v]) => [k, v.message]),
);

function ensureBuild(): void {
  if (!fs.existsSync(path.join(REPO, 'dist', 'chrome', 'manifest.json'))) execFileSync('npm', ['run', 'build:chrome'], { cwd: REPO, stdio: 'pipe', timeout: 180_000 });
}

function siteUrl(caseId: string): string {
  const s = world.sites.find((x) => x.case === caseId);
  if (!s) throw new Error(`no site for ${caseId}`);
  return `https://${s.host}${s.port === 443 ? '' : `:${s.port}`}/`;
}

/** The world's options with this resolver. */
const options = (resolver: string, extra: Partial<Options> = {}): Options => worldOptions(world, { resolver: { kind: 'custom', url: resolver }, ...extra });

/** Stores the options, then gives the background a moment to apply them (storage.onChanged). */
async function configure(page: Page, o: Options): Promise<void> {
  await storeOptions(page, o);
  await sleep(300);
}
/** Tabs opened by a test; closed after it, so that later option changes do not re-check them. */
const opened: number[] = [];
async function openTab(page: Page, url: string): Promise<number> {
  const id = await ext<number>(page, 'const t = await api.tabs.create({ url: arg, active: true }); return t.id;', url);
  opened.push(id);
  return id;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls the tab state every 100 ms until `done`, returning every state seen on the way (a secure
 * state shown even briefly must not go unnoticed).
 */
async function watch(page: Page, tabId: number, done: (s: TabState) => boolean, timeoutMs = 20_000): Promise<{ final: TabState; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await tabState(page, tabId).catch(() => null);
    if (s && seen.at(-1) !== s.state) seen.push(s.state);
    if (s && done(s)) return { final: s, seen };
    if (Date.now() > deadline) throw new Error(`tab ${tabId}: no final state after ${timeoutMs} ms; states seen: ${seen.join(' → ')}; last ${JSON.stringify(s)?.slice(0, 600)}`);
    await sleep(100);
  }
}

const settledOn = (url: string) => (s: TabState) => s.url === url && s.state !== 'checking';

const nodeFetch = httpsFetch({ ca: fs.readFileSync(world.ca) });

/** The front's counters for one tag: every question this test's extension sent there. */
const frontStats = (tag: string) => frontTagStats(nodeFetch, FRONT, tag);

let b: LaunchedBrowser;
let helper: Page;

beforeAll(async () => {
  ensureBuild();
  b = await launchChromium({ extensionDir: path.join(REPO, 'dist', 'chrome'), world });
  helper = await openExtensionPage(b, 'src/options/index.html');
}, 90_000);

afterEach(async () => {
  for (const id of opened.splice(0)) await ext(helper, 'await api.tabs.remove(arg);', id).catch(() => undefined);
});

afterAll(async () => {
  nodeFetch.close();
  await b?.close();
}, 30_000);

describe('chromium: a lying resolver never gets a secure state', () => {
  test.each([
    ['forge-a', 'alg13-www'],
    ['strip-rrsig', 'alg15-www'],
    ['drop-ds', 'alg8-www'],
    ['ad-garbage', 'nsec3-www'],
  ])('%s on %s', async (attack, caseId) => {
    const tag = `e2e-lie-${randomUUID()}`;
    await configure(helper, options(taggedResolver(FRONT, tag, `/lie/${attack}`)));
    const url = siteUrl(caseId);
    const tabId = await openTab(helper, url);
    const { final, seen } = await watch(helper, tabId, settledOn(url));
    expect(seen, seen.join(' → ')).not.toContain('secure');
    expect(seen).not.toContain('secure-tlsa-match');
    expect(seen).not.toContain('secure-not-compared');
    expect(final.state, JSON.stringify(final.details?.address)).toBe('bogus');
    // Chromium resets a tab's button when the navigation commits; the background paints it again
    // right after: poll briefly instead of reading once.
    const want = `${en.stateBogus} – ${new URL(url).hostname}`;
    let info = await tabInfo(helper, tabId);
    for (let i = 0; i < 50 && info.title !== want; i++) {
      await sleep(100);
      info = await tabInfo(helper, tabId);
    }
    expect(info.title).toBe(want);
    expect(info.badge).toBe('✗');
    expect((await frontStats(tag)).lies).toBeGreaterThan(0);
  }, 40_000);
});

describe('chromium: resolver failures end indeterminate, pages still load', () => {
  test('dead resolver (closed port): "?" and the page loads', async () => {
    await configure(helper, options(DEAD));
    const url = siteUrl('alg14-www');
    const tabId = await openTab(helper, url);
    const { final, seen } = await watch(helper, tabId, settledOn(url));
    expect(final.state).toBe('indeterminate');
    expect(seen.at(-1)).toBe('indeterminate');
    expect(final.details?.address.state ?? 'indeterminate').toBe('indeterminate');
    // The page itself loads (the browser resolves it on its own).
    const info = await (async () => {
      for (let i = 0; i < 100; i++) {
        const t = await tabInfo(helper, tabId);
        if (t.status === 'complete' && t.pageTitle === 'alg14-www') return t;
        await sleep(100);
      }
      return tabInfo(helper, tabId);
    })();
    expect(info).toMatchObject({ status: 'complete', pageTitle: 'alg14-www', badge: '?' });
    expect(info.title).toBe(`${en.stateIndeterminate} – www.alg14.test`);
  }, 40_000);

  test('a resolver that never answers: indeterminate after the timeouts, not stuck on "checking"', async () => {
    const tag = `e2e-hang-${randomUUID()}`;
    await configure(helper, options(taggedResolver(FRONT, tag, '/fail/hang')));
    const url = siteUrl('alg16-www');
    const tabId = await openTab(helper, url);
    // Engine: 5 s per attempt, one retry after 100 ms.
    const { final } = await watch(helper, tabId, settledOn(url), 25_000);
    expect(final.state).toBe('indeterminate');
    const info = await tabInfo(helper, tabId);
    expect(info.badge).toBe('?');
    expect(info.pageTitle).toBe('alg16-www');
  }, 40_000);

  test('dead primary, working secondary: the normal (secure) verdict', async () => {
    const tag = `e2e-failover-${randomUUID()}`;
    await configure(helper, { ...options(DEAD), secondaryResolver: { kind: 'custom', url: taggedResolver(FRONT, tag) } });
    const url = siteUrl('rollover-www');
    const tabId = await openTab(helper, url);
    const { final } = await watch(helper, tabId, settledOn(url));
    // signed TLSA records, no certificate in Chromium without the helper: "not compared", never plain secure
    expect(final.state).toBe('secure-not-compared');
    expect((await frontStats(tag)).total).toBeGreaterThan(0);
  }, 40_000);
});

describe('chromium: privacy', () => {
  let cdp: CDPSession | null = null;
  const requests: string[] = [];

  beforeAll(async () => {
    // Every request the extension's service worker makes (Chromium DevTools protocol).
    const sw = await b.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(b.origin), { timeout: 10_000 });
    cdp = await sw.createCDPSession();
    cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => requests.push(e.request.url));
    await cdp.send('Network.enable');
  }, 30_000);

  afterAll(async () => {
    await cdp?.detach().catch(() => undefined);
  });

  test('only the visited .test site and its ancestors are asked; nothing for IP literals, localhost, single-label, special-use or excluded names', async () => {
    const tag = `e2e-privacy-${randomUUID()}`;
    const resolver = taggedResolver(FRONT, tag);
    await configure(helper, options(resolver, { exclusions: ['www.alg14.test', '*.dane.test'] }));
    requests.length = 0;
    const site = siteUrl('alg13-www');
    const visits = [
      site,
      'https://127.0.60.3/', // IP literal of the same site
      'http://localhost:9/',
      'https://intranet/', // single label
      'https://printer.local/', // special-use (mDNS)
      siteUrl('alg14-www'), // excluded by name
      siteUrl('dane-ee-spki-sha256'), // excluded by *.dane.test
    ];
    const tabs: number[] = [];
    for (const url of visits) tabs.push(await openTab(helper, url));
    const states = await Promise.all(
      tabs.map((id, i) => watch(helper, id, (s) => s.state !== 'checking' && (s.url === visits[i] || s.state === 'off'))),
    );
    expect(states[0].final.state).toBe('secure-not-compared');
    expect(states.slice(1).map((s) => [s.final.state, s.final.skip])).toEqual([
      ['off', 'ip-literal'],
      ['off', 'special-use'],
      ['off', 'single-label'],
      ['off', 'special-use'],
      ['off', 'excluded'],
      ['off', 'excluded'],
    ]);
    await sleep(1000); // anything late would still be logged
    const asked = Object.keys((await frontStats(tag)).byName);
    const allowedNames = ['.', 'test.', 'alg13.test.', 'www.alg13.test.', '_tcp.www.alg13.test.', '_443._tcp.www.alg13.test.'];
    for (const q of asked) {
      const [name, type] = [q.slice(0, q.lastIndexOf('/')), q.slice(q.lastIndexOf('/') + 1)];
      expect(allowedNames, `unexpected question ${q}`).toContain(name.toLowerCase());
      const ok = ['DS', 'DNSKEY'].includes(type) || (['A', 'AAAA'].includes(type) && name === 'www.alg13.test.') || (type === 'TLSA' && name === '_443._tcp.www.alg13.test.');
      expect(ok, `unexpected question ${q}`).toBe(true);
    }
    expect(asked).toEqual(expect.arrayContaining(['www.alg13.test./A', 'www.alg13.test./AAAA', '_443._tcp.www.alg13.test./TLSA', 'alg13.test./DS']));
    // The extension's own network traffic: only the configured resolver (its own packaged files,
    // e.g. icons loaded by action.setIcon, are not network traffic).
    const network = requests.filter((u) => !u.startsWith(`${b.origin}/`));
    expect(network.length).toBeGreaterThan(0);
    for (const u of network) expect(u.startsWith(`${resolver}`), u).toBe(true);
  }, 60_000);
});

describe('chromium: private (incognito) windows', () => {
  /** The extension allowed in incognito (chrome://extensions' own API, what its toggle does); false if impossible. */
  let allowed = false;
  let incognito: Awaited<ReturnType<LaunchedBrowser['browser']['createBrowserContext']>> | null = null;

  beforeAll(async () => {
    const mgmt = await b.browser.newPage();
    try {
      await mgmt.goto('chrome://extensions/', { waitUntil: 'load' });
      allowed = await mgmt.evaluate(async (id: string) => {
        type Api = {
          developerPrivate?: { updateExtensionConfiguration(c: object): Promise<void>; getExtensionInfo(id: string): Promise<{ state: string }> };
          management: { setEnabled(id: string, on: boolean): Promise<void> };
        };
        const api = (globalThis as unknown as { chrome: Api }).chrome;
        const dp = api.developerPrivate;
        if (!dp) return false;
        await dp.updateExtensionConfiguration({ extensionId: id, incognitoAccess: true });
        // The toggle reloads the extension, and Chromium disables an unpacked extension loaded
        // through the DevTools protocol on reload ("unsupported developer extension"): enable it again.
        for (let i = 0; i < 50 && (await dp.getExtensionInfo(id)).state !== 'ENABLED'; i++) {
          await api.management.setEnabled(id, true).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
        }
        return (await dp.getExtensionInfo(id)).state === 'ENABLED';
      }, b.extensionId);
    } catch {
      allowed = false;
    } finally {
      await mgmt.close().catch(() => undefined);
    }
    if (!allowed) return;
    // The reload closed the extension's pages: a fresh helper page once the worker is back.
    await b.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(b.origin), { timeout: 10_000 });
    for (let i = 0; ; i++) {
      try {
        helper = await openExtensionPage(b, 'src/options/index.html');
        break;
      } catch (e) {
        if (i >= 30) throw e; // net::ERR_BLOCKED_BY_CLIENT while the extension reloads
        await sleep(200);
      }
    }
    incognito = await b.browser.createBrowserContext();
  }, 60_000);

  afterAll(async () => {
    await incognito?.close().catch(() => undefined);
  });

  /** Opens `url` in a new incognito page; the extension's tab id of it, or null if it cannot see it. */
  async function privateTab(url: string): Promise<number | null> {
    const page = await incognito!.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return ext<number | null>(helper, 'const t = await api.tabs.query({ url: arg }); return t.find((x) => x.incognito)?.id ?? null;', url);
  }

  // KNOWN BUG (src/background/navigations.ts, incognitoOf): Chromium's webRequest details carry no
  // `incognito` field and tabs.get(details.tabId) still fails ("No tab with id") for the first
  // navigation of a new tab, so incognitoOf() falls back to false: the private navigation is
  // validated and its names (A, AAAA, TLSA, DS/DNSKEY of www.alg10.test here) go to the resolver.
  // tabs.onUpdated then re-evaluates the tab as private ('off'), but the questions were sent, and
  // the tab may even end showing the leaked verdict. Fix: fail closed (unknown → private).
  test('by default, no question about a private-window navigation reaches the resolver', async (ctx) => {
    if (!allowed) return ctx.skip(); // chrome://extensions' developerPrivate API unavailable
    const tag = `e2e-private-${randomUUID()}`;
    await configure(helper, options(taggedResolver(FRONT, tag)));
    const url = siteUrl('alg10-www'); // not visited before in this browser (no cached verdict)
    const tabId = await privateTab(url);
    if (tabId === null) return ctx.skip(); // the extension does not see the incognito context's tabs
    await sleep(1500);
    const final = await tabState(helper, tabId);
    const leaked = Object.keys((await frontStats(tag)).byName).filter((q) => q.includes('alg10'));
    expect({ state: final.state, skip: final.skip, leaked }).toEqual({ state: 'off', skip: 'private-window', leaked: [] });
  }, 30_000);

  test('with private windows allowed in the options, a private tab is checked', async (ctx) => {
    if (!allowed) return ctx.skip();
    const tag = `e2e-private-on-${randomUUID()}`;
    await configure(helper, options(taggedResolver(FRONT, tag), { privateWindows: true }));
    const url = siteUrl('dane-pkix-ee'); // a .test site (the harness proxies other names away)
    const tabId = await privateTab(url);
    if (tabId === null) return ctx.skip();
    const { final } = await watch(helper, tabId, (s) => s.state !== 'checking' && s.state !== 'off');
    expect(final.state).toBe('secure-not-compared');
    expect(Object.keys((await frontStats(tag)).byName)).toContain('pkix-ee.dane.test./A');
  }, 30_000);
});
