import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signedData } from './canonical';
import { a, dnskey, rrsig, type SigFields } from './fixtures/vectors';
import { keyTag } from './keytag';
import { LIMITS } from './limits';
import { verifyRRset, type VerifyContext } from './rrsig';
import { canonicalName } from '../wire/name';
import { parseZoneText } from '../wire/present';
import { RRType, type DNSKEYData, type Name, type RR, type RRSIGData } from '../wire/types';

/** Inside the fixtures' window (inception 2020-01-01, expiration 2040-01-01). */
const NOW = Date.UTC(2025, 0, 1) / 1000;
const EXPIRATION = Date.UTC(2040, 0, 1) / 1000;
const INCEPTION = Date.UTC(2020, 0, 1) / 1000;
const ALGS = [5, 7, 8, 10, 13, 14, 15, 16] as const;

const ctx = (now = NOW, cryptoOps: number = LIMITS.maxCryptoOpsPerVerdict): VerifyContext => ({ now, budget: { cryptoOps } });

interface Zone {
  origin: Name;
  keys: RR<DNSKEYData>[];
  sets: Map<string, RR[]>;
  sigs: Map<string, RR<RRSIGData>[]>;
}

function loadZone(alg: number): Zone {
  const text = readFileSync(new URL(`./fixtures/alg${alg}.zone`, import.meta.url), 'utf8');
  const parsed = parseZoneText(text);
  expect(parsed.errors).toEqual([]);
  const sets = new Map<string, RR[]>();
  const sigs = new Map<string, RR<RRSIGData>[]>();
  for (const r of parsed.records) {
    if (r.type === RRType.RRSIG) {
      const s = r as RR<RRSIGData>;
      const k = `${canonicalName(r.name)}/${s.data.typeCovered}`;
      sigs.set(k, [...(sigs.get(k) ?? []), s]);
    } else {
      const k = `${canonicalName(r.name)}/${r.type}`;
      sets.set(k, [...(sets.get(k) ?? []), r]);
    }
  }
  const origin = `alg${alg}.example.`;
  return { origin, keys: sets.get(`${origin}/${RRType.DNSKEY}`) as RR<DNSKEYData>[], sets, sigs };
}

const zones = new Map(ALGS.map((alg) => [alg, loadZone(alg)]));
const z13 = zones.get(13)!;
const setOf = (z: Zone, owner: Name, type: number) => z.sets.get(`${owner}/${type}`)!;
const sigsOf = (z: Zone, owner: Name, type: number) => z.sigs.get(`${owner}/${type}`)!;
const withSig = (s: RR<RRSIGData>, d: Partial<RRSIGData>, name = s.name): RR<RRSIGData> => ({ ...s, name, data: { ...s.data, ...d } });

// --- test-side signer (P-256) for rules BIND will not produce -------------------------------------

async function p256(flags: number, zone: Name, protocol = 3) {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const key = dnskey(zone, flags, 13, raw.subarray(1), 3600, protocol);
  const sign = async (set: RR[], f: Partial<SigFields> = {}, owner = set[0].name): Promise<RR<RRSIGData>> => {
    const fields: SigFields = {
      typeCovered: set[0].type,
      algorithm: 13,
      labels: f.labels ?? zoneLabels(set[0].name),
      originalTtl: 3600,
      expiration: EXPIRATION,
      inception: INCEPTION,
      keyTag: keyTag(key.rdata),
      signerName: zone,
      signature: new Uint8Array(64),
      ...f,
    };
    const unsigned = rrsig(owner, fields);
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, signedData(unsigned, set) as Uint8Array<ArrayBuffer>));
    return rrsig(owner, { ...fields, signature: sig });
  };
  return { key, sign };
}

function zoneLabels(name: Name): number {
  const l = name.split('.').filter((x) => x !== '');
  return l[0] === '*' ? l.length - 1 : l.length;
}

/** A random Ed25519-sized public key whose DNSKEY has key tag `tag` (flags 257, algorithm `alg`). */
function collidingKey(zone: Name, alg: number, tag: number, size: number): RR<DNSKEYData> {
  // The tag is a folded sum of 16-bit words: sweeping the last word hits (almost) every tag.
  for (let attempt = 0; attempt < 8; attempt++) {
    const pk = crypto.getRandomValues(new Uint8Array(size));
    for (let v = 0; v < 0x10000; v++) {
      pk[size - 2] = v >> 8;
      pk[size - 1] = v & 0xff;
      const k = dnskey(zone, 257, alg, pk.slice());
      if (keyTag(k.rdata) === tag) return k;
    }
  }
  throw new Error('no collision');
}

// --- BIND-signed zones ------------------------------------------------------------------------------

describe('verifyRRset on zones signed by BIND dnssec-signzone', () => {
  for (const alg of ALGS) {
    it(`algorithm ${alg}: every RRset verifies`, async () => {
      const z = zones.get(alg)!;
      let n = 0;
      for (const [k, set] of z.sets) {
        const c = ctx();
        const v = await verifyRRset(set, z.sigs.get(k) ?? [], z.keys, z.origin, c);
        expect(v, k).toMatchObject({ ok: true, algorithm: alg, wildcard: null, expiration: EXPIRATION });
        if (!v.ok) continue;
        expect(v.ttl).toBe(Math.min(...set.map((r) => r.ttl), v.sig.ttl, v.sig.data.originalTtl));
        expect(LIMITS.maxCryptoOpsPerVerdict - c.budget.cryptoOps).toBeGreaterThanOrEqual(1);
        n++;
      }
      expect(n).toBeGreaterThanOrEqual(10);
    });
  }

  it('owner case does not matter (RFC 4034 §6.2); embedded MX name case is canonicalised', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A).map((r) => ({ ...r, name: 'WWW.Alg13.EXAMPLE.' }));
    expect((await verifyRRset(set, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, 'ALG13.example.', ctx())).ok).toBe(true);
    const mxSet = setOf(z13, 'alg13.example.', RRType.MX);
    expect(mxSet[0].data).toMatchObject({ exchange: 'Mail.alg13.example.' });
    expect((await verifyRRset(mxSet, sigsOf(z13, 'alg13.example.', RRType.MX), z13.keys, z13.origin, ctx())).ok).toBe(true);
  });

  it('RRs in any order, duplicates ignored (RFC 4034 §6.3)', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const shuffled = [set[1], set[0], set[1]];
    expect((await verifyRRset(shuffled, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, z13.origin, ctx())).ok).toBe(true);
  });

  it('tampered RDATA → signature-invalid naming zone, key tag, algorithm', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const bad = [set[0], a('www.alg13.example.', '192.0.2.12')];
    const v = await verifyRRset(bad, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, z13.origin, ctx());
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const sig = sigsOf(z13, 'www.alg13.example.', RRType.A)[0];
    expect(v.unsupported).toBe(false);
    expect(v.reason).toMatchObject({ code: 'signature-invalid', zone: z13.origin, keyTag: sig.data.keyTag, algorithm: 13, type: RRType.A });
    expect(v.reason.message).toContain(String(sig.data.keyTag));
    expect(v.reason.rule).toMatch(/^RFC /);
  });

  it('tampered TTL is not tampering (Original TTL is signed), but caps the result TTL (RFC 4035 §5.3.3)', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A).map((r) => ({ ...r, ttl: 86400 }));
    const v = await verifyRRset(set, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, z13.origin, ctx());
    expect(v).toMatchObject({ ok: true, ttl: 3600 });
    const short = set.map((r) => ({ ...r, ttl: 60 }));
    expect(await verifyRRset(short, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, z13.origin, ctx())).toMatchObject({ ok: true, ttl: 60 });
    const sigTtl = sigsOf(z13, 'www.alg13.example.', RRType.A).map((s) => ({ ...s, ttl: 10 }));
    expect(await verifyRRset(set, sigTtl, z13.keys, z13.origin, ctx())).toMatchObject({ ok: true, ttl: 10 });
    const nearEnd = await verifyRRset(set, sigsOf(z13, 'www.alg13.example.', RRType.A), z13.keys, z13.origin, ctx(EXPIRATION - 100));
    expect(nearEnd).toMatchObject({ ok: true, ttl: 100, expiration: EXPIRATION });
  });

  it('wrong signer / zone → signer-mismatch (RFC 4035 §5.3.1)', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A);
    // Verifying against the parent zone: signer alg13.example. is not the zone example.
    const parent = await verifyRRset(set, sigs, z13.keys, 'example.', ctx());
    expect(parent).toMatchObject({ ok: false, reason: { code: 'signer-mismatch', zone: 'example.' } });
    // Owner outside the zone.
    const outside = await verifyRRset(set, sigs, z13.keys, 'other.example.', ctx());
    expect(outside).toMatchObject({ ok: false, reason: { code: 'signer-mismatch' } });
    // Signer's Name rewritten: not the zone.
    const c = ctx();
    const rewritten = await verifyRRset(set, sigs.map((s) => withSig(s, { signerName: 'www.alg13.example.' })), z13.keys, z13.origin, c);
    expect(rewritten).toMatchObject({ ok: false, reason: { code: 'signer-mismatch' } });
    expect(c.budget.cryptoOps).toBe(LIMITS.maxCryptoOpsPerVerdict);
  });

  it('validity window: expired / not yet valid (RFC 4035 §5.3.1, RFC 4034 §3.1.5)', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A);
    const late = ctx(EXPIRATION + 1);
    expect(await verifyRRset(set, sigs, z13.keys, z13.origin, late)).toMatchObject({ ok: false, unsupported: false, reason: { code: 'signature-expired' } });
    expect(late.budget.cryptoOps).toBe(LIMITS.maxCryptoOpsPerVerdict); // no crypto spent
    expect(await verifyRRset(set, sigs, z13.keys, z13.origin, ctx(INCEPTION - 1))).toMatchObject({
      ok: false,
      reason: { code: 'signature-not-yet-valid' },
    });
    // The edges are inclusive.
    expect((await verifyRRset(set, sigs, z13.keys, z13.origin, ctx(EXPIRATION))).ok).toBe(true);
    expect((await verifyRRset(set, sigs, z13.keys, z13.origin, ctx(INCEPTION))).ok).toBe(true);
  });

  it('a valid signature wins over an expired one; an invalid one outranks an expired one in the reason', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const [good] = sigsOf(z13, 'www.alg13.example.', RRType.A);
    const expired = withSig(good, { expiration: INCEPTION + 1 });
    expect((await verifyRRset(set, [expired, good], z13.keys, z13.origin, ctx())).ok).toBe(true);
    const forged = withSig(good, { signature: new Uint8Array(64).fill(1) });
    const v = await verifyRRset(set, [expired, forged], z13.keys, z13.origin, ctx());
    expect(v).toMatchObject({ ok: false, reason: { code: 'signature-invalid' } });
  });

  it('Labels field larger than the owner labels → labels-invalid, no crypto (RFC 4035 §5.3.1)', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A).map((s) => withSig(s, { labels: 4 }));
    const c = ctx();
    expect(await verifyRRset(set, sigs, z13.keys, z13.origin, c)).toMatchObject({ ok: false, reason: { code: 'labels-invalid' } });
    expect(c.budget.cryptoOps).toBe(LIMITS.maxCryptoOpsPerVerdict);
  });

  it('wildcard expansion: x.w and a.b.w synthesized from *.w (RFC 4035 §5.3.2, §5.3.4)', async () => {
    for (const type of [RRType.A, RRType.TXT]) {
      const src = setOf(z13, '*.w.alg13.example.', type);
      const srcSigs = sigsOf(z13, '*.w.alg13.example.', type);
      // The wildcard itself, asked for literally: not an expansion.
      expect(await verifyRRset(src, srcSigs, z13.keys, z13.origin, ctx())).toMatchObject({ ok: true, wildcard: null });
      for (const owner of ['x.w.alg13.example.', 'a.B.w.alg13.example.']) {
        const set = src.map((r) => ({ ...r, name: owner }));
        const sigs = srcSigs.map((s) => ({ ...s, name: owner }));
        expect(sigs[0].data.labels).toBe(3);
        const v = await verifyRRset(set, sigs, z13.keys, z13.origin, ctx());
        expect(v).toMatchObject({ ok: true, wildcard: '*.w.alg13.example.' });
      }
    }
    // Synthesized from the wrong wildcard: a Labels value that names *.alg13.example. fails.
    const src = setOf(z13, '*.w.alg13.example.', RRType.A).map((r) => ({ ...r, name: 'x.w.alg13.example.' }));
    const sigs = sigsOf(z13, '*.w.alg13.example.', RRType.A).map((s) => withSig(s, { labels: 2 }, 'x.w.alg13.example.'));
    expect(await verifyRRset(src, sigs, z13.keys, z13.origin, ctx())).toMatchObject({ ok: false, reason: { code: 'signature-invalid' } });
  });

  it('DNSKEY RRset: any of the three signatures; the revoked key may sign it (RFC 5011 §2.1)', async () => {
    const set = setOf(z13, z13.origin, RRType.DNSKEY);
    const sigs = sigsOf(z13, z13.origin, RRType.DNSKEY);
    expect(sigs).toHaveLength(3);
    const revoked = z13.keys.find((k) => k.data.flags & 0x80)!;
    const revokedTag = keyTag(revoked.rdata);
    const v = await verifyRRset(set, sigs.filter((s) => s.data.keyTag === revokedTag), [revoked], z13.origin, ctx());
    expect(v).toMatchObject({ ok: true, keyTag: revokedTag });
    // First valid signature wins, in input order.
    const first = await verifyRRset(set, sigs, z13.keys, z13.origin, ctx());
    expect(first).toMatchObject({ ok: true, keyTag: sigs[0].data.keyTag });
  });

  it('missing RRSIG: none at all, or only for another type, owner or class', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const aaaaSigs = sigsOf(z13, 'www.alg13.example.', RRType.AAAA);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A);
    for (const s of [[], aaaaSigs, sigs.map((x) => ({ ...x, name: 'ns1.alg13.example.' })), sigs.map((x) => ({ ...x, class: 3 }))]) {
      expect(await verifyRRset(set, s, z13.keys, z13.origin, ctx())).toMatchObject({
        ok: false,
        unsupported: false,
        reason: { code: 'missing-rrsig', name: 'www.alg13.example.', type: RRType.A },
      });
    }
  });

  it('records that are not one RRset are rejected', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A);
    for (const bad of [[...set, a('ns1.alg13.example.', '192.0.2.1')], [...set, { ...set[0], class: 3 }], []]) {
      expect(await verifyRRset(bad, sigs, z13.keys, z13.origin, ctx())).toMatchObject({ ok: false, reason: { code: 'malformed-answer' } });
    }
  });

  it('no key with that tag → no-matching-key', async () => {
    const set = setOf(z13, 'www.alg13.example.', RRType.A);
    const sigs = sigsOf(z13, 'www.alg13.example.', RRType.A);
    const others = z13.keys.filter((k) => keyTag(k.rdata) !== sigs[0].data.keyTag);
    expect(await verifyRRset(set, sigs, others, z13.origin, ctx())).toMatchObject({ ok: false, reason: { code: 'no-matching-key' } });
    // Same key under another owner name does not count.
    const moved = z13.keys.map((k) => ({ ...k, name: 'example.' }));
    expect(await verifyRRset(set, sigs, moved, z13.origin, ctx())).toMatchObject({ ok: false, reason: { code: 'no-matching-key' } });
  });
});

// --- rules exercised with keys made in the test ---------------------------------------------------

describe('verifyRRset key rules (RFC 4034 §2.1.1, §2.1.2, RFC 5011 §2.1)', () => {
  const zone = 't.example.';
  const set = [a('www.t.example.', '192.0.2.1')];

  it('round trip with a zone key', async () => {
    const k = await p256(256, zone);
    expect(await verifyRRset(set, [await k.sign(set)], [k.key], zone, ctx())).toMatchObject({ ok: true, keyTag: keyTag(k.key.rdata) });
  });

  it('Zone Key flag clear → no-matching-key', async () => {
    const k = await p256(0x0001, zone);
    const v = await verifyRRset(set, [await k.sign(set)], [k.key], zone, ctx());
    expect(v).toMatchObject({ ok: false, reason: { code: 'no-matching-key' } });
    if (!v.ok) expect(v.reason.message).toContain('Zone Key');
  });

  it('protocol ≠ 3 → no-matching-key', async () => {
    const k = await p256(256, zone, 2);
    const v = await verifyRRset(set, [await k.sign(set)], [k.key], zone, ctx());
    expect(v).toMatchObject({ ok: false, reason: { code: 'no-matching-key' } });
    if (!v.ok) expect(v.reason.message).toContain('protocol');
  });

  it('revoked key signs only the DNSKEY RRset', async () => {
    const k = await p256(257 | 0x80, zone);
    const v = await verifyRRset(set, [await k.sign(set)], [k.key], zone, ctx());
    expect(v).toMatchObject({ ok: false, reason: { code: 'no-matching-key' } });
    if (!v.ok) expect(v.reason.message).toContain('revoked');
    const keys = [k.key];
    expect((await verifyRRset(keys, [await k.sign(keys)], keys, zone, ctx())).ok).toBe(true);
  });

  it('serial number arithmetic across the 2106 wrap (RFC 1982)', async () => {
    const k = await p256(256, zone);
    const now = 2 ** 32 + 1000; // 2106-02-07
    const sig = await k.sign(set, { inception: 2 ** 32 - 1000, expiration: 5000 });
    expect(await verifyRRset(set, [sig], [k.key], zone, ctx(now))).toMatchObject({ ok: true, expiration: 2 ** 32 + 5000, ttl: 3600 });
    expect(await verifyRRset(set, [sig], [k.key], zone, ctx(2 ** 32 + 6000))).toMatchObject({ ok: false, reason: { code: 'signature-expired' } });
  });

  it('unsupported algorithms only → unsupported (insecure), unless a supported zone key exists', async () => {
    const k = await p256(256, zone);
    const good = await k.sign(set);
    const alien = withSig(good, { algorithm: 253 });
    const alienKey = dnskey(zone, 256, 253, new Uint8Array(32).fill(9));
    const alienSig = withSig(good, { algorithm: 253, keyTag: keyTag(alienKey.rdata) });
    expect(await verifyRRset(set, [alienSig], [alienKey], zone, ctx())).toMatchObject({
      ok: false,
      unsupported: true,
      reason: { code: 'unsupported-algorithm', algorithm: 253 },
    });
    // Stripping attack: the zone has a supported key but only the unsupported signature arrives.
    expect(await verifyRRset(set, [alien], [k.key, alienKey], zone, ctx())).toMatchObject({ ok: false, unsupported: false });
    // Supported signatures are preferred whatever the order.
    expect(await verifyRRset(set, [alienSig, alien, good], [alienKey, k.key], zone, ctx())).toMatchObject({ ok: true, algorithm: 13 });
  });
});

// --- KeyTrap (CVE-2023-50387) ---------------------------------------------------------------------

describe('verifyRRset bounds with colliding key tags', () => {
  const z = zones.get(15)!;
  const owner = 'www.alg15.example.';
  const set = setOf(z, owner, RRType.A);
  const [sig] = sigsOf(z, owner, RRType.A);
  const real = z.keys.find((k) => keyTag(k.rdata) === sig.data.keyTag)!;
  const colliding = Array.from({ length: 20 }, () => collidingKey(z.origin, 15, sig.data.keyTag, 32));

  it('20 keys share the tag: at most maxKeysPerSignature attempts, then limit-exceeded', async () => {
    const c = ctx();
    const v = await verifyRRset(set, [sig], [...colliding, real], z.origin, c);
    expect(v).toMatchObject({ ok: false, reason: { code: 'limit-exceeded', keyTag: sig.data.keyTag } });
    expect(LIMITS.maxCryptoOpsPerVerdict - c.budget.cryptoOps).toBe(LIMITS.maxKeysPerSignature);
  });

  it('real key among the first candidates still verifies', async () => {
    const c = ctx();
    expect((await verifyRRset(set, [sig], [colliding[0], real, ...colliding.slice(1)], z.origin, c)).ok).toBe(true);
    expect(LIMITS.maxCryptoOpsPerVerdict - c.budget.cryptoOps).toBe(2);
  });

  it('many signatures × colliding keys: at most maxSignaturesPerRRset × maxKeysPerSignature operations', async () => {
    const forged = Array.from({ length: 30 }, (_, i) => withSig(sig, { signature: new Uint8Array(64).fill(i + 1) }));
    const c = ctx();
    const v = await verifyRRset(set, forged, colliding, z.origin, c);
    expect(v).toMatchObject({ ok: false, reason: { code: 'limit-exceeded' } });
    const used = LIMITS.maxCryptoOpsPerVerdict - c.budget.cryptoOps;
    expect(used).toBe(LIMITS.maxSignaturesPerRRset * LIMITS.maxKeysPerSignature);
    expect(used).toBeLessThanOrEqual(LIMITS.maxCryptoOpsPerVerdict);
  });

  it('the verdict budget stops verification when it reaches 0', async () => {
    const forged = Array.from({ length: 30 }, (_, i) => withSig(sig, { signature: new Uint8Array(64).fill(i + 1) }));
    const c = ctx(NOW, 10);
    const v = await verifyRRset(set, forged, colliding, z.origin, c);
    expect(v).toMatchObject({ ok: false, reason: { code: 'limit-exceeded' } });
    expect(c.budget.cryptoOps).toBe(0);
    // A spent budget refuses even a valid signature.
    expect(await verifyRRset(set, [sig], [real], z.origin, c)).toMatchObject({ ok: false, reason: { code: 'limit-exceeded' } });
    expect(c.budget.cryptoOps).toBe(0);
  });

  it('many forged signatures with one real key: bounded, bogus', async () => {
    const forged = Array.from({ length: 30 }, (_, i) => withSig(sig, { signature: new Uint8Array(64).fill(i + 1) }));
    const c = ctx();
    const v = await verifyRRset(set, [...forged, sig], [real], z.origin, c);
    expect(v.ok).toBe(false);
    expect(LIMITS.maxCryptoOpsPerVerdict - c.budget.cryptoOps).toBe(LIMITS.maxSignaturesPerRRset);
  });
});

