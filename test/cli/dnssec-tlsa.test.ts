/**
 * The installed command (issue #19): `npm pack` → `npm install -g <tarball>` into a temporary
 * prefix (runtime dependencies only: no devDependencies, no tsx) → its `dnssec-tlsa` judges world
 * sites. Also --help/--version, --plugin exit codes, --days (issue #15 §4) and --svg.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWorld } from '../world/world.mjs';

const world = readWorld();
const resolver = world.resolvers.bind.doh;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };
const tmp = mkdtempSync(join(tmpdir(), 'dnssec-tlsa-pkg-'));
const prefix = join(tmp, 'prefix');
const bin = join(prefix, 'bin', 'dnssec-tlsa');
const installed = join(prefix, 'lib', 'node_modules', pkg.name);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function dnssecTlsa(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<Run> {
  return new Promise((resolve) => {
    // A minimal environment, as cron or a monitoring agent gives: PATH for `#!/usr/bin/env node`.
    execFile(bin, args, { env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: world.ca, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const base = ['--resolver', resolver, '--trust-anchor', world.trustAnchor.zone];

beforeAll(() => {
  // prepack builds the bundle (npm run build:cli); the tarball holds dist/cli and README only.
  execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { stdio: 'ignore' });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(tmp, tarball)], { stdio: 'ignore' });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the npm package', () => {
  test('installs only the bundle and the runtime dependencies', () => {
    expect(existsSync(bin)).toBe(true);
    expect(existsSync(join(installed, 'dist', 'cli', 'dnssec-tlsa.mjs'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    for (const dev of Object.keys(pkg.devDependencies)) expect(existsSync(join(installed, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
  });

  test('--help and --version: exit 0, on stdout', async () => {
    const [help, version] = await Promise.all([dnssecTlsa(['--help']), dnssecTlsa(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^dnssec-tlsa \S+: /);
    for (const m of ['--connect', '--type', '--mx', '--plugin', '--days', '--svg']) expect(help.stdout).toMatch(new RegExp(`e\\.g\\. dnssec-tlsa .*${m}`));
    expect(help.stdout).toMatch(/Exit codes:/);
    expect(version).toEqual({ code: 0, stdout: `dnssec-tlsa ${pkg.version}\n`, stderr: '' });
  });

  test('an unknown option: exit 2, the error on stderr, nothing on stdout', async () => {
    const r = await dnssecTlsa(['www.alg13.test', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/^dnssec-tlsa: Unknown option '--frobnicate'/);
  });

  test('judges a world site: DNSSEC secure and the certificate matches its TLSA record', async () => {
    const r = await dnssecTlsa(['www.alg13.test', '--connect', '--json', ...base]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect({ address: j.address.state, tlsa: j.tlsa.state, dane: j.dane }).toEqual({ address: 'secure', tlsa: 'secure', dane: 'match' });
    expect(j.chain.map((l: { zone: string }) => l.zone)).toEqual(['.', 'test.', 'alg13.test.']);
  });

  test('human output has no colour codes when stdout is not a terminal (NO_COLOR unset)', async () => {
    const r = await dnssecTlsa(['www.expired.test', ...base], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/address\s+bogus/);
    expect(r.stdout).not.toContain('\x1b[');
  });
});

describe('--plugin: one monitoring line, exit 0 OK / 1 WARNING / 2 CRITICAL / 3 UNKNOWN', () => {
  const LINE = /^DNSSEC-TLSA (OK|WARNING|CRITICAL|UNKNOWN) - (\S+): ([^|\n]+?)(?: \| queries=(\d+) time=(\d+)ms expires_in=([\d.]+|U)d)?\n$/;
  const EXIT: Record<string, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
  test.each([
    ['secure, DANE match', ['www.alg13.test', '--connect'], 'OK', /DANE match/],
    // soon.test's signatures expire two days after the world was built: inside the default 7 days.
    ['expiring within the default 7 days', ['www.soon.test', '--connect'], 'WARNING', /fails by .*soon\.test/],
    ['bogus (expired signatures)', ['www.expired.test'], 'CRITICAL', /bogus.*expired/],
    ['TLSA mismatch', ['mismatch-ee.dane.test', '--connect'], 'CRITICAL', /TLSA mismatch/],
    ['mail domain', ['--mx', 'mail.test'], 'OK', /MX host/],
  ])('%s', async (_what, args, status, what) => {
    const r = await dnssecTlsa([...args, '--plugin', ...base]);
    const m = LINE.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(m![1]).toBe(status);
    expect(r.code).toBe(EXIT[status]);
    expect(m![3]).toMatch(what);
    expect(Number(m![4])).toBeGreaterThan(0);
  });

  test('unreachable resolver: UNKNOWN, exit 3', async () => {
    const r = await dnssecTlsa(['www.alg13.test', '--plugin', '--resolver', 'https://127.0.0.9:9/dns-query', '--trust-anchor', world.trustAnchor.zone]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^DNSSEC-TLSA UNKNOWN - www\.alg13\.test: resolver .* unreachable/);
  });

  test('bad arguments: UNKNOWN, exit 3', async () => {
    const r = await dnssecTlsa(['www.alg13.test', '--plugin', '--port', 'x']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^DNSSEC-TLSA UNKNOWN - .*bad arguments: not a valid port/);
  });
});

describe('--days: the verdict n days later, and what expires first', () => {
  test('soon.test: fails exactly when its DNSKEY/DS signatures expire; the keys of today are kept', async () => {
    const r = await dnssecTlsa(['www.soon.test', '--days', '7', '--json', ...base]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['host', 'port', 'address', 'tlsa', 'dane', 'chain', 'queries', 'elapsedMs', 'horizon']));
    const soon = j.chain.find((l: { zone: string }) => l.zone === 'soon.test.');
    const expires = new Date(soon.signatureExpiration * 1000).toISOString().replace('.000Z', 'Z');
    expect(j.horizon).toMatchObject({ days: 7, holds: false, failsAt: expires, expiresFirst: { kind: 'signature', zone: 'soon.test.', at: expires } });
    expect(j.horizon.changes).toEqual(expect.arrayContaining(['address: secure → bogus']));
    expect(j.horizon.reason).toMatch(/soon\.test.*expired/);
  });

  test('a day ahead, www.alg13.test still holds and names its first expiry', async () => {
    const r = await dnssecTlsa(['www.alg13.test', '--connect', '--days', '1', '--json', ...base]);
    const j = JSON.parse(r.stdout);
    expect(j.horizon).toMatchObject({ days: 1, holds: true, changes: [] });
    const first = Math.min(...j.chain.map((l: { signatureExpiration: number }) => l.signatureExpiration));
    expect(Date.parse(j.horizon.expiresFirst.at)).toBe(first * 1000);
  });
});

describe('--svg: the chain picture as a standalone file', () => {
  test.each([
    ['www.alg13.test', ['.', 'test.', 'alg13.test.', 'www.alg13.test.']],
    ['www.expired.test', ['.', 'test.', 'expired.test.', 'www.expired.test.']],
  ])('%s: well-formed XML that names each zone of the chain', async (host, zones) => {
    const file = join(tmp, `${host}.svg`);
    const r = await dnssecTlsa([host, '--svg', file, ...base]);
    expect(r.code, r.stderr).toBe(0);
    const xml = readFileSync(file, 'utf8');
    const { Resvg } = await import('@resvg/resvg-js');
    expect(new Resvg(xml).render().width).toBeGreaterThan(0); // strict XML parser: throws on malformed input
    for (const z of zones) expect(xml).toContain(`data-name="${z}"`);
    expect(xml).toContain(`<title>Chain of trust for ${host}</title>`);
  });
});
