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
