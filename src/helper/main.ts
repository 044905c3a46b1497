/**
 * `dnssec-tlsa-helper`: the native-messaging host the Chrome build talks to (started by the
 * browser with the extension's origin as argument), and its install/uninstall commands.
 */
import { endianness, homedir } from 'node:os';
import { packageVersion } from '../cli/quick';
import { DEV_EXTENSION_ID, HELPER_HOST_NAME } from '../shared/helper-protocol';
import { HelperHost } from './host';
import { BROWSERS, install, uninstall, type BrowserKind, type InstallOptions, type Platform } from './install';
import { makeProbe } from './probe';

const USAGE = `dnssec-tlsa-helper — native helper of the DNSSEC/TLSA Validator for Chrome, Chromium, Edge and Brave

  dnssec-tlsa-helper install   --browser chrome|chromium|edge|brave [--system] [--user-data-dir <dir>]
                               [--extension-id <id>]... [--extra-ca-certs <pem file>]
  dnssec-tlsa-helper uninstall --browser chrome|chromium|edge|brave [--system] [--user-data-dir <dir>]
  dnssec-tlsa-helper --version

install writes the native-messaging host manifest (${HELPER_HOST_NAME}.json) and a launcher script
for the browser: per user by default, for every user with --system (run as root), or into one
browser profile with --user-data-dir. The extension id allowed to connect defaults to the
development build's (${DEV_EXTENSION_ID}); give the store build's with --extension-id.
The browser starts the helper itself (with the extension's origin as argument); it then reads
requests on stdin and answers on stdout (Chrome's native-messaging framing).`;

function parseInstallArgs(args: string[], entry: string): InstallOptions | string {
  let browser: BrowserKind | null = null;
  const o: Omit<InstallOptions, 'browser'> = {
    platform: process.platform as Platform,
    home: homedir(),
    node: process.execPath,
    entry,
    extensionIds: [],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--browser') {
      const b = value();
      if (!(BROWSERS as readonly string[]).includes(b)) return `--browser must be one of ${BROWSERS.join(', ')}`;
      browser = b as BrowserKind;
    } else if (a === '--system') o.system = true;
    else if (a === '--user-data-dir') o.userDataDir = value();
    else if (a === '--extension-id') o.extensionIds!.push(value());
    else if (a === '--extra-ca-certs') o.extraCaCerts = value();
    else return `unknown argument ${a}`;
  }
  if (!browser) return '--browser is required';
  if (!['linux', 'darwin', 'win32'].includes(o.platform)) return `unsupported platform ${o.platform}`;
  return { browser, ...o };
}

/** Host mode: serve the browser on stdin/stdout until it closes the port. */
export function serve(): void {
  // stdout carries frames only: any stray log line would break the framing.
  console.log = console.error;
  console.info = console.error;
  const order = endianness();
  const host = new HelperHost(
    {
      write: (frame) => process.stdout.write(frame),
      fail: (message) => {
        console.error(`dnssec-tlsa-helper: ${message}`);
        process.exit(1);
      },
    },
    makeProbe(),
    packageVersion(),
    order,
  );
  process.stdin.on('data', (chunk: Buffer) => host.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  process.stdin.on('end', () => {
    void host.drained().then(() => process.exit(0));
  });
}

/**
 * Runs one command; returns its exit code, or -1 in host mode (the process lives on). `entry`: the
 * script the launcher written by `install` runs with this Node (src/helper/cli.ts).
 */
export function main(args: string[], entry: string): number {
  const [command, ...rest] = args;
  // Chrome starts a host with the caller's origin (and on Windows --parent-window=…).
  if (command === undefined || command.startsWith('chrome-extension://') || command === 'serve') {
    serve();
    return -1;
  }
  if (command === '--version') {
    console.log(packageVersion());
    return 0;
  }
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'install' && command !== 'uninstall') {
    console.error(`unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  let opts: InstallOptions | string;
  try {
    opts = parseInstallArgs(rest, entry);
  } catch (e) {
    opts = (e as Error).message;
  }
  if (typeof opts === 'string') {
    console.error(`${opts}\n\n${USAGE}`);
    return 2;
  }
  try {
    if (command === 'install') {
      const plan = install(opts);
      console.log(`installed ${HELPER_HOST_NAME} for ${opts.browser}:\n  manifest ${plan.manifestPath}\n  launcher ${plan.launcherPath}`);
      console.log(`  allowed  ${plan.manifest.allowed_origins.join(' ')}`);
      if (plan.registryKey) {
        console.log(`Windows: register the manifest with\n  reg add "${plan.registryKey}" /ve /t REG_SZ /d "${plan.manifestPath}" /f`);
      }
      console.log('Turn on "Compare certificates with the helper" in the extension\'s options.');
    } else {
      const { removed, plan } = uninstall(opts);
      console.log(removed.length ? `removed ${removed.join(', ')}` : `nothing installed in ${plan.dir}`);
      if (plan.registryKey) console.log(`Windows: also remove the key with\n  reg delete "${plan.registryKey}" /f`);
    }
    return 0;
  } catch (e) {
    console.error(`dnssec-tlsa-helper: ${(e as Error).message}`);
    return 1;
  }
}
