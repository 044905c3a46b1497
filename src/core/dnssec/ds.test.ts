import { describe, expect, it } from 'vitest';
import { computeDsDigest, DigestType, dsMatchesKey, selectDsDigestTypes, supportedDigestType } from './ds';
import { keyTag } from './keytag';
import { dnskey, ds, hex, RFC4034_DSKEY, ROOT_KSKS, SIG_VECTORS } from './fixtures/vectors';
import { toHex } from '../util/encoding';
import type { DSData } from '../wire/types';

const dskey = () => dnskey(RFC4034_DSKEY.owner, RFC4034_DSKEY.flags, RFC4034_DSKEY.algorithm, RFC4034_DSKEY.key);

describe('computeDsDigest (RFC 4034 §5.1.4)', () => {
  it('RFC 4034 §5.4 SHA-1 DS of dskey.example.com.', async () => {
    const d = await computeDsDigest(RFC4034_DSKEY.owner, dskey().rdata, 1);
    expect(toHex(d!)).toBe(RFC4034_DSKEY.sha1.toLowerCase());
  });

  it('RFC 4509 §2.3 SHA-256 DS of dskey.example.com.', async () => {
    const d = await computeDsDigest(RFC4034_DSKEY.owner, dskey().rdata, 2);
    expect(toHex(d!)).toBe(RFC4034_DSKEY.sha256.toLowerCase());
  });

  it('owner name is canonicalised (case does not change the digest)', async () => {
    const d = await computeDsDigest('DSKEY.Example.COM.', dskey().rdata, 1);
    expect(toHex(d!)).toBe(RFC4034_DSKEY.sha1.toLowerCase());
  });

  it.each(ROOT_KSKS.map((k) => [k.label, k] as const))('root %s SHA-256 DS', async (_l, k) => {
    const d = await computeDsDigest('.', dnskey('.', 257, 8, k.key).rdata, 2);
    expect(toHex(d!)).toBe(k.sha256.toLowerCase());
  });

  it.each(SIG_VECTORS.filter((v) => v.ds).map((v) => [v.name, v] as const))('%s DS', async (_n, v) => {
    const d = await computeDsDigest(v.zone, dnskey(v.zone, v.key.flags, v.key.algorithm, v.key.key).rdata, v.ds!.digestType);
    expect(toHex(d!)).toBe(v.ds!.digest.toLowerCase());
  });

  it('unsupported digest types give null (GOST 3, unassigned 0/5/255)', async () => {
    for (const t of [0, 3, 5, 255]) expect(await computeDsDigest('.', dskey().rdata, t)).toBeNull();
    expect([1, 2, 3, 4, 5].map(supportedDigestType)).toEqual([true, true, false, true, false]);
  });
});

describe('dsMatchesKey (RFC 4035 §5.2)', () => {
  const owner = RFC4034_DSKEY.owner;
  const sha1 = ds(60485, 5, 1, RFC4034_DSKEY.sha1);
  const sha256 = ds(60485, 5, 2, RFC4034_DSKEY.sha256);

  it('matches the published DS records', async () => {
    expect(await dsMatchesKey(sha1, owner, dskey())).toBe(true);
    expect(await dsMatchesKey(sha256, owner, dskey())).toBe(true);
    for (const k of ROOT_KSKS) expect(await dsMatchesKey(ds(k.keyTag, 8, 2, k.sha256), '.', dnskey('.', 257, 8, k.key))).toBe(true);
  });

  it('rejects a wrong key tag, algorithm, digest or owner', async () => {
    expect(await dsMatchesKey({ ...sha256, keyTag: 60486 }, owner, dskey())).toBe(false);
    expect(await dsMatchesKey({ ...sha256, algorithm: 8 }, owner, dskey())).toBe(false);
    const bad = sha256.digest.slice();
    bad[31] ^= 1;
    expect(await dsMatchesKey({ ...sha256, digest: bad }, owner, dskey())).toBe(false);
    expect(await dsMatchesKey({ ...sha256, digest: sha256.digest.subarray(0, 20) }, owner, dskey())).toBe(false);
    expect(await dsMatchesKey(sha256, 'other.example.com.', dnskey('other.example.com.', 256, 5, RFC4034_DSKEY.key))).toBe(false);
    // Owner passed separately from the key's owner: must agree.
    expect(await dsMatchesKey(sha256, owner, dnskey('other.example.com.', 256, 5, RFC4034_DSKEY.key))).toBe(false);
    // Owner case does not matter.
    expect(await dsMatchesKey(sha256, 'DSKEY.EXAMPLE.COM.', dskey())).toBe(true);
  });

  it('rejects non-zone keys, protocol ≠ 3 and revoked keys (RFC 4034 §5.2, §2.1.2; RFC 5011 §2.1)', async () => {
    const k = dnskey(owner, 0, 5, RFC4034_DSKEY.key); // zone bit clear
    const d1 = await computeDsDigest(owner, k.rdata, 2);
    expect(await dsMatchesKey(ds(keyTag(k.rdata), 5, 2, toHex(d1!)), owner, k)).toBe(false);
    const p = dnskey(owner, 256, 5, RFC4034_DSKEY.key, 3600, 4);
    const d2 = await computeDsDigest(owner, p.rdata, 2);
    expect(await dsMatchesKey(ds(keyTag(p.rdata), 5, 2, toHex(d2!)), owner, p)).toBe(false);
    const r = dnskey(owner, 257 | 0x80, 5, RFC4034_DSKEY.key);
    const d3 = await computeDsDigest(owner, r.rdata, 2);
    expect(await dsMatchesKey(ds(keyTag(r.rdata), 5, 2, toHex(d3!)), owner, r)).toBe(false);
  });

  it('unsupported digest type never matches', async () => {
    expect(await dsMatchesKey({ ...sha1, digestType: 3, digest: hex('00'.repeat(32)) }, owner, dskey())).toBe(false);
  });
});

describe('selectDsDigestTypes (RFC 4509 §3, RFC 6840 §5.2)', () => {
  const s1 = ds(60485, 5, DigestType.SHA1, RFC4034_DSKEY.sha1);
  const s2 = ds(60485, 5, DigestType.SHA256, RFC4034_DSKEY.sha256);
  const gost = ds(60485, 5, DigestType.GOST, '00'.repeat(32));
  const other1 = ds(1234, 8, DigestType.SHA1, '11'.repeat(20));
  const s4 = ds(1234, 8, DigestType.SHA384, '22'.repeat(48));

  it('drops SHA-1 when the same key has SHA-256 (downgrade guard)', () => {
    expect(selectDsDigestTypes([s1, s2])).toEqual([s2]);
    expect(selectDsDigestTypes([s2, s1])).toEqual([s2]);
  });

  it('drops SHA-1 when the same key has SHA-384', () => {
    expect(selectDsDigestTypes([other1, s4])).toEqual([s4]);
  });

  it('keeps SHA-1 of a key that has no stronger digest', () => {
    expect(selectDsDigestTypes([s2, other1])).toEqual([s2, other1]);
    expect(selectDsDigestTypes([s1])).toEqual([s1]);
  });

  it('ignores unsupported digests; an all-unsupported set gives [] (zone insecure, RFC 6840 §5.2)', () => {
    expect(selectDsDigestTypes([gost, s1])).toEqual([s1]);
    expect(selectDsDigestTypes([gost, ds(1, 8, 99, '00')])).toEqual([]);
    // GOST does not count as "stronger": the SHA-1 stays.
    expect(selectDsDigestTypes([gost, s1]).map((d: DSData) => d.digestType)).toEqual([1]);
  });

  it('works on DS RRs as well as DS data', () => {
    const rrs = [s1, s2].map((d) => ({ name: 'x.', type: 43, class: 1, ttl: 1, rdata: new Uint8Array(0), data: d }));
    expect(selectDsDigestTypes(rrs)).toEqual([rrs[1]]);
  });

  it('caps the result at LIMITS.maxDsPerZone', () => {
    const many = Array.from({ length: 40 }, (_, i) => ds(i, 8, 2, '00'.repeat(32)));
    expect(selectDsDigestTypes(many)).toHaveLength(16);
  });
});
