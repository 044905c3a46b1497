import { describe, expect, test } from 'vitest';
import { addressMismatch, combineAddress, daneBeforeConnect, daneFromMatch, type CheckResult } from './check';
import type { LookupResult } from './dnssec/result';
import { RRType, type RR } from './wire/types';

function a(address: string, type: number = RRType.A): RR {
  return { name: 'h.example.', type, class: 1, ttl: 60, rdata: new Uint8Array(), data: { kind: type === RRType.A ? 'A' : 'AAAA', address } as RR['data'] };
}
function lookup(state: LookupResult['state'], result: LookupResult['result'], records: RR[] = [], reason?: LookupResult['reason']): LookupResult {
  return { name: 'h.example.', type: 1, state, result, records, links: [], chain: [], ttl: 60, reason };
}

describe('combineAddress: A and AAAA as one verdict', () => {
  test('the worst state wins and records are joined', () => {
    const s = combineAddress(lookup('secure', 'data', [a('192.0.2.1')]), lookup('bogus', 'data', [a('2001:db8::1', RRType.AAAA)], { code: 'signature-invalid', message: 'bad sig' }));
    expect(s).toMatchObject({ state: 'bogus', result: 'data', records: ['192.0.2.1', '2001:db8::1'], reason: 'bad sig', reasonCode: 'signature-invalid' });
  });
  test('an unprovable AAAA absence does not taint a secure A; a failed one neither; a bogus one does', () => {
    const A = lookup('secure', 'data', [a('192.0.2.1')]);
    expect(combineAddress(A, lookup('insecure', 'nodata')).state).toBe('secure');
    expect(combineAddress(A, lookup('indeterminate', 'data')).state).toBe('indeterminate');
    expect(combineAddress(A, lookup('indeterminate', 'nodata')).state).toBe('secure');
    expect(combineAddress(A, lookup('bogus', 'nodata')).state).toBe('bogus');
    expect(combineAddress(lookup('insecure', 'data', [a('192.0.2.1')]), lookup('secure', 'nodata')).state).toBe('insecure');
  });
  test('nxdomain only when both say so; nodata otherwise', () => {
    expect(combineAddress(lookup('secure', 'nxdomain'), lookup('secure', 'nxdomain')).result).toBe('nxdomain');
    expect(combineAddress(lookup('secure', 'nodata'), lookup('secure', 'nxdomain')).result).toBe('nodata');
    expect(combineAddress(lookup('secure', 'data', [a('192.0.2.1')]), lookup('secure', 'nodata')).state).toBe('secure');
  });
});

function result(address: Partial<CheckResult['address']>, tlsa: Partial<CheckResult['tlsa']>): CheckResult {
  return {
    host: 'h.example', port: 443,
    address: { state: 'secure', result: 'data', records: [], ...address },
    tlsa: { name: '_443._tcp.h.example', state: 'secure', result: 'data', records: [], ...tlsa },
    dane: 'not-checked', chain: [], queries: 0, elapsedMs: 0,
  };
}

describe('DANE outcome decided by DNS alone (RFC 6698 §4, RFC 7671 §4)', () => {
  test.each([
    [{ state: 'bogus' }, {}, 'bogus'],
    [{}, { state: 'bogus' }, 'bogus'],
    [{}, { state: 'indeterminate' }, 'indeterminate'],
    [{}, { state: 'insecure' }, 'insecure'],
    [{}, { result: 'nxdomain' }, 'no-tlsa'],
    [{}, { result: 'nodata' }, 'no-tlsa'],
    [{ state: 'indeterminate' }, {}, 'indeterminate'],
  ] as const)('address %j tlsa %j → %s', (ad, tl, want) => {
    expect(daneBeforeConnect(result(ad, tl))?.dane).toBe(want);
  });
  test('secure TLSA data needs a connection', () => {
    expect(daneBeforeConnect(result({}, {}))).toBeNull();
  });
  test('no usable TLSA counts as no TLSA (RFC 7671 §4.1); a chain error is indeterminate', () => {
    expect(daneFromMatch({ state: 'no-usable-tlsa', reason: 'x' }).dane).toBe('no-tlsa');
    expect(daneFromMatch({ state: 'error', reason: 'x' }).dane).toBe('indeterminate');
  });
});

describe('addressMismatch: connected IP vs validated A/AAAA', () => {
  const v = { a: lookup('secure', 'data', [a('192.0.2.1')]), aaaa: lookup('secure', 'data', [a('2001:db8::1', RRType.AAAA)]) };
  test.each([
    ['192.0.2.1', false],
    ['2001:0db8:0000::0001', false],
    ['[2001:db8::1]', false],
    ['::ffff:192.0.2.1', false],
    ['192.0.2.99', true],
    ['2001:db8::2', true],
  ] as const)('%s → %s', (ip, want) => {
    expect(addressMismatch(ip, v)).toBe(want);
  });
  test('nothing validated to compare with → null', () => {
    expect(addressMismatch('192.0.2.1', { a: lookup('insecure', 'data', [a('192.0.2.1')]), aaaa: lookup('insecure', 'nodata') })).toBeNull();
    expect(addressMismatch(undefined, v)).toBeNull();
  });
});
