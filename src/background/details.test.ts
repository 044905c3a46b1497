import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../shared/options';
import { buildDetails, needsCertificate, unreadableCertificate } from './details';
import { Engine, type HostCheck } from './engine';
import { replayFetch, replayFixture } from './replay.test-helper';

/** Real validated facts of a world host (replayed signed answers). */
async function checkOf(host: string): Promise<HostCheck> {
  const engine = new Engine({ fetch: replayFetch, now: () => Date.parse(replayFixture.recordedAt) });
  engine.configure({ ...defaultOptions(), secondaryResolver: null, trustAnchor: { kind: 'custom', text: replayFixture.anchor } });
  return engine.check(host, 443);
}

describe('a certificate the browser could not give (Firefox getSecurityInfo failed)', () => {
  it('with secure TLSA records: the comparison is "could not be read" and the tab indeterminate, with the reason', async () => {
    const check = await checkOf('www.alg13.test');
    expect([check.result.tlsa.state, check.result.tlsa.result, needsCertificate(check)]).toEqual(['secure', 'data', true]);
    const cert = unreadableCertificate(check, null, 'request gone');
    expect(cert?.match).toEqual({ state: 'error', reason: 'the certificate could not be read: request gone' });
    const { details, state } = buildDetails({ check, https: true, certApi: true, ip: null, tls: null, tlsError: 'request gone', cert });
    expect(state).toBe('indeterminate');
    expect(details.dane).toMatchObject({ state: 'indeterminate', cert: 'error', reason: 'the certificate could not be read: request gone' });
    expect(details.certificateError).toBe('request gone');
  });

  it('an empty chain counts as unreadable; before the browser answered, the comparison is pending', async () => {
    const check = await checkOf('www.alg13.test');
    const empty = { certs: [], pkix: 'unknown' as const, tlsVersion: null, hsts: null };
    expect(unreadableCertificate(check, empty, null)?.match.state).toBe('error');
    expect(unreadableCertificate(check, null, null)).toBeNull();
    const { details } = buildDetails({ check, https: true, certApi: true, ip: null, tls: null, cert: null });
    expect(details.dane.cert).toBe('pending');
    expect(details.certificateError).toBeNull();
  });

  it('without TLSA records nothing depends on it: no verdict change, but the certificate section says so', async () => {
    const check = await checkOf('www.insecure.test');
    expect(needsCertificate(check)).toBe(false);
    expect(unreadableCertificate(check, null, 'request gone')).toBeNull();
    const { details, state } = buildDetails({ check, https: true, certApi: true, ip: null, tls: null, tlsError: 'request gone', cert: null });
    expect(state).toBe('insecure');
    expect(details.certificateError).toBe('request gone');
  });
});

describe('TLSA records a client does not use', () => {
  it('are listed with why: a SHA2-256 record beside a SHA2-512 one of the same usage and selector (RFC 7671 §9), an unusable one (RFC 7671 §4.1)', async () => {
    const real = await checkOf('www.alg13.test');
    const rec = (usage: number, selector: number, matchingType: number, n: number) => ({ kind: 'TLSA' as const, usage, selector, matchingType, data: new Uint8Array(n).fill(1) });
    const check: HostCheck = { ...real, tlsaRecords: [rec(3, 1, 1, 32), rec(3, 1, 2, 64), rec(9, 1, 1, 32), rec(2, 0, 1, 32)] };
    const { details } = buildDetails({ check, https: true, certApi: true, ip: null, tls: null, cert: null });
    expect(details.dane.notUsed).toEqual([
      { index: 0, why: 'weaker-digest' },
      { index: 2, why: 'unusable' },
    ]);
    const { details: plain } = buildDetails({ check: real, https: true, certApi: true, ip: null, tls: null, cert: null });
    expect(plain.dane.notUsed).toEqual([]);
  });
});
