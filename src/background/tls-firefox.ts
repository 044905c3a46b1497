/**
 * Firefox only: the certificate chain and TLS facts of a response, from
 * `webRequest.getSecurityInfo` (callable only inside a blocking onHeadersReceived listener).
 * Chrome has no such API (see docs/chrome-certificates.md).
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import type { PkixVerdict } from '../core/dane/match';
import { tlsFactsFrom, type SecurityInfoLike } from '../shared/tls-facts';
import type { TlsInfo } from './details';

type GetSecurityInfo = (requestId: string, options: WebRequest.GetSecurityInfoOptionsType) => Promise<WebRequest.SecurityInfo>;

function api(): GetSecurityInfo | null {
  const webRequest = browser.webRequest as unknown as { getSecurityInfo?: GetSecurityInfo };
  return typeof webRequest.getSecurityInfo === 'function' ? webRequest.getSecurityInfo.bind(webRequest) : null;
}

/** True where the browser lets extensions see the server certificate (Firefox). */
export function hasCertificateApi(): boolean {
  return api() !== null;
}

/** Firefox's connection state → the PKIX verdict matchTlsa needs for usages 0 and 1. */
export function pkixFromState(state: WebRequest.SecurityInfo['state']): PkixVerdict {
  if (state === 'secure' || state === 'weak') return 'valid';
  if (state === 'broken' || state === 'insecure') return 'invalid';
  return 'unknown';
}

export async function securityInfo(requestId: string): Promise<TlsInfo | null> {
  const get = api();
  if (!get) return null;
  const info = await get(requestId, { certificateChain: true, rawDER: true });
  const certs = (info.certificates ?? [])
    .map((c) => (Array.isArray(c.rawDER) ? Uint8Array.from(c.rawDER) : null))
    .filter((c): c is Uint8Array<ArrayBuffer> => c !== null && c.length > 0);
  return {
    certs,
    pkix: pkixFromState(info.state),
    tlsVersion: info.protocolVersion && info.protocolVersion !== 'unknown' ? info.protocolVersion : null,
    hsts: typeof info.hsts === 'boolean' ? info.hsts : null,
    facts: tlsFactsFrom(info as SecurityInfoLike),
  };
}
