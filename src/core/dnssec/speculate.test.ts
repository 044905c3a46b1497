/**
 * Signature checks started as the answers arrive (speculate.ts), on the world's real signed
 * answers replayed offline: the walk finds its checks made, in parallel, and they decide nothing.
 */
import { describe, expect, test } from 'vitest';
import { validateHost } from '../check';
import { parseName } from '../wire/name';
import { RRType, type DNSKEYData, type Message, type RR, type RRSIGData } from '../wire/types';
import { webCryptoBackend, type SignatureBackend } from './algorithms';
import { LIMITS } from './limits';
import { fixture, anchors, recordedAt, replay } from './replay.test-helper';
import { EarlyChecks, SignatureChecks } from './speculate';
import { Validator } from './validator';

/** WebCrypto, counting primitive calls and how many were in flight at once; each takes a few ms (a thread hop under load). */
function slowBackend(ms = 3): SignatureBackend & { calls: number; inFlight: number; maxInFlight: number } {
  const b = {
    name: 'slow',
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    importKey: (parts: Parameters<SignatureBackend['importKey']>[0]) => webCryptoBackend.importKey(parts),
    async verify(key: unknown, parts: Parameters<SignatureBackend['verify']>[1], signature: Uint8Array, data: Uint8Array): Promise<boolean> {
      b.calls++;
      b.inFlight++;
      b.maxInFlight = Math.max(b.maxInFlight, b.inFlight);
      await new Promise((r) => setTimeout(r, ms));
      try {
        return await webCryptoBackend.verify(key, parts, signature, data);
      } finally {
        b.inFlight--;
      }
    },
  };
  return b;
}

const cold = (backend: SignatureBackend) => new Validator({ resolver: replay(), anchors, now: () => recordedAt, signatures: backend });

describe('a cold verdict', () => {
  test('www.alg13.test: every check of the walk was started as its answer arrived, side by side', async () => {
    const backend = slowBackend();
    const v = await validateHost(cold(backend), parseName('www.alg13.test')!, 443);
    expect([v.a.state, v.aaaa.state, v.tlsa.state]).toEqual(['secure', 'secure', 'secure']);
    const stats = v.ctx.checks!.stats;
    // The walk made no check of its own: each one it needed had been started early.
    expect(stats.made).toBe(stats.early);
    expect(stats.reused).toBeGreaterThanOrEqual(6); // root-signed DS, two DNSKEY RRsets, a DS, A, TLSA, AAAA's denial
    expect(backend.calls).toBe(stats.made);
    // Started together instead of one link after another.
    expect(backend.maxInFlight).toBeGreaterThanOrEqual(5);
  });

  test.each(fixture.cases.map((c) => [c.id, c] as const))('%s: the same verdict, and no more primitive calls than the walk plus the early bound', async (_id, c) => {
    const backend = slowBackend(0);
    const v = await validateHost(cold(backend), parseName(c.host)!, c.port);
    const addressState = [v.a.state, v.aaaa.state].includes('bogus') ? 'bogus' : v.a.state;
    expect({ address: { state: addressState, result: v.a.result }, tlsa: { state: v.tlsa.state, result: v.tlsa.result } }).toEqual({ address: c.address, tlsa: c.tlsa });
    const stats = v.ctx.checks!.stats;
    expect(stats.early).toBeLessThanOrEqual(LIMITS.maxEarlySignatureChecks);
    expect(backend.calls).toBe(stats.made);
  });

  test('a zone whose keys match no DS (www.badds.test): checked early with its own keys, still bogus', async () => {
    const v = await validateHost(cold(slowBackend(0)), parseName('www.badds.test')!, 443);
    expect(v.a.state).toBe('bogus');
    expect(v.a.reason?.code).toBe('ds-no-match');
    // The zone's self-signature and its A record's were checked early (they verify with the
    // zone's own, unauthenticated keys) and gave the walk nothing: it never asked for them.
    expect(v.ctx.checks!.stats.early).toBeGreaterThan(v.ctx.checks!.stats.reused);
  });
});

describe('bounds', () => {
  const answer = async (key: string): Promise<Message> => {
    const [name, type] = key.split('/');
    const x = await replay().query(parseName(name!)!, Number(type));
    if (!x.ok) throw new Error(key);
    return x.message;
  };

  test(`a hostile answer with 200 signatures starts no more than ${LIMITS.maxEarlySignatureChecks} checks`, async () => {
    const keys = await answer('alg13.test./48');
    const a = await answer('www.alg13.test./1');
    const sig = a.answer.find((rr) => rr.type === RRType.RRSIG)!;
    const flood: Message = { ...a, answer: [...a.answer.filter((rr) => rr.type !== RRType.RRSIG), ...Array.from({ length: 200 }, () => sig)] };
    const backend = slowBackend(0);
    const checks = new SignatureChecks(backend);
    const zoneKeys = keys.answer.filter((rr): rr is RR<DNSKEYData> => rr.type === RRType.DNSKEY);
    const early = new EarlyChecks(checks, Math.floor(recordedAt / 1000), (z) => (z === 'alg13.test.' ? zoneKeys : null));
    for (let i = 0; i < 10; i++) early.arrived(flood);
    expect(checks.stats.early).toBe(1); // the same check, once
    // 200 different signatures (each a check of its own) over several answers.
    const s = sig as RR<RRSIGData>;
    const other = (i: number): RR => ({ ...s, data: { ...s.data, signature: s.data.signature.map((x, j) => (j < 2 ? (i >> (8 * j)) & 0xff : x)) } });
    for (let m = 0; m < 4; m++) early.arrived({ ...a, answer: [...a.answer.filter((rr) => rr.type !== RRType.RRSIG), ...Array.from({ length: 50 }, (_, i) => other(m * 50 + i + 1))] });
    expect(checks.stats.early).toBe(LIMITS.maxEarlySignatureChecks);
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.calls).toBe(checks.stats.made);
  });

  test('a check is reused only for the very same algorithm, key, data and signature', async () => {
    const keys = await answer('alg13.test./48');
    const set = keys.answer.filter((rr): rr is RR<DNSKEYData> => rr.type === RRType.DNSKEY);
    const backend = slowBackend(0);
    const checks = new SignatureChecks(backend);
    const k = set[0]!.data;
    const data = new Uint8Array([1, 2, 3]);
    const sig = new Uint8Array(64).fill(7);
    const outcomes = await Promise.all([
      checks.verify(k.algorithm, k.publicKey, data, sig),
      checks.verify(k.algorithm, k.publicKey, data, sig),
      checks.verify(k.algorithm, k.publicKey, new Uint8Array([1, 2, 4]), sig),
      checks.verify(k.algorithm, k.publicKey.map((x, i) => (i === 0 ? x ^ 1 : x)), data, sig),
      checks.verify(k.algorithm, k.publicKey, data, new Uint8Array(64).fill(8)),
    ]);
    expect(outcomes).toEqual(['invalid', 'invalid', 'invalid', 'bad-key', 'invalid']); // a changed point is off the curve
    expect(checks.stats).toEqual({ made: 4, early: 0, reused: 1 });
  });
});
