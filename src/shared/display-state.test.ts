import { describe, expect, it } from 'vitest';
import { DISPLAY_STATES, displayStateFor, isDisplayState, type DisplayExtras, type DnsFacts } from './display-state';

type S = DnsFacts['address']['state'];
type R = DnsFacts['address']['result'];

function facts(address: S, tlsa: S, tlsaResult: R = 'data', addressResult: R = 'data'): DnsFacts {
  return { address: { state: address, result: addressResult }, tlsa: { state: tlsa, result: tlsaResult } };
}

const base: DisplayExtras = { tlsaEnabled: true, cert: null, addressMatch: null };

describe('displayStateFor', () => {
  it('off wins over everything', () => {
    expect(displayStateFor(facts('bogus', 'bogus'), { ...base, off: true })).toBe('off');
    expect(displayStateFor(null, { ...base, off: true })).toBe('off');
  });

  it('is checking while no DNS facts are known', () => {
    expect(displayStateFor(null, base)).toBe('checking');
    expect(displayStateFor(null, { ...base, cert: 'match', addressMatch: true })).toBe('checking');
  });

  it('bogus addresses → bogus, whatever else is known', () => {
    expect(displayStateFor(facts('bogus', 'secure'), { ...base, cert: 'match', addressMatch: true })).toBe('bogus');
    expect(displayStateFor(facts('bogus', 'secure'), { ...base, tlsaEnabled: false })).toBe('bogus');
  });

  it('bogus TLSA records → bogus only when TLSA checking is on', () => {
    expect(displayStateFor(facts('secure', 'bogus'), base)).toBe('bogus');
    expect(displayStateFor(facts('secure', 'bogus'), { ...base, tlsaEnabled: false })).toBe('secure');
  });

  it('a certificate matching none of the secure TLSA records → tlsa-mismatch', () => {
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'mismatch' })).toBe('tlsa-mismatch');
    // also with an address problem: the certificate failure is the more specific finding
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'mismatch', addressMatch: false })).toBe(
      'tlsa-mismatch',
    );
    expect(displayStateFor(facts('indeterminate', 'secure'), { ...base, cert: 'mismatch' })).toBe('tlsa-mismatch');
  });

  it('ignores a certificate comparison when DANE does not apply', () => {
    // TLSA off, TLSA unsigned, TLSA securely absent
    expect(displayStateFor(facts('secure', 'secure'), { ...base, tlsaEnabled: false, cert: 'mismatch' })).toBe('secure');
    expect(displayStateFor(facts('insecure', 'insecure'), { ...base, cert: 'mismatch' })).toBe('insecure');
    expect(displayStateFor(facts('secure', 'secure', 'nxdomain'), { ...base, cert: 'mismatch' })).toBe('secure');
    expect(displayStateFor(facts('secure', 'secure', 'nodata'), { ...base, cert: 'match' })).toBe('secure');
  });

  it('a failed address lookup → indeterminate', () => {
    expect(displayStateFor(facts('indeterminate', 'secure'), base)).toBe('indeterminate');
    expect(displayStateFor(facts('indeterminate', 'secure'), { ...base, cert: 'match' })).toBe('indeterminate');
  });

  it('a certificate matching a secure TLSA record → secure-tlsa-match, even if the address differs', () => {
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'match', addressMatch: true })).toBe(
      'secure-tlsa-match',
    );
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'match', addressMatch: false })).toBe(
      'secure-tlsa-match',
    );
    // the address records need not be signed for DANE (only the TLSA records)
    expect(displayStateFor(facts('insecure', 'secure'), { ...base, cert: 'match' })).toBe('secure-tlsa-match');
  });

  it('signed addresses that do not include the connected one → address-mismatch', () => {
    expect(displayStateFor(facts('secure', 'secure', 'nxdomain'), { ...base, addressMatch: false })).toBe(
      'address-mismatch',
    );
    expect(displayStateFor(facts('secure', 'secure'), { ...base, addressMatch: false, cert: 'no-usable' })).toBe(
      'address-mismatch',
    );
    // an unsigned answer proves nothing about the address
    expect(displayStateFor(facts('insecure', 'insecure'), { ...base, addressMatch: false })).toBe('insecure');
  });

  it('unsigned addresses → insecure', () => {
    expect(displayStateFor(facts('insecure', 'insecure'), base)).toBe('insecure');
    expect(displayStateFor(facts('insecure', 'indeterminate'), base)).toBe('insecure');
  });

  it('an unreadable certificate or a failed TLSA lookup → indeterminate', () => {
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'error' })).toBe('indeterminate');
    expect(displayStateFor(facts('secure', 'indeterminate'), base)).toBe('indeterminate');
    expect(displayStateFor(facts('secure', 'indeterminate'), { ...base, tlsaEnabled: false })).toBe('secure');
  });

  it('signed TLSA records never compared with a certificate → secure-not-compared, never secure', () => {
    expect(displayStateFor(facts('secure', 'secure'), base)).toBe('secure-not-compared');
    expect(displayStateFor(facts('secure', 'secure'), { ...base, addressMatch: true })).toBe('secure-not-compared');
    // TLSA checking off: nothing to compare
    expect(displayStateFor(facts('secure', 'secure'), { ...base, tlsaEnabled: false })).toBe('secure');
    // unsigned addresses stay insecure whatever the TLSA records say
    expect(displayStateFor(facts('insecure', 'secure'), base)).toBe('insecure');
  });

  it('a name proven not to exist → nxdomain; an unsigned one is insecure; a connection to it is address-mismatch', () => {
    expect(displayStateFor(facts('secure', 'secure', 'nxdomain', 'nxdomain'), base)).toBe('nxdomain');
    expect(displayStateFor(facts('secure', 'indeterminate', 'data', 'nxdomain'), base)).toBe('nxdomain');
    expect(displayStateFor(facts('insecure', 'insecure', 'nxdomain', 'nxdomain'), base)).toBe('insecure');
    expect(displayStateFor(facts('secure', 'secure', 'nxdomain', 'nxdomain'), { ...base, addressMatch: false })).toBe('address-mismatch');
  });

  it('otherwise → secure (no TLSA, only unusable TLSA)', () => {
    expect(displayStateFor(facts('secure', 'secure', 'nxdomain'), { ...base, addressMatch: true })).toBe('secure');
    expect(displayStateFor(facts('secure', 'secure', 'nodata'), base)).toBe('secure');
    expect(displayStateFor(facts('secure', 'secure'), { ...base, cert: 'no-usable' })).toBe('secure');
    expect(displayStateFor(facts('secure', 'insecure'), base)).toBe('secure');
  });

  it('only ever returns a known display state', () => {
    const states: S[] = ['secure', 'insecure', 'bogus', 'indeterminate'];
    const results: R[] = ['data', 'nodata', 'nxdomain'];
    const certs: DisplayExtras['cert'][] = ['match', 'mismatch', 'no-usable', 'error', null];
    const seen = new Set<string>();
    for (const a of states)
      for (const t of states)
        for (const r of results)
          for (const cert of certs)
            for (const addressMatch of [true, false, null])
              for (const tlsaEnabled of [true, false])
                for (const ar of results) {
                  const s = displayStateFor(facts(a, t, r, ar), { tlsaEnabled, cert, addressMatch });
                  expect(isDisplayState(s)).toBe(true);
                  seen.add(s);
                }
    // every state except checking/off is reachable from DNS facts
    expect([...seen].sort()).toEqual(DISPLAY_STATES.filter((s) => s !== 'checking' && s !== 'off').sort());
  });
});
