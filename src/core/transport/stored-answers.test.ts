/**
 * Kept answers on the test world's real signed answers (the replay fixture), with a clock the
 * tests move: a validator over the store of an earlier life reaches the same verdicts without
 * asking, TTLs count down, nothing outlives its TTL or the verdict it proved, and a stored
 * snapshot is checked entry by entry.
 */
import { describe, expect, test } from 'vitest';
import { validateHost } from '../check';
import { anchors, fixture, recordedAt, replay } from '../dnssec/replay.test-helper';
import { Validator } from '../dnssec/validator';
import { fromBase64, toBase64 } from '../util/encoding';
import { parseName } from '../wire/name';
import { parseMessage } from '../wire/packet';
import { RRType } from '../wire/types';
import { STORED_ANSWER_LIMITS, STORED_URL, StoredAnswers, messageTtl, type StoredAnswersSnapshot } from './stored-answers';

const URLS = ['https://resolver.test/dns-query'];
const host = parseName('www.alg13.test')!;

/** One life of the background: a store in front of the replayed resolver, a validator over it, a movable clock. */
function life(clock: { now: number }, snapshot?: unknown) {
  const upstream = replay();
  const store = new StoredAnswers(upstream, URLS, () => clock.now);
  const load = snapshot === undefined ? null : store.load(snapshot);
  const validator = new Validator({ resolver: store, anchors, now: () => clock.now });
  return { upstream, store, load, validator };
}

/** Checks the host and keeps what proved it, as the background's engine does. */
async function checkAndKeep(l: ReturnType<typeof life>) {
  const v = await validateHost(l.validator, host, 443);
  const lookups = [v.a, v.aaaa, v.tlsa];
  if (lookups.every((x) => x.state === 'secure' || x.state === 'insecure')) {
    l.store.keep(v.ctx.fetcher.arrived());
  }
  return v;
}

describe('StoredAnswers', () => {
  test('a new life with the earlier snapshot reaches the same secure verdict without asking the resolver', async () => {
    const clock = { now: recordedAt };
    const first = life(clock);
    const v1 = await checkAndKeep(first);
    expect([v1.a.state, v1.tlsa.state]).toEqual(['secure', 'secure']);
    expect(first.upstream.asked.length).toBeGreaterThan(5);
    const snapshot = JSON.parse(JSON.stringify(first.store.snapshot())) as StoredAnswersSnapshot; // as storage keeps it

    clock.now += 30_000; // within the shortest TTL (the AAAA denial's 60 s, RFC 2308 §5)
    const second = life(clock, snapshot);
    expect(second.load).toEqual({ loaded: snapshot.answers.length, dropped: 0, droppedWhy: {} });
    const v2 = await checkAndKeep(second);
    expect(second.upstream.asked).toEqual([]);
    expect([v2.a.state, v2.a.result, v2.tlsa.state]).toEqual(['secure', 'data', 'secure']);
    expect(v2.a.records.map((r) => r.data)).toEqual(v1.a.records.map((r) => r.data));
    // 30 s later the TTLs are 30 s shorter (RFC 1035 §3.2.1), never the original again.
    expect(v2.a.ttl).toBe(v1.a.ttl - 30);
    // Later than a message's TTL, it is not loaded: the AAAA denial is asked again.
    clock.now += 40_000;
    const third = life(clock, snapshot);
    expect(third.load).toMatchObject({ droppedWhy: { expired: 3 } });
    await checkAndKeep(third);
    expect(third.upstream.asked).toEqual(['www.alg13.test./28', 'www.alg13.test./43', 'www.alg13.test./48']);
  });

  test('served messages count their TTLs down; after the TTL the resolver is asked again', async () => {
    const clock = { now: recordedAt };
    const l = life(clock);
    await checkAndKeep(l);
    const before = await l.store.query(host, RRType.A);
    expect(before.ok && before.url).toBe(STORED_URL);
    const ttl0 = before.ok ? before.message.answer[0]!.ttl : -1;
    clock.now += 10_500;
    const later = await l.store.query(host, RRType.A);
    expect(later.ok && later.message.answer.every((rr) => rr.ttl === ttl0 - 10)).toBe(true);
    const asked = l.upstream.asked.length;
    clock.now = recordedAt + STORED_ANSWER_LIMITS.maxTtlSeconds * 1000 + 1;
    const expired = await l.store.query(host, RRType.A);
    expect(expired.ok && expired.url).toBe('replay:');
    expect(l.upstream.asked.length).toBe(asked + 1);
  });

  test('nothing is kept longer than its TTL, its signatures or the limit', async () => {
    const clock = { now: recordedAt };
    const l = life(clock);
    const v = await validateHost(l.validator, host, 443);
    const messages = v.ctx.fetcher.arrived();
    expect(l.store.keep(messages)).toBe(messages.length);
    const sigExpiration = Date.parse(fixture.sigExpiration);
    for (const a of l.store.snapshot().answers) {
      const own = messageTtl(parseMessage(fromBase64(a.b)!));
      expect(a.e, a.q).toBe(Math.min(a.f + Math.min(own, STORED_ANSWER_LIMITS.maxTtlSeconds) * 1000, sigExpiration));
    }
    // Near the signatures' expiration the signatures bound it (RFC 4035 §5.3.3).
    clock.now = sigExpiration - 10_000;
    const late = life(clock);
    const v2 = await validateHost(late.validator, host, 443);
    expect(v2.a.state).toBe('secure');
    late.store.keep(v2.ctx.fetcher.arrived());
    const snap = late.store.snapshot();
    expect(snap.answers.length).toBeGreaterThan(0);
    for (const a of snap.answers) expect(a.e).toBeLessThanOrEqual(sigExpiration);
  });

  test('a message served from the store is never kept again (its entry is not extended)', async () => {
    const clock = { now: recordedAt };
    const l = life(clock);
    await checkAndKeep(l);
    const expiries = l.store.snapshot().answers.map((a) => a.e);
    clock.now += 30_000;
    const again = new Validator({ resolver: l.store, anchors, now: () => clock.now });
    const v = await validateHost(again, host, 443);
    expect(l.store.keep(v.ctx.fetcher.arrived())).toBe(0);
    expect(l.store.snapshot().answers.map((a) => a.e)).toEqual(expiries);
  });

  test('forget drops the entries a verdict was served from', async () => {
    const clock = { now: recordedAt };
    const l = life(clock);
    await checkAndKeep(l);
    const kept = l.store.size;
    const again = new Validator({ resolver: l.store, anchors, now: () => clock.now });
    const v = await validateHost(again, host, 443);
    expect(l.store.servedAny(v.ctx.fetcher.arrived())).toBe(true);
    expect(l.store.forget(v.ctx.fetcher.arrived())).toBe(kept);
    expect(l.store.size).toBe(0);
  });

  test('a tampered snapshot entry is served, fails validation, and is not secure', async () => {
    const clock = { now: recordedAt };
    const first = life(clock);
    await checkAndKeep(first);
    const snap = first.store.snapshot();
    const a = snap.answers.find((x) => x.q === 'www.alg13.test./1')!;
    const bytes = fromBase64(a.b)!;
    const address = parseMessage(bytes).answer.find((rr) => rr.type === RRType.A)!.rdata;
    const at = bytes.findIndex((_, i) => address.every((x, j) => bytes[i + j] === x));
    bytes[at + 3] ^= 0x01; // another address, same signature
    a.b = toBase64(bytes);
    const second = life(clock, snap);
    const v = await validateHost(second.validator, host, 443);
    expect(v.a.state).not.toBe('secure');
  });

  describe('load', () => {
    const clock = { now: recordedAt };
    let snapshot: StoredAnswersSnapshot;
    const fresh = async () => {
      if (!snapshot) {
        const l = life(clock);
        await checkAndKeep(l);
        snapshot = l.store.snapshot();
      }
      return structuredClone(snapshot);
    };

    test('refuses what is no snapshot, and the answers of other resolvers', async () => {
      for (const junk of [null, 42, 'x', [], {}, { v: 2, resolvers: URLS, answers: [] }, { v: 1, resolvers: [1], answers: [] }, { v: 1, resolvers: URLS }]) {
        expect(life(clock).store.load(junk)).toEqual({ loaded: 0, refused: 'not-a-snapshot' });
      }
      const s = await fresh();
      expect(life(clock).store.load({ ...s, resolvers: ['https://other.test/dns-query'] })).toEqual({ loaded: 0, refused: 'other-resolvers' });
    });

    test('drops each bad entry with its reason and keeps the others', async () => {
      const s = await fresh();
      const good = s.answers.length;
      const base = s.answers[0]!;
      s.answers.push(
        null as never,
        { ...base, b: 'not base64!' },
        { ...base, q: 'www.alg13.test./x' },
        { ...base, e: recordedAt - 1 },
        { ...base, f: recordedAt + 60_000 },
        { ...base, e: base.f + STORED_ANSWER_LIMITS.maxTtlSeconds * 1000 + 1 },
        { ...base, b: toBase64(new Uint8Array(STORED_ANSWER_LIMITS.maxBytes + 1)) },
      );
      const out = life(clock).store.load(s);
      expect(out).toEqual({ loaded: good, dropped: 7, droppedWhy: { malformed: 3, expired: 1, 'too-long': 2, 'too-large': 1 } });
    });

    test('what only the message shows is found on first use: that entry is dropped and the resolver asked', async () => {
      const s = await fresh();
      const a = s.answers.find((x) => x.q === 'www.alg13.test./1')!;
      const aaaa = s.answers.find((x) => x.q === 'www.alg13.test./28')!;
      const tlsa = s.answers.find((x) => x.q === '_443._tcp.www.alg13.test./52')!;
      const bytes = fromBase64(tlsa.b)!;
      const answers = [
        { ...a, b: aaaa.b }, // the message of another question
        { ...aaaa, b: toBase64(bytes.subarray(0, bytes.length - 5)) }, // cut short: no DNS message
        { ...tlsa, e: tlsa.f + (messageTtl(parseMessage(bytes)) + 1) * 1000 }, // past its own TTL
      ];
      const l = life(clock, { ...s, answers });
      expect(l.load).toEqual({ loaded: 3, dropped: 0, droppedWhy: {} });
      for (const [name, type] of [['www.alg13.test', RRType.A], ['www.alg13.test', RRType.AAAA], ['_443._tcp.www.alg13.test', RRType.TLSA]] as const) {
        const r = await l.store.query(parseName(name)!, type);
        expect(r.ok && r.url, `${name}/${type}`).toBe('replay:');
      }
      expect(l.store.droppedOnUse).toEqual({ 'question-mismatch': 1, malformed: 1, 'too-long': 1 });
      expect(l.store.size).toBe(0);
    });

    test('a question given twice: the newer arrival stays', async () => {
      const s = await fresh();
      const one = s.answers[0]!;
      const twice = [{ ...one, f: one.f - 1000, e: one.e - 1000 }, one, { ...one, f: one.f - 2000, e: one.e - 2000 }];
      const store = life(clock).store;
      expect(store.load({ ...s, answers: twice })).toEqual({ loaded: 2, dropped: 1, droppedWhy: { superseded: 1 } });
      expect(store.snapshot().answers).toEqual([one]);
    });

    test('keeps at most the limit: the last ones given', () => {
      const distinct = Object.entries(fixture.responses)
        .slice(0, 40)
        .map(([q, b]) => ({ q, b, f: recordedAt, e: recordedAt + 1000 }));
      const store = new StoredAnswers(replay(), URLS, () => clock.now, 10);
      expect(store.load({ v: 1, resolvers: URLS, answers: distinct })).toEqual({ loaded: 10, dropped: 30, droppedWhy: { 'over-limit': 30 } });
      expect(store.snapshot().answers.map((a) => a.q)).toEqual(distinct.slice(30).map((a) => a.q));
    });
  });
});
