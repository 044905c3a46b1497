import { describe, expect, it } from 'vitest';
import { DAY_MS } from './expiry';
import { certificatesThatMatter, chainExpiries, HORIZON_PRECISION_MS, judgeHorizon, type ExpiryItem } from './horizon';
import type { ChainLink } from './dnssec/result';

const NOW = Date.UTC(2026, 11, 6, 12);

/** A check whose verdict turns bogus once any of `expiries` has passed (RFC 4035 §5.3.1). */
function model(expiries: { at: number; what: string }[]) {
  const calls: number[] = [];
  const judge = async (t: number) => {
    calls.push(t);
    const gone = expiries.filter((e) => e.at < t).sort((a, b) => a.at - b.at)[0];
    return gone ? { state: 'bogus', reason: `${gone.what}: expired` } : { state: 'secure', reason: undefined };
  };
  return { judge, calls };
}

const link = (zone: string, state: ChainLink['state'], exp?: number): ChainLink => ({ zone, state, ds: [], keys: [], signatureExpiration: exp });

describe('judgeHorizon', () => {
  it('holds when nothing expires before the horizon, and names the first known expiry', async () => {
    const known = chainExpiries([link('.', 'secure', NOW / 1000 + 20 * 86400), link('test.', 'secure', NOW / 1000 + 12 * 86400), link('x.test.', 'insecure', NOW / 1000 + 1)]);
    const m = model(known);
    const h = await judgeHorizon({ now: NOW, days: 7, current: await m.judge(NOW), judge: m.judge, states: (r) => ({ state: r.state }), reason: (r) => r.reason, known });
    expect(h).toMatchObject({ days: 7, holds: true, changes: [], expiresFirst: { kind: 'signature', zone: 'test.', inDays: 12 } });
    expect(h.failsAt).toBeUndefined();
    expect(h.at).toBe(new Date(NOW + 7 * DAY_MS).toISOString().replace('.000Z', 'Z'));
  });

  it('fails at the exact known expiry when one explains the change', async () => {
    const known: ExpiryItem[] = [{ kind: 'signature', what: 'DNSKEY/DS signatures of zone soon.test.', zone: 'soon.test.', at: NOW + 2 * DAY_MS + 12345_000 }];
    const m = model(known);
    const h = await judgeHorizon({ now: NOW, days: 7, current: await m.judge(NOW), judge: m.judge, states: (r) => ({ state: r.state }), reason: (r) => r.reason, known });
    expect(h.holds).toBe(false);
    expect(h.changes).toEqual(['state: secure → bogus']);
    expect(h.failsAt).toBe(new Date(known[0].at).toISOString().replace('.000Z', 'Z'));
    expect(h.reason).toBe('DNSKEY/DS signatures of zone soon.test.: expired');
    expect(h.expiresFirst).toMatchObject({ kind: 'signature', zone: 'soon.test.', inDays: 2.1 });
    // Bisection: about log2(7 days / 1 hour) extra judgements, not one per hour.
    expect(m.calls.length).toBeLessThan(12);
  });

  it('an expiry the chain does not list (an answer signature) is found by bisection within the precision', async () => {
    const hidden = NOW + 3 * DAY_MS + 777_000;
    const m = model([{ at: hidden, what: 'RRSIG A www.x.test.' }]);
    const known: ExpiryItem[] = [{ kind: 'signature', what: 'DNSKEY/DS signatures of zone x.test.', zone: 'x.test.', at: NOW + 5 * DAY_MS }];
    const h = await judgeHorizon({ now: NOW, days: 30, current: await m.judge(NOW), judge: m.judge, states: (r) => ({ state: r.state }), reason: (r) => r.reason, known });
    const failsAt = Date.parse(h.failsAt!);
    expect(failsAt).toBeGreaterThanOrEqual(hidden - 1000);
    expect(failsAt - hidden).toBeLessThanOrEqual(HORIZON_PRECISION_MS);
    expect(h.expiresFirst).toMatchObject({ kind: 'verdict', what: 'RRSIG A www.x.test.: expired', inDays: 3 });
  });

  it('rejects a negative or infinite horizon (a programming error: the CLI checks --days)', async () => {
    const m = model([]);
    await expect(judgeHorizon({ now: NOW, days: -1, current: await m.judge(NOW), judge: m.judge, states: (r) => ({ state: r.state }), reason: () => undefined, known: [] })).rejects.toThrow(RangeError);
  });
});

describe('certificatesThatMatter', () => {
  it('none for DANE-EE (RFC 7671 §5.1), those below the TA for DANE-TA, all for the PKIX usages', () => {
    expect(certificatesThatMatter(3, 0, 3)).toEqual([]);
    expect(certificatesThatMatter(2, 2, 3)).toEqual([0, 1]);
    expect(certificatesThatMatter(1, 0, 3)).toEqual([0, 1, 2]);
    expect(certificatesThatMatter(0, 1, 2)).toEqual([0, 1]);
  });
});
