import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTlsa, matchTlsa } from './match';
import { combineRollover, rolloverReadiness, type RecordMatcher } from './rollover';
import type { TLSAData } from '../wire/types';

const DIR = join(import.meta.dirname, 'fixtures');
const der = (n: string) => new Uint8Array(Buffer.from(readFileSync(join(DIR, `${n}.pem`), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''), 'base64'));
const rec = (n: string, u: number, s = 1, m = 1) => generateTlsa(der(n), u, s, m);
/** The real matcher, one record at a time, with the fixtures' host name. */
const matcher =
  (chain: Uint8Array[], host = 'www.dane.test'): RecordMatcher =>
  async (r) => {
    const m = await matchTlsa([r], { sent: chain, pkix: { verdict: 'unknown' } }, { host, now: new Date('2030-01-01T00:00:00Z') });
    return m.state === 'match' ? { matched: true, certIndex: m.certIndex } : { matched: false };
  };
const judge = async (records: Promise<TLSAData>[], chainNames: string[], host?: string) => {
  const chain = chainNames.map(der);
  return rolloverReadiness(await Promise.all(records), chain, matcher(chain, host));
};

describe('rollover readiness (issue #15 part 3)', () => {
  it('current + next (3 1 1 + 3 1 1 of a key not in use): ready', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('leaf-rsa', 3)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('ready');
    expect(v.reason).toContain('current + next');
  });

  it('current + issuer (3 1 1 + 2 1 1 of the issuing CA): ready, naming the CA', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('int', 2)], ['leaf-ec', 'int']);
    expect(v).toMatchObject({ rollover: 'ready' });
    expect(v.reason).toContain('DANE Test Intermediate CA');
  });

  it('a 3 and a 2 record for the same (leaf) certificate: not ready (internet.nl #1283)', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('leaf-ec', 2)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain("server's own certificate");
  });

  it('a 2 record for an unrelated CA: not ready (internet.nl #1283)', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('unrelated-ca', 2)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain('did not issue');
  });

  it('duplicates count once (internet.nl #1206)', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('leaf-ec', 3)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain('duplicate records count once');
  });

  it('3 1 1 and 3 0 1 of the same certificate are one key: not ready', async () => {
    const v = await judge([rec('leaf-ec', 3), rec('leaf-ec', 3, 0, 1)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain('in use now');
  });

  it('no record matches now (renewed without a TLSA update): not ready', async () => {
    const v = await judge([rec('leaf-rsa', 3), rec('leaf-wildcard', 3)], ['leaf-ec', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain('none of the 2');
  });

  it('a 2 record on the issuer whose chain fails the name check does not count', async () => {
    const v = await judge([rec('leaf-other-name', 3), rec('int', 2)], ['leaf-other-name', 'int']);
    expect(v.rollover).toBe('not-ready');
    expect(v.reason).toContain('does not validate');
    // the same records with the name the certificate carries: ready
    const ok = await judge([rec('leaf-other-name', 3), rec('int', 2)], ['leaf-other-name', 'int'], 'other.example.test');
    expect(ok.rollover).toBe('ready');
  });

  it('no usable records or no chain: not applicable', async () => {
    expect((await judge([], ['leaf-ec'])).rollover).toBe('not-applicable');
    expect((await rolloverReadiness([await rec('leaf-ec', 3)], [], async () => ({ matched: false }))).rollover).toBe('not-applicable');
  });

  it('several addresses: ready only when ready at each', () => {
    const ready = { rollover: 'ready' as const, reason: 'r' };
    const not = { rollover: 'not-ready' as const, reason: 'n' };
    expect(combineRollover([{ address: 'a', verdict: ready }, { address: 'b', verdict: not }])).toEqual({ rollover: 'not-ready', reason: 'at b: n' });
    expect(combineRollover([{ address: 'a', verdict: ready }])).toEqual(ready);
    expect(combineRollover([]).rollover).toBe('not-applicable');
  });
});
