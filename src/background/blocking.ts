/**
 * Firefox: a blocking onHeadersReceived takes the certificate chain (getSecurityInfo), waits for
 * the DNS verdict (bounded), matches the TLSA records and, with enforcement on, sends bogus and
 * TLSA-mismatch navigations to the block page.
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import { compareCertificate, prepareCertificates } from './certificates';
import type { TlsInfo } from './details';
import { currentOptions, optionsReady } from './options-state';
import { messageOf, report } from './report';
import { enqueue, navigations, publish, stateOf, type Navigation } from './tab-state';
import { mark } from './timings';
import type { TabState } from '../shared/messages';
import { securityInfo } from './tls-firefox';

/** How long a Firefox navigation may wait for the DNS verdict before it is let through. */
const ENFORCEMENT_WAIT_MS = 8_000;
const BLOCK_PAGE = 'src/blocked/index.html';

export function isBlockPage(url: string | undefined): boolean {
  return !!url && url.startsWith(browser.runtime.getURL(BLOCK_PAGE));
}

/** The URL a tab shows, or for the block page the URL that was blocked. */
export function pageUrlOf(url: string | undefined): string {
  if (isBlockPage(url)) return new URL(url!).searchParams.get('url') ?? url!;
  return url ?? '';
}

export async function onHeadersReceived(details: WebRequest.OnHeadersReceivedDetailsType): Promise<WebRequest.BlockingResponse> {
  mark(details.tabId, details.url, 'headersIn');
  const response = await holdResponse(details);
  mark(details.tabId, details.url, 'headersOut');
  return response;
}

async function holdResponse(details: WebRequest.OnHeadersReceivedDetailsType): Promise<WebRequest.BlockingResponse> {
  // getSecurityInfo works only while the request waits in this listener: ask at once.
  const tls: Promise<CertificateRead> = securityInfo(details.requestId)
    .then(
      (info) => ({ info, error: null }),
      (e: unknown) => ({ info: null, error: messageOf(e) }),
    )
    .finally(() => mark(details.tabId, details.url, 'certRead'));
  await optionsReady();
  if (!currentOptions().enforcement) {
    // Blocking off: the response waits for the certificate read alone; the comparison and the
    // paint follow on their own.
    void takeCertificate(details, tls).then((nav) => nav && settle(nav).then(() => publish(nav)));
    await tls;
    return {};
  }
  const nav = await takeCertificate(details, tls);
  if (!nav || !nav.target.check) return {};
  const host = nav.target.host;
  const work = settle(nav);
  if (currentOptions().enforcementExceptions.includes(host)) {
    void work.then(() => publish(nav));
    return {};
  }
  // Enforcement: wait for the verdict, but never let a page hang on it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ENFORCEMENT_WAIT_MS)))]);
  clearTimeout(timer);
  if (navigations.get(details.tabId) !== nav) return {};
  const state = stateOf(nav);
  if (state.state !== 'bogus' && state.state !== 'tlsa-mismatch') {
    void publish(nav);
    return {};
  }
  nav.blocked = true;
  await publish(nav);
  return { redirectUrl: blockPageUrl(nav, state) };
}

/** The block page for a navigation and its (bogus or tlsa-mismatch) state; `extra` adds Chrome's notes. */
export function blockPageUrl(nav: Navigation, state: TabState, extra: Record<string, string> = {}): string {
  const reason = state.details?.dane.reason ?? state.details?.address.reason ?? state.details?.tlsa.reason ?? '';
  const params = new URLSearchParams({ url: nav.url, host: nav.target.host ?? '', state: state.state, reason: reason.slice(0, 500), ...extra });
  return `${browser.runtime.getURL(BLOCK_PAGE)}?${params.toString()}`;
}

/** What getSecurityInfo gave: the connection's facts, or why they could not be read. */
type CertificateRead = { info: TlsInfo | null; error: string | null };

/** The response's certificate chain and address, given to the tab's navigation (if it is this one). */
async function takeCertificate(details: WebRequest.OnHeadersReceivedDetailsType, tls: Promise<CertificateRead>): Promise<Navigation | null> {
  const nav = await enqueue(details.tabId, () => navigations.get(details.tabId));
  if (!nav || nav.url !== details.url || !nav.target.check) return null;
  const got = await tls;
  nav.tls = got.info;
  nav.tlsError = got.error;
  if (got.info) prepareCertificates(got.info);
  if (got.error !== null) report('certificate-read', got.error, nav.problems);
  const ip = (details as { ip?: string }).ip;
  if (ip) nav.ip = ip;
  return nav;
}

/** The verdict, then the certificate comparison. */
async function settle(nav: Navigation): Promise<void> {
  await nav.pending?.catch(() => undefined);
  await compareCertificate(nav);
}
