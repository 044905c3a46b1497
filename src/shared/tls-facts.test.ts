import { describe, expect, it } from 'vitest';
import { isOldTls, tlsFactsFrom } from './tls-facts';

describe('tlsFactsFrom', () => {
  it('reads a modern Firefox connection', () => {
    const f = tlsFactsFrom({
      state: 'secure',
      protocolVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      keaGroupName: 'x25519',
      signatureSchemeName: 'ECDSA-P256-SHA256',
      secretKeyLength: 128,
      hsts: true,
      usedOcsp: false,
      usedEch: false,
      certificateTransparencyStatus: 'policy_compliant',
    });
    expect(f).toEqual({
      state: 'secure',
      version: 'TLS 1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      keyExchange: 'x25519',
      signatureScheme: 'ECDSA-P256-SHA256',
      secretKeyBits: 128,
      hsts: true,
      ocsp: false,
      ct: 'compliant',
      ech: false,
      weaknessReasons: [],
      warnings: [],
    });
  });

  it('warns below TLS 1.2, for weak and broken connections, without HSTS and on CT policy failures', () => {
    expect(tlsFactsFrom({ protocolVersion: 'TLSv1.1', state: 'secure' }).warnings).toEqual(['old-version']);
    expect(tlsFactsFrom({ protocolVersion: 'TLSv1', state: 'weak', weaknessReasons: ['cipher'] })).toMatchObject({
      version: 'TLS 1.0',
      warnings: ['old-version', 'weak'],
      weaknessReasons: ['cipher'],
    });
    expect(tlsFactsFrom({ protocolVersion: 'TLSv1.2', state: 'broken' }).warnings).toEqual(['broken']);
    expect(tlsFactsFrom({ protocolVersion: 'TLSv1.3', hsts: false }).warnings).toEqual(['no-hsts']);
    expect(tlsFactsFrom({ certificateTransparencyStatus: 'policy_not_enough_scts' })).toMatchObject({ ct: 'not-enough-scts', warnings: ['ct'] });
  });

  it('leaves out what the browser did not report', () => {
    const f = tlsFactsFrom({ state: 'secure', protocolVersion: 'unknown', certificateTransparencyStatus: 'something-new' });
    expect(f).toMatchObject({ version: null, cipherSuite: null, hsts: null, ocsp: null, ct: null, secretKeyBits: null, warnings: [] });
    expect(tlsFactsFrom(null).state).toBe('unknown');
  });

  it('knows which versions are outdated (RFC 8996)', () => {
    expect(['SSLv3', 'TLSv1', 'TLSv1.1'].map(isOldTls)).toEqual([true, true, true]);
    expect(['TLSv1.2', 'TLSv1.3', 'unknown', undefined].map(isOldTls)).toEqual([false, false, false, false]);
  });
});
