import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID, HELPER_HOST_NAME } from '../shared/helper-protocol';
import { install, installPlan, uninstall, type InstallOptions } from './install';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'dtv-install-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base: InstallOptions = { browser: 'chrome', platform: 'linux', home: '/home/u', node: '/usr/bin/node', entry: '/opt/dtv/bin/dnssec-tlsa-helper.js' };

/** Chrome's id for an unpacked extension with a `key`: SHA-256 of the public key, first 128 bits, hex digits 0-f as a-p. */
function idFromKey(base64: string): string {
  const hex = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

describe('development extension id', () => {
  it('is the id Chrome derives from the public key in manifest.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const key = manifest['{{chrome}}.key'];
    expect(typeof key).toBe('string');
    expect(idFromKey(key as string)).toBe(DEV_EXTENSION_ID);
  });
});

describe('installPlan', () => {
  it('per user and per system, for each browser on Linux and macOS', () => {
    expect(installPlan(base).manifestPath).toBe(`/home/u/.config/google-chrome/NativeMessagingHosts/${HELPER_HOST_NAME}.json`);
    expect(installPlan({ ...base, system: true }).dir).toBe('/etc/opt/chrome/native-messaging-hosts');
    expect(installPlan({ ...base, browser: 'chromium' }).dir).toBe('/home/u/.config/chromium/NativeMessagingHosts');
    expect(installPlan({ ...base, browser: 'chromium', system: true }).dir).toBe('/etc/chromium/native-messaging-hosts');
    expect(installPlan({ ...base, browser: 'edge' }).dir).toBe('/home/u/.config/microsoft-edge/NativeMessagingHosts');
    expect(installPlan({ ...base, browser: 'brave' }).dir).toBe('/home/u/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts');
    expect(installPlan({ ...base, platform: 'darwin', home: '/Users/u' }).dir).toBe('/Users/u/Library/Application Support/Google/Chrome/NativeMessagingHosts');
    expect(installPlan({ ...base, platform: 'darwin', system: true, browser: 'edge' }).dir).toBe('/Library/Microsoft/Edge/NativeMessagingHosts');
  });

  it('a browser profile directory: <user-data-dir>/NativeMessagingHosts', () => {
    expect(installPlan({ ...base, userDataDir: '/tmp/p' }).dir).toBe('/tmp/p/NativeMessagingHosts');
  });

  it('Windows: the registry key to set, per user or per machine', () => {
    const plan = installPlan({ ...base, platform: 'win32', home: 'C:\\Users\\u', browser: 'edge' });
    expect(plan.registryKey).toBe(`HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${HELPER_HOST_NAME}`);
    expect(installPlan({ ...base, platform: 'win32', system: true }).registryKey).toBe(`HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\${HELPER_HOST_NAME}`);
    expect(plan.launcherPath.endsWith('.bat')).toBe(true);
  });

  it('allows exactly our extension id, or the ids given; refuses anything that is not an id', () => {
    expect(installPlan(base).manifest.allowed_origins).toEqual([`chrome-extension://${DEV_EXTENSION_ID}/`]);
    const ids = ['abcdefghijklmnopabcdefghijklmnop', DEV_EXTENSION_ID];
    expect(installPlan({ ...base, extensionIds: ids }).manifest.allowed_origins).toEqual(ids.map((id) => `chrome-extension://${id}/`));
    expect(() => installPlan({ ...base, extensionIds: ['*'] })).toThrow(/not a Chrome extension id/);
    expect(() => installPlan({ ...base, extensionIds: ['chrome-extension://x/'] })).toThrow(/not a Chrome extension id/);
  });

  it('the launcher quotes paths for the shell', () => {
    const plan = installPlan({ ...base, node: "/opt/it's/node", extraCaCerts: '/ca dir/ca.pem' });
    expect(plan.launcher).toContain(`exec '/opt/it'\\''s/node' '/opt/dtv/bin/dnssec-tlsa-helper.js' "$@"`);
    expect(plan.launcher).toContain(`NODE_EXTRA_CA_CERTS='/ca dir/ca.pem'`);
  });
});

describe('install / uninstall', () => {
  it('writes an executable launcher and the manifest, and removes both', () => {
    const opts = { ...base, userDataDir: path.join(tmp, 'profile') };
    const plan = install(opts);
    const manifest = JSON.parse(readFileSync(plan.manifestPath, 'utf8')) as Record<string, unknown>;
    expect(manifest).toEqual({ ...plan.manifest });
    expect(manifest.path).toBe(plan.launcherPath);
    expect(statSync(plan.launcherPath).mode & 0o111).not.toBe(0);
    expect(uninstall(opts).removed).toEqual([plan.manifestPath, plan.launcherPath]);
    expect(existsSync(plan.manifestPath)).toBe(false);
    expect(uninstall(opts).removed).toEqual([]);
  });

  it('never removes a manifest that is not ours', () => {
    const opts = { ...base, userDataDir: path.join(tmp, 'other') };
    const plan = install(opts);
    writeFileSync(plan.manifestPath, JSON.stringify({ name: 'com.someone.else' }));
    expect(() => uninstall(opts)).toThrow(/not this helper's manifest/);
    expect(existsSync(plan.manifestPath)).toBe(true);
  });
});
