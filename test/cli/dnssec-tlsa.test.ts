/**
 * The installed command (issue #19): `npm pack` → `npm install -g <tarball>` into a temporary
 * prefix (runtime dependencies only: no devDependencies, no tsx) → its `dnssec-tlsa` judges world
 * sites. Also --help/--version, --plugin exit codes, --days (issue #15 §4) and --svg; and the
 * installed native helper `dnssec-tlsa-helper` (issue #13): Chrome's framing in and out, and the
 * launcher its `install` writes.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWorld } from '../world/world.mjs';

const world = readWorld();
const resolver = world.resolvers.bind.doh;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };
const tmp = mkdtempSync(join(tmpdir(), 'dnssec-tlsa-pkg-'));
const prefix = join(tmp, 'prefix');
const bin = join(prefix, 'bin', 'dnssec-tlsa');
const helperBin = join(prefix, 'bin', 'dnssec-tlsa-helper');
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
    expect(realpathSync(helperBin)).toBe(join(realpathSync(installed), 'dist', 'cli', 'dnssec-tlsa-helper.mjs'));
    expect(existsSync(join(installed, 'bin'))).toBe(false);
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

/** One native-messaging frame as Chrome writes it: a 32-bit length in native byte order, then UTF-8 JSON. */
function frame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.alloc(4);
  if (endianness() === 'LE') head.writeUInt32LE(body.length);
  else head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

interface HostRun {
  replies: unknown[];
  /** Bytes on stdout after the last whole frame (must be none). */
  rest: number;
  code: number | null;
  stderr: string;
}

/**
 * Starts a helper as Chrome does (the extension's origin as argument, an environment of its own),
 * writes `requests` as frames, reads `expect` reply frames, then closes stdin (Chrome closing the
 * port) and waits for the process to end.
 */
function host(command: string, requests: unknown[], expect: number, env: NodeJS.ProcessEnv = {}): Promise<HostRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['chrome-extension://himdefdfecncjifjkgdgbnhejiiioinl/'], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let out = Buffer.alloc(0);
    let stderr = '';
    const replies: unknown[] = [];
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out = Buffer.concat([out, d]);
      for (;;) {
        if (out.length < 4) break;
        const len = endianness() === 'LE' ? out.readUInt32LE(0) : out.readUInt32BE(0);
        if (out.length < 4 + len) break;
        replies.push(JSON.parse(out.subarray(4, 4 + len).toString('utf8')));
        out = out.subarray(4 + len);
      }
      if (replies.length >= expect) child.stdin.end();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ replies, rest: out.length, code, stderr }));
    child.stdin.write(Buffer.concat(requests.map(frame)));
  });
}

describe('the installed native helper (dnssec-tlsa-helper)', () => {
  const hello = { id: 1, type: 'hello', protocol: 1 };
  const helloReply = { id: 1, type: 'hello', protocol: 1, version: pkg.version };

  test('answers the version handshake over Chrome framing, then ends when the port closes', async () => {
    // Through npm's bin link, with PATH only (for `#!/usr/bin/env node`).
    const r = await host(helperBin, [hello], 1, { PATH: process.env.PATH });
    expect(r, r.stderr).toEqual({ replies: [helloReply], rest: 0, code: 0, stderr: '' });
  });

  test('install --browser chromium --user-data-dir: the manifest names a launcher that runs the bundle with Node', async () => {
    const profile = join(tmp, 'profile');
    const site = world.sites.find((x) => x.case === 'alg13-www')!;
    const out = execFileSync(helperBin, ['install', '--browser', 'chromium', '--user-data-dir', profile, '--extra-ca-certs', world.ca], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    const manifestPath = join(profile, 'NativeMessagingHosts', 'org.dnssec_tlsa_validator.helper.json');
    expect(out).toContain(manifestPath);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; path: string; type: string; allowed_origins: string[] };
    expect(manifest).toMatchObject({ name: 'org.dnssec_tlsa_validator.helper', type: 'stdio', allowed_origins: ['chrome-extension://himdefdfecncjifjkgdgbnhejiiioinl/'] });
    accessSync(manifest.path, constants.X_OK);
    // The launcher runs the installed bundle itself: no tsx, nothing from a checkout.
    const launcher = readFileSync(manifest.path, 'utf8');
    expect(launcher).toContain(`'${process.execPath}' '${join(realpathSync(installed), 'dist', 'cli', 'dnssec-tlsa-helper.mjs')}'`);
    expect(launcher).not.toMatch(/tsx|\.ts'|bin\/dnssec-tlsa-helper\.js/);
    // Started as Chrome starts it (an empty environment here: the launcher needs none): the
    // handshake, then a probe of a world site at its validated address, answered with the
    // certificate that site serves, PKIX-valid through the world CA the launcher passes to Node.
    const r = await host(manifest.path, [hello, { id: 2, type: 'probe', host: site.host, port: site.port, validated: [site.ip], address: site.ip }], 2);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rest).toBe(0);
    expect(r.replies[0]).toEqual(helloReply);
    const probe = r.replies[1] as { id: number; ok: boolean; result: { address: string; port: number; chain: string[]; pkix: string } };
    expect(probe).toMatchObject({ id: 2, type: 'probe', ok: true, result: { address: site.ip, port: site.port, pkix: 'valid' } });
    const served = new X509Certificate(readFileSync(site.cert));
    expect(new X509Certificate(Buffer.from(probe.result.chain[0], 'base64')).fingerprint256).toBe(served.fingerprint256);
  });
});
