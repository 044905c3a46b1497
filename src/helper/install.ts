/**
 * Installs and removes the native-messaging host manifest of the helper for Chrome, Chromium, Edge
 * and Brave (Linux and macOS; per user, or per system with --system, or into one profile with
 * --user-data-dir). Windows registers hosts in the registry: `installPlan` says which key, and
 * docs/chrome-certificates.md shows the commands.
 *
 * Chrome starts the host from the manifest's absolute `path` with its own environment, so `path`
 * is a small launcher script beside the manifest that runs this Node with this helper.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_EXTENSION_ID, HELPER_HOST_NAME } from '../shared/helper-protocol';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave'] as const;
export type BrowserKind = (typeof BROWSERS)[number];
export type Platform = 'linux' | 'darwin' | 'win32';

/** Manifest directories, from each browser's native-messaging documentation. */
const DIRS: Record<'linux' | 'darwin', Record<BrowserKind, { user: string; system: string }>> = {
  linux: {
    chrome: { user: '.config/google-chrome/NativeMessagingHosts', system: '/etc/opt/chrome/native-messaging-hosts' },
    chromium: { user: '.config/chromium/NativeMessagingHosts', system: '/etc/chromium/native-messaging-hosts' },
    edge: { user: '.config/microsoft-edge/NativeMessagingHosts', system: '/etc/opt/edge/native-messaging-hosts' },
    // Brave reads its own per-user directory and Chrome's system-wide one.
    brave: { user: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts', system: '/etc/opt/chrome/native-messaging-hosts' },
  },
  darwin: {
    chrome: { user: 'Library/Application Support/Google/Chrome/NativeMessagingHosts', system: '/Library/Google/Chrome/NativeMessagingHosts' },
    chromium: { user: 'Library/Application Support/Chromium/NativeMessagingHosts', system: '/Library/Application Support/Chromium/NativeMessagingHosts' },
    edge: { user: 'Library/Application Support/Microsoft Edge/NativeMessagingHosts', system: '/Library/Microsoft/Edge/NativeMessagingHosts' },
    brave: { user: 'Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts', system: '/Library/Google/Chrome/NativeMessagingHosts' },
  },
};

/** Windows: HKCU (per user) or HKLM (--system) + this key + \<host name>, default value = manifest path. */
export const WINDOWS_KEYS: Record<BrowserKind, string> = {
  chrome: 'Software\\Google\\Chrome\\NativeMessagingHosts',
  chromium: 'Software\\Chromium\\NativeMessagingHosts',
  edge: 'Software\\Microsoft\\Edge\\NativeMessagingHosts',
  // Brave reads Chrome's key on Windows.
  brave: 'Software\\Google\\Chrome\\NativeMessagingHosts',
};

export interface InstallOptions {
  browser: BrowserKind;
  system?: boolean;
  /** A browser profile directory (--user-data-dir): Chromium reads <dir>/NativeMessagingHosts/. */
  userDataDir?: string;
  /** Extension ids allowed to connect; default: the development build's id. */
  extensionIds?: string[];
  /** CA certificates (PEM file) Node trusts in addition to its own (NODE_EXTRA_CA_CERTS) for the PKIX verdict. */
  extraCaCerts?: string;
  platform: Platform;
  home: string;
  /** Absolute paths of the node binary and of the script it runs: the built bundle dist/cli/dnssec-tlsa-helper.mjs, or bin/dnssec-tlsa-helper.js (tsx) in a checkout. */
  node: string;
  entry: string;
}

export interface InstallPlan {
  dir: string;
  manifestPath: string;
  launcherPath: string;
  manifest: { name: string; description: string; path: string; type: 'stdio'; allowed_origins: string[] };
  launcher: string;
  /** Windows only: the registry key to point at the manifest. */
  registryKey: string | null;
}

const EXTENSION_ID = /^[a-p]{32}$/;

/** Quotes for a POSIX shell: single quotes, embedded ones closed and escaped. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function installPlan(o: InstallOptions): InstallPlan {
  const ids = o.extensionIds && o.extensionIds.length > 0 ? o.extensionIds : [DEV_EXTENSION_ID];
  for (const id of ids) if (!EXTENSION_ID.test(id)) throw new Error(`not a Chrome extension id: ${id}`);
  let dir: string;
  let registryKey: string | null = null;
  if (o.userDataDir) dir = path.join(path.resolve(o.userDataDir), 'NativeMessagingHosts');
  else if (o.platform === 'win32') {
    dir = path.join(o.home, 'AppData', 'Local', 'dnssec-tlsa-validator');
    registryKey = `${o.system ? 'HKLM' : 'HKCU'}\\${WINDOWS_KEYS[o.browser]}\\${HELPER_HOST_NAME}`;
  } else {
    const d = DIRS[o.platform][o.browser];
    dir = o.system ? d.system : path.join(o.home, d.user);
  }
  const win = o.platform === 'win32';
  const launcherPath = path.join(dir, `${HELPER_HOST_NAME}${win ? '.bat' : '.sh'}`);
  const env = o.extraCaCerts ? path.resolve(o.extraCaCerts) : null;
  const launcher = win
    ? `@echo off\r\n${env ? `set "NODE_EXTRA_CA_CERTS=${env}"\r\n` : ''}"${o.node}" "${o.entry}" %*\r\n`
    : `#!/bin/sh\n# dnssec-tlsa-validator native helper (written by dnssec-tlsa-helper install)\n${env ? `NODE_EXTRA_CA_CERTS=${sh(env)}\nexport NODE_EXTRA_CA_CERTS\n` : ''}exec ${sh(o.node)} ${sh(o.entry)} "$@"\n`;
  return {
    dir,
    manifestPath: path.join(dir, `${HELPER_HOST_NAME}.json`),
    launcherPath,
    manifest: {
      name: HELPER_HOST_NAME,
      description: 'DNSSEC/TLSA Validator helper: compares server certificates with DANE TLSA records',
      path: launcherPath,
      type: 'stdio',
      allowed_origins: ids.map((id) => `chrome-extension://${id}/`),
    },
    launcher,
    registryKey,
  };
}

/** Writes the launcher and the manifest; returns the plan (Windows: the registry key is for the caller to set). */
export function install(o: InstallOptions): InstallPlan {
  const plan = installPlan(o);
  mkdirSync(plan.dir, { recursive: true });
  writeFileSync(plan.launcherPath, plan.launcher);
  if (o.platform !== 'win32') chmodSync(plan.launcherPath, 0o755);
  writeFileSync(plan.manifestPath, `${JSON.stringify(plan.manifest, null, 2)}\n`);
  return plan;
}

/** Removes what install wrote (only files that are ours: the manifest must name our host). */
export function uninstall(o: InstallOptions): { removed: string[]; plan: InstallPlan } {
  const plan = installPlan(o);
  const removed: string[] = [];
  if (existsSync(plan.manifestPath)) {
    const m = JSON.parse(readFileSync(plan.manifestPath, 'utf8')) as { name?: string };
    if (m.name !== HELPER_HOST_NAME) throw new Error(`${plan.manifestPath} is not this helper's manifest`);
    rmSync(plan.manifestPath);
    removed.push(plan.manifestPath);
  }
  if (existsSync(plan.launcherPath)) {
    rmSync(plan.launcherPath);
    removed.push(plan.launcherPath);
  }
  return { removed, plan };
}
