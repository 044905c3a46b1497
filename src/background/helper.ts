/**
 * Chrome: the server certificate through the native helper (docs/chrome-certificates.md). Chrome
 * gives extensions no certificate; with the optional `nativeMessaging` permission granted (options
 * page: "Compare certificates with the helper") the background asks the helper, once per
 * navigation to a host with signed TLSA records and as soon as the browser's own connection is
 * known (or the page loaded from the cache), for the chain a separate TLS connection to that
 * validated address receives; the chain is
 * then matched by the same `compareCertificate` (matchTlsa) as Firefox's.
 */
import browser from 'webextension-polyfill';
import { HelperClient, type NativePort } from '../shared/helper-client';
import { HELPER_HOST_NAME, type ProbeResult } from '../shared/helper-protocol';
import type { HelperStatusView } from '../shared/messages';
import { compareCertificate } from './certificates';
import { needsCertificate, type TlsInfo } from './details';
import { certApi, publish, type Navigation } from './tab-state';

/** How long the extension waits for one answer of the helper (its own TLS timeout is 8 s). */
export const HELPER_REPLY_TIMEOUT_MS = 10_000;

interface ChromeRuntime {
  connectNative?: (name: string) => NativePort;
  lastError?: { message?: string };
}

const chromeRuntime = (): ChromeRuntime | undefined => (globalThis as { chrome?: { runtime?: ChromeRuntime } }).chrome?.runtime;

const client = new HelperClient(
  () => {
    const runtime = chromeRuntime();
    // Without the permission Chrome does not even define connectNative.
    if (typeof runtime?.connectNative !== 'function') throw new Error('the nativeMessaging permission is not granted');
    return runtime.connectNative(HELPER_HOST_NAME);
  },
  { timeoutMs: HELPER_REPLY_TIMEOUT_MS, lastError: () => chromeRuntime()?.lastError?.message },
);

/** Is the helper turned on (the optional permission granted)? Cached; permission events reset it. */
let permitted: Promise<boolean> | null = null;

function helperPermitted(): Promise<boolean> {
  if (certApi) return Promise.resolve(false);
  permitted ??= browser.permissions.contains({ permissions: ['nativeMessaging'] }).catch(() => false);
  return permitted;
}

/** Wiring (index.ts): the options page granted or removed the permission. */
export function followHelperPermission(): void {
  if (certApi || !browser.permissions?.onAdded) return;
  browser.permissions.onAdded.addListener(() => {
    permitted = null;
  });
  browser.permissions.onRemoved.addListener(() => {
    permitted = null;
    client.close();
  });
}

/** The options page's view of the helper; `recheck` closes the port first (a helper installed or replaced meanwhile). */
export async function helperStatus(recheck: boolean): Promise<HelperStatusView> {
  if (certApi) return { applicable: false, permission: false, status: { state: 'unknown' } };
  permitted = null;
  const permission = await helperPermitted();
  if (!permission) return { applicable: true, permission, status: { state: 'unknown' } };
  if (recheck) client.close();
  return { applicable: true, permission, status: await client.hello() };
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The helper's answer in the shape the certificate comparison takes. */
export function tlsFromHelper(r: ProbeResult): TlsInfo {
  return {
    certs: r.chain.map(base64ToBytes),
    pkix: r.pkix,
    tlsVersion: r.tlsVersion,
    hsts: null,
    facts: null,
    source: 'helper',
    address: r.address,
    validated: r.validatedChain ? r.validatedChain.map(base64ToBytes) : null,
  };
}

/**
 * Asks the helper for a navigation's certificate when everything it needs is known: Chrome, the
 * helper on, DNS facts with signed TLSA records and signed addresses (the helper connects only to
 * validated ones), HTTPS, and the address the browser connected to (onResponseStarted) — so that
 * both meet the same server where possible and a page that never loaded is not compared (a page
 * from the cache has no address: any validated one, once its response started). Once per
 * navigation; the outcome is published (never a green state without a comparison).
 */
export function askHelper(nav: Navigation): void {
  const check = nav.check;
  if (certApi || !check || nav.tls || nav.helperRunning || !nav.target.check || !nav.target.https) return;
  if (!needsCertificate(check) || check.result.address.state !== 'secure') return;
  const validated = check.result.address.records;
  // The browser's own address; a page that loaded from the cache has none: any validated one. A
  // page that did not load (a certificate the browser refused, no server) is not compared.
  const ip = nav.ip ?? (nav.responded && nav.loadError === null ? validated[0] : undefined);
  // Until the permission is known the comparison counts as pending (never "unavailable" too early).
  nav.helper ??= { state: 'waiting', error: null, message: null };
  let running: Promise<void> | null = null;
  running = (async () => {
    if (!(await helperPermitted())) {
      nav.helper = { state: 'off', error: null, message: null };
      await publish(nav);
      return;
    }
    if (ip === undefined) {
      // On, but the browser has not connected yet: "pending", asked once it has.
      nav.helper = { state: 'waiting', error: null, message: null };
      if (nav.helperRunning === running) nav.helperRunning = null;
      await publish(nav);
      return;
    }
    nav.helper = { state: 'asking', error: null, message: null };
    await publish(nav);
    const outcome = await client.probe({ host: check.host, port: check.port, validated, address: ip });
    if (nav.check !== check) return;
    if (!outcome.ok) {
      nav.helper = { state: 'failed', error: outcome.error, message: outcome.message };
      await publish(nav);
      return;
    }
    nav.helper = { state: 'done', error: null, message: null };
    nav.tls = tlsFromHelper(outcome.result);
    await compareCertificate(nav);
  })().catch(async (e: unknown) => {
    nav.helper = { state: 'failed', error: 'helper-crashed', message: e instanceof Error ? e.message : String(e) };
    await publish(nav);
  });
  nav.helperRunning = running;
}
