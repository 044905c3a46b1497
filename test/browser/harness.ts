/**
 * Browser harness for the e2e tests: starts Debian's Chromium or Firefox ESR through puppeteer with
 * the built extension installed, in a throw-away profile that trusts the test world's CA and
 * resolves the world's names — and nothing else. No browser may reach beyond 127.0.0.0/8:
 *
 * - Chromium: names come from --host-resolver-rules (every world site mapped to its 127.0.x.y,
 *   every other name NXDOMAIN, IP literals untouched), background services are switched off, and
 *   every request that is not for loopback or *.test goes to a dead proxy (127.0.0.1:9).
 *   The CA is trusted through $HOME/.pki/nssdb (certutil), HOME being a fresh temp dir.
 * - Firefox: names come from TRR (DoH) mode 3 against the world's unbound DoH resolver (an
 *   IP-literal URL, so no bootstrap), the CA is trusted in the profile's cert9.db (certutil),
 *   telemetry/updates/remote settings/etc. are off, and the same dead-proxy guard is set.
 *   Firefox is started with --remote-allow-system-access: without it WebDriver BiDi refuses to
 *   navigate to moz-extension:// URLs. The moz-extension UUID is fixed through the
 *   extensions.webextensions.uuids pref, so extension pages have a known origin.
 *
 * Usage:
 *   const b = await launchChromium({ extensionDir: 'dist/chrome', world: readWorld() });
 *   const popup = await openPopup(b);
 *   await screenshot(popup, 'popup');
 *   await b.close();
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import type { World } from '../world/world.mjs';
import { install as installHelper } from '../../src/helper/install';

export type BrowserName = 'chromium' | 'firefox';

export interface LaunchOptions {
  /** Unpacked extension: dist/chrome or dist/firefox. */
  extensionDir: string;
  /** readWorld() of the running test world. */
  world: World;
  /** Default true. false needs a display (DISPLAY / xvfb-run). */
  headless?: boolean;
  /** Forward the browser's stdout/stderr to ours (debugging). */
  dumpio?: boolean;
  /**
   * Chromium: install the native helper (src/helper/) into the throw-away profile
   * (<user-data-dir>/NativeMessagingHosts/, trusting the world's CA) and load the extension with
   * its optional `nativeMessaging` permission granted. A person grants it in Chrome's permission
   * dialog from the options page; headless automation cannot click that dialog, so the copy of the
   * extension loaded here lists the permission as required (same key, same id).
   */
  nativeHelper?: boolean;
  /** Firefox: further preferences (the page-load bench shortens the event page's idle time-out). */
  firefoxPrefs?: Record<string, string | number | boolean>;
}

export interface LaunchedBrowser {
  name: BrowserName;
  browser: Browser;
  /** Chrome: the extension id; Firefox: the gecko id from the manifest. */
  extensionId: string;
  /** chrome-extension://<id> or moz-extension://<uuid>, no trailing slash. */
  origin: string;
  /** The built manifest.json of the installed extension. */
  manifest: ExtensionManifest;
  /** Absolute URL of a file of the extension, e.g. extensionUrl('src/options/index.html'). */
  extensionUrl(file: string): string;
  /** Closes the browser (kills its process group if it does not go) and removes its temp dirs. */
  close(): Promise<void>;
  /** Chromium with nativeHelper: the helper's launcher script (tests may replace what it runs). */
  helperLauncher?: string;
}

export interface ExtensionManifest {
  action?: { default_popup?: string };
  options_ui?: { page?: string };
  browser_specific_settings?: { gecko?: { id?: string } };
  [key: string]: unknown;
}

/** The fixed moz-extension UUID of the extension under test in Firefox. */
export const FIREFOX_EXTENSION_UUID = 'd4e5c0de-5ec0-4a11-9dae-7e57b0000001';

const REPO = path.resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS_DIR = path.join(REPO, 'test', 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** A closed port on loopback: anything sent to this "proxy" fails at once. */
const DEAD_PROXY = { host: '127.0.0.1', port: 9 };

const CHROMIUM_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-sandbox',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--no-pings',
  '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--lang=en-US',
];

/** Firefox prefs that keep it quiet and local (on top of puppeteer's own test prefs). */
const FIREFOX_QUIET_PREFS: Record<string, string | number | boolean> = {
  // Telemetry, studies, experiments.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': 'http://127.0.0.1:9/',
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.default.sites': '',
  'browser.topsites.contile.enabled': false,
  'browser.discovery.enabled': false,
  // Updates (app, add-ons, system add-ons, GMP plugins, search).
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.disabledForTesting': true,
  'app.update.checkInstallTime': false,
  'extensions.update.enabled': false,
  'extensions.update.autoUpdateDefault': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': '',
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.enabled': false,
  'browser.search.update': false,
  'browser.search.geoip.url': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'geo.provider.network.url': '',
  // Remote settings (blocklists, CRLite, intermediates) and other background fetches.
  'services.settings.server': 'http://127.0.0.1:9/v1',
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'security.OCSP.enabled': 0,
  'security.certerrors.mitm.priming.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'captivedetect.canonicalURL': '',
  'network.connectivity-service.enabled': false,
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'identity.fxaccounts.enabled': false,
  'browser.translations.enable': false,
  'browser.ml.enable': false,
  'browser.urlbar.quicksuggest.enabled': false,
  'browser.urlbar.suggest.searches': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'network.http.http3.enable': false,
  // Extension pages and permission prompts.
  'extensions.autoDisableScopes': 0,
  'extensions.enabledScopes': 5,
  'xpinstall.signatures.required': false,
  'intl.locale.requested': 'en-US',
};

// ---------------------------------------------------------------------------------------------

/** Chromium with the extension at opts.extensionDir installed (unpacked, via CDP). */
export async function launchChromium(opts: LaunchOptions): Promise<LaunchedBrowser> {
  const manifest = readManifest(opts.extensionDir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtv-chromium-'));
  try {
    const home = path.join(tmp, 'home');
    const nssdb = path.join(home, '.pki', 'nssdb');
    fs.mkdirSync(nssdb, { recursive: true });
    trustCa(nssdb, opts.world.ca);
    const profile = path.join(tmp, 'profile');
    let extensionDir = opts.extensionDir;
    let helperLauncher: string | undefined;
    if (opts.nativeHelper) {
      extensionDir = withNativeMessagingGranted(opts.extensionDir, path.join(tmp, 'extension'));
      helperLauncher = installHelper({
        browser: 'chromium',
        userDataDir: profile,
        extraCaCerts: opts.world.ca,
        platform: 'linux',
        home,
        node: process.execPath,
        entry: path.join(REPO, 'bin', 'dnssec-tlsa-helper.js'),
      }).launcherPath;
    }

    const browser = await puppeteer.launch({
      browser: 'chrome',
      executablePath: CHROMIUM_PATH,
      headless: opts.headless ?? true,
      enableExtensions: true,
      pipe: true,
      userDataDir: profile,
      dumpio: opts.dumpio ?? false,
      args: [
        ...CHROMIUM_FLAGS,
        `--host-resolver-rules=${chromiumResolverRules(opts.world)}`,
        `--proxy-server=http://${DEAD_PROXY.host}:${DEAD_PROXY.port}`,
        '--proxy-bypass-list=localhost;127.0.0.0/8;*.test',
      ],
      env: { ...process.env, HOME: home, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US' },
    });
    const closer = makeCloser(browser, [tmp]);
    try {
      const id = await browser.installExtension(path.resolve(extensionDir));
      const origin = `chrome-extension://${id}`;
      const bg = (manifest.background as { service_worker?: string } | undefined)?.service_worker;
      if (bg) await browser.waitForTarget((t) => t.url().startsWith(`${origin}/`), { timeout: 10_000 });
      const launched: LaunchedBrowser = {
        name: 'chromium',
        browser,
        extensionId: id,
        origin,
        manifest,
        extensionUrl: (file) => `${origin}/${file.replace(/^\//, '')}`,
        close: closer,
        helperLauncher,
      };
      registry.set(browser, launched);
      return launched;
    } catch (e) {
      await closer();
      throw e;
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A copy of the built extension whose manifest lists nativeMessaging as granted (see LaunchOptions.nativeHelper). */
function withNativeMessagingGranted(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  const file = path.join(to, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { permissions?: string[]; optional_permissions?: string[]; key?: string };
  if (!m.key) throw new Error(`${from}/manifest.json has no key: the helper allows only the development id`);
  m.permissions = [...(m.permissions ?? []), 'nativeMessaging'];
  m.optional_permissions = (m.optional_permissions ?? []).filter((p) => p !== 'nativeMessaging');
  fs.writeFileSync(file, JSON.stringify(m, null, 2));
  return to;
}

/**
 * The resolver rules: each world site to its address, everything else NXDOMAIN. IP literals (the
 * world's DoH URLs) and localhost are excluded from mapping, so they resolve to themselves.
 */
export function chromiumResolverRules(world: World): string {
  const seen = new Set<string>();
  const maps: string[] = [];
  for (const s of world.sites) {
    if (seen.has(s.host)) continue;
    seen.add(s.host);
    maps.push(`MAP ${s.host} ${s.ip}`);
  }
  return [...maps, 'MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.*'].join(', ');
}

// ---------------------------------------------------------------------------------------------

/** Firefox ESR with the extension at opts.extensionDir installed as a temporary add-on. */
export async function launchFirefox(opts: LaunchOptions): Promise<LaunchedBrowser> {
  const manifest = readManifest(opts.extensionDir);
  const geckoId = manifest.browser_specific_settings?.gecko?.id;
  if (!geckoId) throw new Error(`${opts.extensionDir}/manifest.json has no browser_specific_settings.gecko.id`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtv-firefox-'));
  try {
    const profile = path.join(tmp, 'profile');
    fs.mkdirSync(profile);
    trustCa(profile, opts.world.ca);

    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      protocol: 'webDriverBiDi',
      headless: opts.headless ?? true,
      userDataDir: profile,
      dumpio: opts.dumpio ?? false,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        ...FIREFOX_QUIET_PREFS,
        ...firefoxNetworkPrefs(opts.world),
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID }),
        ...opts.firefoxPrefs,
      },
      env: { ...process.env, HOME: path.join(tmp, 'home'), MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    const closer = makeCloser(browser, [tmp]);
    try {
      const id = await browser.installExtension(path.resolve(opts.extensionDir));
      const origin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;
      const launched: LaunchedBrowser = {
        name: 'firefox',
        browser,
        extensionId: id,
        origin,
        manifest,
        extensionUrl: (file) => `${origin}/${file.replace(/^\//, '')}`,
        close: closer,
      };
      registry.set(browser, launched);
      return launched;
    } catch (e) {
      await closer();
      throw e;
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** TRR-only name resolution through the world's unbound DoH, and the dead-proxy guard. */
export function firefoxNetworkPrefs(world: World): Record<string, string | number | boolean> {
  const doh = world.resolvers.unbound.doh;
  return {
    'network.trr.mode': 3,
    'network.trr.uri': doh,
    'network.trr.custom_uri': doh,
    'network.trr.confirmationNS': 'skip',
    'network.trr.allow-rfc1918': true,
    'network.trr.excluded-domains': '',
    'network.trr.builtin-excluded-domains': 'localhost',
    'network.trr.max-fails': 100,
    'doh-rollout.disable-heuristics': true,
    'network.proxy.type': 1,
    'network.proxy.http': DEAD_PROXY.host,
    'network.proxy.http_port': DEAD_PROXY.port,
    'network.proxy.ssl': DEAD_PROXY.host,
    'network.proxy.ssl_port': DEAD_PROXY.port,
    'network.proxy.share_proxy_settings': false,
    'network.proxy.no_proxies_on': 'localhost, 127.0.0.0/8, .test',
    'network.proxy.allow_hijacking_localhost': false,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Opens an extension page (a file of the extension, e.g. 'src/options/index.html') in a new tab
 * and waits until its document has loaded.
 */
export async function openExtensionPage(b: LaunchedBrowser, file: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await b.browser.newPage();
  if (viewport) await page.setViewport(viewport);
  await gotoExtensionPage(b, page, file);
  return page;
}

/**
 * Navigates page to an extension page. In Firefox, puppeteer's page.goto never sees the navigation
 * to moz-extension:// finish (the tab moves to the extension process), so this sends BiDi
 * browsingContext.navigate itself, waiting for "complete". Note that page.url() then still says
 * about:blank in Firefox; ask the page (page.evaluate(() => location.href)) instead.
 */
export async function gotoExtensionPage(b: LaunchedBrowser, page: Page, file: string): Promise<void> {
  const url = b.extensionUrl(file);
  if (b.name === 'chromium') {
    await page.goto(url, { waitUntil: 'load' });
    return;
  }
  const context = (page.mainFrame() as unknown as { browsingContext?: BidiContext }).browsingContext;
  if (!context?.navigate) throw new Error('puppeteer internals changed: no BiDi browsingContext on the frame');
  await withTimeout(context.navigate(url, 'complete'), 15_000, `navigate to ${url}`);
  await page.waitForFunction((u) => location.href === u && document.readyState === 'complete', { timeout: 10_000 }, url);
}

interface BidiContext {
  navigate(url: string, wait: 'none' | 'interactive' | 'complete'): Promise<void>;
}

/** Popup size used for popup screenshots (Firefox/Chrome popups are at most 800×600). */
export const POPUP_VIEWPORT = { width: 400, height: 320 };

/** The action popup (manifest action.default_popup) opened as a normal tab. */
export async function openPopup(b: LaunchedBrowser): Promise<Page> {
  const popup = b.manifest.action?.default_popup;
  if (!popup) throw new Error('manifest has no action.default_popup');
  return openExtensionPage(b, popup, POPUP_VIEWPORT);
}

/** Saves a full-page PNG to test/artifacts/screenshots/<browser>/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const launched = registry.get(page.browser());
  const dir = path.join(ARTIFACTS_DIR, 'screenshots', launched?.name ?? 'unknown');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

/** The extension's built manifest. */
export function readManifest(extensionDir: string): ExtensionManifest {
  const file = path.join(extensionDir, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} missing: run npm run build`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExtensionManifest;
}

// ---------------------------------------------------------------------------------------------

const registry = new WeakMap<Browser, LaunchedBrowser>();

/** Adds the CA as a trusted SSL root to the NSS database in dir (creating it if needed). */
function trustCa(dir: string, caPem: string): void {
  if (!fs.existsSync(path.join(dir, 'cert9.db'))) {
    execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'], { stdio: 'pipe' });
  }
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'C,,', '-n', 'world-ca', '-i', caPem], { stdio: 'pipe' });
}

/** close(): browser.close() with a deadline, then SIGKILL the process group, then rm the temp dirs. */
function makeCloser(browser: Browser, dirs: string[]): () => Promise<void> {
  const pid = browser.process()?.pid;
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      try {
        await withTimeout(browser.close(), 10_000, 'browser.close()');
      } catch {
        // fall through to the kill
      }
      if (pid) {
        killGroup(pid);
        for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
      }
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    })());
}

/** puppeteer starts the browser detached, so its pid is also its process group id. */
function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 0); // still there? (a live group id cannot have been reused)
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
