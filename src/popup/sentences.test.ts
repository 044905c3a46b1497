import { describe, expect, it } from 'vitest';
import type { TabDetails, TabState } from '../shared/messages';
import { dnssecKey, headlineDetailKey, sentenceKeys, tlsaKey } from './sentences';

function details(over: Partial<TabDetails> = {}): TabDetails {
  return {
    port: 443,
    https: true,
    address: { state: 'secure', result: 'data', records: ['192.0.2.1'], reasonCode: null, reason: null },
    tlsa: { state: 'secure', result: 'data', records: ['3 1 1 ab'], reasonCode: null, reason: null, name: '_443._tcp.x.test', enabled: true },
    dane: { state: 'match', cert: 'match', matchedRecord: 0, notUsed: [], reason: null, pkixUnverified: false },
    chain: [],
    certificateApi: true,
    certificate: null,
    connection: { ip: null, matches: null },
    resolver: 'https://dns.example/dns-query',
    queries: 1,
    elapsedMs: 1,
    ...over,
  };
}

const tab = (over: Partial<TabState>): TabState => ({ tabId: 1, host: 'x.test', state: 'secure', checkedAt: 1, ...over });

describe('dnssecKey', () => {
  it.each([
    ['secure', 'data', 'dnssecSecure'],
    ['secure', 'nodata', 'dnssecSecureNoData'],
    ['secure', 'nxdomain', 'dnssecNxdomain'],
    ['insecure', 'data', 'dnssecInsecure'],
    ['bogus', 'data', 'dnssecBogus'],
    ['indeterminate', 'data', 'dnssecIndeterminate'],
  ] as const)('%s/%s → %s', (state, result, key) => {
    expect(dnssecKey(details({ address: { ...details().address, state, result } }))).toBe(key);
  });
});

describe('tlsaKey', () => {
  const d = details();
  it.each([
    ['TLSA off', { tlsa: { ...d.tlsa, enabled: false } }, 'tlsaOff'],
    ['bogus TLSA', { tlsa: { ...d.tlsa, state: 'bogus' } }, 'tlsaBogus'],
    ['failed TLSA lookup', { tlsa: { ...d.tlsa, state: 'indeterminate' } }, 'tlsaIndeterminate'],
    ['unsigned TLSA', { tlsa: { ...d.tlsa, state: 'insecure' } }, 'tlsaInsecure'],
    ['TLSA behind NSEC3 over the RFC 9276 cap', { tlsa: { ...d.tlsa, state: 'insecure', reasonCode: 'nsec3-iterations' } }, 'tlsaInsecureNsec3Iterations'],
    ['no TLSA', { tlsa: { ...d.tlsa, result: 'nxdomain', records: [] } }, 'tlsaNone'],
    ['plain HTTP', { https: false }, 'tlsaHttp'],
    ['match', {}, 'tlsaMatch'],
    ['mismatch', { dane: { ...d.dane, cert: 'mismatch' } }, 'tlsaMismatch'],
    ['only unusable records', { dane: { ...d.dane, cert: 'no-usable' } }, 'tlsaNoUsable'],
    ['unreadable certificate', { dane: { ...d.dane, cert: 'error' } }, 'tlsaCertError'],
    ['Chrome without the helper', { dane: { ...d.dane, cert: 'unavailable' }, certificateApi: false }, 'tlsaHelperOff'],
    ['Chrome, the helper asked', { dane: { ...d.dane, cert: 'pending' }, certificateApi: false, helper: { state: 'asking', error: null, message: null } }, 'tlsaHelperPending'],
    ['Chrome, the helper failed', { dane: { ...d.dane, cert: 'helper-failed' }, certificateApi: false }, 'tlsaHelperFailed'],
    ['the page did not load', { dane: { ...d.dane, cert: 'not-loaded' } }, 'tlsaPageNotLoaded'],
    ['no certificate yet', { dane: { ...d.dane, cert: 'pending' } }, 'tlsaNotSeen'],
    ['comparing', { dane: { ...d.dane, cert: 'pending' }, certificate: {} as TabDetails['certificate'] }, 'tlsaPending'],
    ['decided by DNS alone', { dane: { ...d.dane, cert: null } }, 'tlsaIndeterminate'],
  ] as [string, Partial<TabDetails>, string][])('%s → %s', (_name, over, key) => {
    expect(tlsaKey(details(over))).toBe(key);
  });
});

describe('sentenceKeys', () => {
  it('explains why a tab is off, except for non-web pages', () => {
    expect(sentenceKeys(tab({ state: 'off', skip: 'private-window' }))).toEqual({ dnssec: 'skipPrivateWindow', tlsa: null });
    expect(sentenceKeys(tab({ state: 'off', skip: 'test-domain' }))).toEqual({ dnssec: 'skipTestDomain', tlsa: null });
    expect(sentenceKeys(tab({ state: 'off', host: null, skip: 'not-web' }))).toBeNull();
  });
  it('says "being validated" while checking', () => {
    expect(sentenceKeys(tab({ state: 'checking', details: null }))).toEqual({ dnssec: 'dnssecChecking', tlsa: null });
  });
  it('gives both sentences once details are known', () => {
    expect(sentenceKeys(tab({ state: 'secure-tlsa-match', details: details() }))).toEqual({ dnssec: 'dnssecSecure', tlsa: 'tlsaMatch' });
  });
});

describe('headlineDetailKey', () => {
  const d = details();
  it('a missing signature is not headlined as an invalid one', () => {
    const tlsa = { ...d.tlsa, state: 'bogus' as const, reasonCode: 'missing-rrsig' as const };
    expect(headlineDetailKey(tab({ state: 'bogus', details: details({ tlsa }) }))).toBe('detailBogusMissingSignature');
    const address = { ...d.address, state: 'bogus' as const, reasonCode: 'missing-rrsig' as const };
    expect(headlineDetailKey(tab({ state: 'bogus', details: details({ address }) }))).toBe('detailBogusMissingSignature');
  });
  it('an invalid signature keeps the bogus explanation; other states keep their own', () => {
    const tlsa = { ...d.tlsa, state: 'bogus' as const, reasonCode: 'signature-invalid' as const };
    expect(headlineDetailKey(tab({ state: 'bogus', details: details({ tlsa }) }))).toBe('detailBogus');
    expect(headlineDetailKey(tab({ state: 'secure-not-compared', details: d }))).toBe('detailSecureNotCompared');
    expect(headlineDetailKey(tab({ state: 'nxdomain', details: d }))).toBe('detailNxdomain');
  });
});
