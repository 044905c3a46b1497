/**
 * `npm run package`: the store archives, in artifacts/ —
 *   dnssec-tlsa-validator-<version>-chrome.zip   dist/chrome for the Chrome Web Store (manifest without `key`)
 *   dnssec-tlsa-validator-<version>-firefox.zip  dist/firefox for addons.mozilla.org
 *   dnssec-tlsa-validator-<version>-source.zip   the git-tracked sources the build needs, BUILD.txt at the root
 * Byte-identical when run twice on the same commit (scripts/zip.ts: sorted entries, fixed time and
 * permissions, no absolute paths). The version comes from package.json (vite.config.ts writes it
 * into both manifests; checked here).
 *
 * Options: --skip-build (package the existing dist/), --out <dir> (default artifacts/).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeZip, type ZipEntry } from './zip';

const REPO = path.resolve(import.meta.dirname, '..');
export const PACKAGE_NAME = 'dnssec-tlsa-validator';

/** What the source archive holds (git-tracked files under these paths) besides BUILD.txt. */
export const SOURCE_PATHS = [
  'src/',
  'public/',
  'scripts/render-icons.mjs',
  'scripts/render-icons.d.mts',
  'manifest.json',
  'package.json',
  'package-lock.json',
  '.npmrc',
  'vite.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.core.json',
  'README.md',
  'CHANGELOG.md',
  'docs/PRIVACY.md',
];

/** Manifest keys no store upload may carry: `key` pins a development extension id (Chrome). */
const DEVELOPMENT_ONLY_KEYS = ['key'];

export interface Artifacts {
  version: string;
  chrome: string;
  firefox: string;
  source: string;
}

export function artifactNames(version: string, out = path.join(REPO, 'artifacts')): Artifacts {
  const base = path.join(out, `${PACKAGE_NAME}-${version}`);
  return { version, chrome: `${base}-chrome.zip`, firefox: `${base}-firefox.zip`, source: `${base}-source.zip` };
}

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(pkg.version)) {
    // Both stores want dot-separated integers (Chrome: 1-4 parts, each ≤ 65535; Firefox: the same form).
    throw new Error(`package.json version "${String(pkg.version)}" is not MAJOR.MINOR.PATCH`);
  }
  return pkg.version;
}

/** Every file under dir as archive entries ('/'-separated paths relative to dir). */
function dirEntries(dir: string): ZipEntry[] {
  const out: ZipEntry[] = [];
  const walk = (sub: string) => {
    for (const d of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${d.name}` : d.name;
      if (d.isDirectory()) walk(rel);
      else if (d.isFile()) out.push({ name: rel, data: fs.readFileSync(path.join(dir, rel)) });
      else throw new Error(`${path.join(dir, rel)}: neither file nor directory`);
    }
  };
  walk('');
  return out;
}

/** The built manifest with development-only keys removed; the file's bytes unchanged when none is there. */
export function storeManifest(entries: ZipEntry[], version: string, browser: string): ZipEntry[] {
  return entries.map((e) => {
    if (e.name !== 'manifest.json') return e;
    const manifest = JSON.parse(Buffer.from(e.data).toString('utf8')) as Record<string, unknown>;
    if (manifest.version !== version) {
      throw new Error(`dist/${browser}/manifest.json has version ${String(manifest.version)}, package.json ${version}: rebuild`);
    }
    const present = DEVELOPMENT_ONLY_KEYS.filter((k) => k in manifest);
    if (present.length === 0) return e;
    for (const k of present) delete manifest[k];
    return { name: e.name, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
  });
}

function buildText(version: string): string {
  return `dnssec-tlsa-validator ${version}: how to build the extension from this source archive

Requirements: Linux, macOS or Windows with Node.js 20.19 or newer (tested: Node 20.20, npm 10)
and network access to the npm registry. Nothing else (no browser is needed to build).

    npm ci
    npm run build:firefox      # → dist/firefox/   (npm run build:chrome → dist/chrome/)

dist/firefox/ then holds exactly the files of ${PACKAGE_NAME}-${version}-firefox.zip.
The build is vite (vite.config.ts) with vite-plugin-web-extension: it bundles
src/background, src/popup, src/options and src/blocked (TypeScript, not minified), copies
public/_locales, writes manifest.json from ./manifest.json with the version of package.json, and
renders the icons from src/icons/*.svg to PNG with @resvg/resvg-js (scripts/render-icons.mjs).
Third-party code comes only from npm packages pinned in package-lock.json.
`;
}

/** The tracked files the source archive holds, from git (working-tree contents). */
function sourceEntries(version: string): ZipEntry[] {
  const tracked = execFileSync('git', ['ls-files', '-z', '--', ...SOURCE_PATHS], { cwd: REPO, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '');
  const files = tracked.filter((f) => fs.existsSync(path.join(REPO, f)));
  return [
    ...files.map((f) => ({ name: f, data: fs.readFileSync(path.join(REPO, f)) })),
    { name: 'BUILD.txt', data: Buffer.from(buildText(version)) },
  ];
}

export function packageAll(o: { build: boolean; out?: string; log?: (m: string) => void }): Artifacts {
  const log = o.log ?? (() => undefined);
  const version = packageVersion();
  if (o.build) execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const names = artifactNames(version, o.out);
  fs.mkdirSync(path.dirname(names.chrome), { recursive: true });
  const write = (file: string, entries: ZipEntry[]) => {
    const bytes = writeZip(entries);
    fs.writeFileSync(file, bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    log(`${path.relative(process.cwd(), file)}  ${entries.length} files, ${(bytes.length / 1024).toFixed(0)} KiB, sha256 ${sha}`);
  };
  for (const browser of ['chrome', 'firefox'] as const) {
    const dist = path.join(REPO, 'dist', browser);
    if (!fs.existsSync(path.join(dist, 'manifest.json'))) throw new Error(`${dist}/manifest.json missing: run npm run build`);
    write(names[browser], storeManifest(dirEntries(dist), version, browser));
  }
  write(names.source, sourceEntries(version));
  return names;
}

function main(argv: string[]): void {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? path.resolve(argv[outAt + 1] ?? '') : undefined;
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' });
  if (dirty.trim() !== '') console.warn('package: the working tree has uncommitted changes; the archives hold them');
  packageAll({ build: !argv.includes('--skip-build'), out, log: (m) => console.log(m) });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
