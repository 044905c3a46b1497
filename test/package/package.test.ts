/**
 * The store archives of `npm run package` (scripts/package.ts), built once and checked:
 * - byte-identical on a second packaging of the same build, and the source archive rebuilds the
 *   Firefox archive's files byte for byte (AMO's reviewers build from it);
 * - the ZIP form: sorted entries, one fixed timestamp, mode 0644, relative paths, no directories;
 * - both manifests carry package.json's version; no `key` in either upload (the Chrome native
 *   helper's development id); every locale's summary (the manifest description) within the Chrome
 *   Web Store's 132 characters;
 * - `web-ext lint` on the unpacked Firefox archive: 0 errors, 0 warnings, 0 notices;
 * - the unpacked Chrome archive loads in Chromium: its service worker starts and it judges a world
 *   site as the catalogue says.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configure, expectedDisplayState, openTab, tabState, toolbar, waitFor, worldOptions, caseUrl } from '../browser/extension';
import { artifactNames, packageAll, packageVersion, storeManifest, type Artifacts } from '../../scripts/package';
import { readZip, type ReadEntry } from '../../scripts/zip';
import { launchChromium, openExtensionPage, type LaunchedBrowser } from '../browser/harness';
import { readCatalogue, readWorld } from '../world/world.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const CHROME_STORE_SUMMARY_MAX = 132;

let tmp: string;
let first: Artifacts;
const zips: Record<'chrome' | 'firefox' | 'source', ReadEntry[]> = { chrome: [], firefox: [], source: [] };

function unpack(entries: ReadEntry[], dir: string): string {
  for (const e of entries) {
    const file = path.join(dir, ...e.name.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, e.data);
  }
  return dir;
}

function manifestOf(entries: ReadEntry[]): Record<string, unknown> {
  const m = entries.find((e) => e.name === 'manifest.json');
  if (!m) throw new Error('no manifest.json in the archive');
  return JSON.parse(m.data.toString('utf8')) as Record<string, unknown>;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtv-package-'));
  // The one build of this file: `npm run package` as a person runs it.
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  first = artifactNames(packageVersion());
  for (const k of ['chrome', 'firefox', 'source'] as const) zips[k] = readZip(fs.readFileSync(first[k]));
}, 150_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm run package', () => {
  test('writes the three archives named with package.json version', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    for (const k of ['chrome', 'firefox', 'source'] as const) {
      expect(path.basename(first[k])).toBe(`dnssec-tlsa-validator-${version}-${k}.zip`);
      expect(path.dirname(first[k])).toBe(path.join(REPO, 'artifacts'));
      expect(zips[k].length, k).toBeGreaterThan(10);
    }
  });

  test('packaging the same build again gives the same bytes', () => {
    const again = packageAll({ build: false, out: path.join(tmp, 'again') });
    for (const k of ['chrome', 'firefox', 'source'] as const) {
      expect(fs.readFileSync(again[k]).equals(fs.readFileSync(first[k])), k).toBe(true);
    }
  });

  test('entries: sorted, relative, fixed time and mode, no directories', () => {
    for (const k of ['chrome', 'firefox', 'source'] as const) {
      const names = zips[k].map((e) => e.name);
      expect(names, k).toEqual([...names].sort());
      for (const e of zips[k]) {
        expect(e.name, k).not.toMatch(/^\/|\\|(^|\/)\.\.?(\/|$)|\/$/);
        expect([e.dosDate, e.dosTime, e.mode], `${k}: ${e.name}`).toEqual([0x21, 0, 0o100644]);
      }
      // No absolute path of this machine inside any text file either.
      for (const e of zips[k]) {
        if (/\.(js|json|html|css|txt|md|ts|mjs)$/.test(e.name)) expect(e.data.toString('utf8').includes(REPO), `${k}: ${e.name}`).toBe(false);
      }
    }
  });

  test('the browser archives hold exactly the built files; the Chrome manifest differs only by development keys', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const dist = path.join(REPO, 'dist', browser);
      const built = execFileSync('find', ['.', '-type', 'f'], { cwd: dist, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.slice(2))
        .sort();
      expect(zips[browser].map((e) => e.name)).toEqual(built);
      for (const e of zips[browser]) {
        const onDisk = fs.readFileSync(path.join(dist, e.name));
        if (e.name === 'manifest.json') {
          const { key: _key, ...rest } = JSON.parse(onDisk.toString('utf8')) as Record<string, unknown>;
          expect(manifestOf(zips[browser])).toEqual(rest);
        } else {
          expect(e.data.equals(onDisk), `${browser}: ${e.name}`).toBe(true);
        }
      }
    }
  });

  test('manifests: version from package.json, no key, Firefox for Android declared', () => {
    const version = packageVersion();
    const chrome = manifestOf(zips.chrome);
    const firefox = manifestOf(zips.firefox);
    expect(chrome.version).toBe(version);
    expect(firefox.version).toBe(version);
    expect(chrome).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('key');
    expect(chrome).not.toHaveProperty('browser_specific_settings');
    const gecko = firefox.browser_specific_settings as { gecko: { strict_min_version: string }; gecko_android: { strict_min_version: string } };
    // data_collection_permissions: Firefox 140, Firefox for Android 142 (MDN browser-compat-data).
    expect(gecko.gecko.strict_min_version).toBe('140.0');
    expect(gecko.gecko_android.strict_min_version).toBe('142.0');
  });

  test('a development key is removed from the store manifest, nothing else changes', () => {
    const manifest = { manifest_version: 3, name: 'x', version: '1.2.3', key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', permissions: ['storage'] };
    const [out] = storeManifest([{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }], '1.2.3', 'chrome');
    const { key: _key, ...rest } = manifest;
    expect(JSON.parse(Buffer.from(out!.data).toString('utf8'))).toEqual(rest);
    // Without a key the bytes are left exactly as built; a stale build (other version) is refused.
    const plain = Buffer.from(JSON.stringify(rest));
    expect(storeManifest([{ name: 'manifest.json', data: plain }], '1.2.3', 'chrome')[0]!.data).toBe(plain);
    expect(() => storeManifest([{ name: 'manifest.json', data: plain }], '1.2.4', 'chrome')).toThrow(/version 1\.2\.3/);
  });

  test('every locale: store name ≤ 45 and summary ≤ 132 characters, a description', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const locales = zips[browser].filter((e) => /^_locales\/[^/]+\/messages\.json$/.test(e.name));
      expect(locales.map((e) => e.name.split('/')[1]).sort()).toEqual(['cs', 'de', 'en', 'fr', 'nl', 'pl']);
      for (const e of locales) {
        const m = JSON.parse(e.data.toString('utf8')) as Record<string, { message: string }>;
        expect(m.extName!.message.length, e.name).toBeLessThanOrEqual(45);
        expect(m.extDescription!.message.length, e.name).toBeLessThanOrEqual(CHROME_STORE_SUMMARY_MAX);
        expect(m.storeDescription!.message.length, e.name).toBeGreaterThan(200);
      }
    }
  });

  test('web-ext lint on the unpacked Firefox archive: 0 errors, 0 warnings, 0 notices', () => {
    const dir = unpack(zips.firefox, path.join(tmp, 'firefox'));
    const out = execFileSync(path.join(REPO, 'node_modules', '.bin', 'web-ext'), ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const report = JSON.parse(out) as { summary: Record<string, number>; metadata: { version: string } };
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notices: 0 });
    expect(report.metadata.version).toBe(packageVersion());
  }, 60_000);

  test('the source archive builds the Firefox archive byte for byte (BUILD.txt steps)', () => {
    const dir = unpack(zips.source, path.join(tmp, 'source'));
    const build = zips.source.find((e) => e.name === 'BUILD.txt')!.data.toString('utf8');
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build:firefox');
    expect(zips.source.map((e) => e.name)).not.toContain('test/world/catalogue.json');
    // `npm ci` needs the registry; the same lock file is already installed here.
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    execFileSync('npm', ['run', '--silent', 'build:firefox'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const rebuilt = execFileSync('find', ['.', '-type', 'f'], { cwd: path.join(dir, 'dist', 'firefox'), encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.slice(2))
      .sort();
    expect(rebuilt).toEqual(zips.firefox.map((e) => e.name));
    for (const e of zips.firefox) {
      expect(fs.readFileSync(path.join(dir, 'dist', 'firefox', e.name)).equals(e.data), e.name).toBe(true);
    }
  }, 120_000);
});

/** Width and height from a JPEG's start-of-frame segment (ITU T.81 B.2.2). */
function jpegSize(data: Buffer): { width: number; height: number } {
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) throw new Error(`not a JPEG marker at ${at}`);
    const marker = data[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    at += 2 + data.readUInt16BE(at + 2);
  }
  throw new Error('no start-of-frame segment');
}

test('store screenshots: 1280×800 JPEG (no alpha), at least one', () => {
  const dir = path.join(REPO, 'docs', 'store');
  const shots = fs.readdirSync(dir).filter((f) => /\.(png|jpe?g)$/.test(f));
  expect(shots.length).toBeGreaterThan(0);
  for (const f of shots) {
    expect(f, 'the Chrome Web Store takes JPEG or PNG without alpha; ours are JPEG').toMatch(/\.jpg$/);
    expect(jpegSize(fs.readFileSync(path.join(dir, f))), f).toEqual({ width: 1280, height: 800 });
  }
});

describe('the unpacked Chrome archive in Chromium', () => {
  let b: LaunchedBrowser | undefined;
  afterAll(async () => {
    await b?.close();
  }, 30_000);

  test('its service worker starts and it judges a world site as the catalogue says', async () => {
    const dir = unpack(zips.chrome, path.join(tmp, 'chrome'));
    const world = readWorld();
    // launchChromium waits for the extension's service worker target to appear.
    b = await launchChromium({ extensionDir: dir, world });
    expect(b.manifest.version).toBe(packageVersion());
    const worker = b.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(`${b!.origin}/`));
    expect(worker?.url()).toBe(`${b.origin}/src/background/index.js`);

    const c = readCatalogue().cases.find((x) => x.id === 'alg13-www');
    if (!c) throw new Error('catalogue case alg13-www missing');
    const site = world.sites.find((s) => s.case === c.id)!;
    const helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions(world));
    const url = caseUrl(c, world);
    const tabId = await openTab(helper, url);
    const [state] = await waitFor(
      `${c.host} verdict`,
      () => Promise.all([tabState(helper, tabId), toolbar(helper, tabId)]),
      ([s]) => s.url === url && s.state !== 'checking' && s.details?.connection.ip != null,
      30_000,
    );
    // Chromium gives extensions no certificate and no native helper is installed here: the site's
    // signed TLSA records were never compared, which is a state of its own (issue 13), never green.
    expect(state.state).toBe(expectedDisplayState(c, { certificate: false, ip: state.details!.connection.ip, siteIp: site.ip }));
    expect(state.state).toBe('secure-not-compared');
  }, 90_000);
});
