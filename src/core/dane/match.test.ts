import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random';
import type { TLSAData } from '../wire/types';
import {
  generateTlsa,
  matchTlsa as matchPeer,
  peerChainsFromOne,
  tlsaToShortString,
  tlsaToString,
  type DaneMatch,
  type PeerChains,
  type PkixVerdict,
} from './match';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
type Fx =
  | 'root'
  | 'int'
  | 'leaf-ec'
  | 'leaf-rsa'
  | 'leaf-ed25519'
  | 'leaf-wildcard'
  | 'leaf-expired'
  | 'leaf-other-name'
  | 'leaf-selfsigned'
  | 'unrelated-ca'
  // make-chain-fixtures.sh (issue #20)
  | 'dns-root'
  | 'dns-int'
  | 'leaf-dns'
  | 'cross-root'
  | 'cross-old-root'
  | 'cross-root-by-old'
  | 'cross-int'
  | 'leaf-cross'
  // make-cn-fixtures.sh (RFC 7672 §3.2.3)
  | 'cn-root'
  | 'leaf-cn-only'
  | 'leaf-cn-other-san';
const cache = new Map<Fx, Uint8Array>();
/** DER of a PEM fixture (RFC 7468). */
function der(n: Fx): Uint8Array {
  let d = cache.get(n);
  if (!d) {
    const b64 = readFileSync(join(DIR, `${n}.pem`), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    d = new Uint8Array(Buffer.from(b64, 'base64'));
    cache.set(n, d);
  }
  return d;
}
/** One chain standing for both (as sent and, when PKIX is valid, as validated): the older tests. */
interface PresentedChain {
  certs: Uint8Array[];
}
function matchTlsa(records: TLSAData[], c: PresentedChain, o: { host: string; pkix: PkixVerdict; now?: Date }): Promise<DaneMatch> {
  return matchPeer(records, peerChainsFromOne(c?.certs, o?.pkix), o);
}
const chain = (...names: (Fx | Uint8Array)[]): PresentedChain => ({ certs: names.map((n) => (typeof n === 'string' ? der(n) : n)) });
const tlsa = (n: Fx, u: number, s: number, m: number) => generateTlsa(der(n), u, s, m);
const HOST = 'www.dane.test';
const rec = (usage: number, selector: number, matchingType: number, data: Uint8Array): TLSAData => ({
  kind: 'TLSA',
  usage,
  selector,
  matchingType,
  data,
});

function expectMatch(m: DaneMatch, certIndex: number, recordIndex = 0): asserts m is Extract<DaneMatch, { state: 'match' }> {
  expect(m, JSON.stringify(m)).toMatchObject({ state: 'match', certIndex, recordIndex });
}
function expectMismatch(m: DaneMatch, reason?: RegExp): asserts m is Extract<DaneMatch, { state: 'mismatch' }> {
  expect(m.state, JSON.stringify(m)).toBe('mismatch');
  if (reason && m.state === 'mismatch') expect(m.reason).toMatch(reason);
}

describe('usage × selector × matching type (leaf-ec, int, root; PKIX valid)', () => {
  const cases: [number, number, number][] = [];
  for (const u of [0, 1, 2, 3]) for (const s of [0, 1]) for (const m of [0, 1, 2]) cases.push([u, s, m]);
  it.each(cases)('%i %i %i matches', async (u, s, m) => {
    // EE usages describe the leaf, TA usages the intermediate (index 1).
    const r = await tlsa(u === 1 || u === 3 ? 'leaf-ec' : 'int', u, s, m);
    const res = await matchTlsa([r], chain('leaf-ec', 'int', 'root'), { host: HOST, pkix: 'valid' });
    expectMatch(res, u === 1 || u === 3 ? 0 : 1);
    expect(res.usage).toBe(u);
    expect(res.record).toBe(r);
    expect(res.pkixUnverified).toBeUndefined();
  });

  it.each(cases)('%i %i %i does not match a different key', async (u, s, m) => {
    const r = await tlsa(u === 1 || u === 3 ? 'leaf-rsa' : 'unrelated-ca', u, s, m);
    const res = await matchTlsa([r], chain('leaf-ec', 'int', 'root'), { host: HOST, pkix: 'valid' });
    expectMismatch(res);
  });
});

describe('digest algorithm agility (RFC 7671 §9), as OpenSSL and Postfix', () => {
  const opts = { host: HOST, pkix: 'valid' } as const;
  const c = chain('leaf-ec', 'int', 'root');
  it('a matching SHA2-256 record beside a SHA2-512 one of the same usage and selector that does not match: mismatch, saying why', async () => {
    const m = await matchTlsa([await tlsa('leaf-ec', 3, 1, 1), await tlsa('leaf-rsa', 3, 1, 2)], c, opts);
    expectMismatch(m, /not used, as a SHA2-512 record with the same usage and selector is published \(digest algorithm agility, RFC 7671 §9\): 3 1 1 /);
  });
  it('the SHA2-512 record matching: match; a weaker record of another usage or selector still counts; Full(0) always counts', async () => {
    expectMatch(await matchTlsa([await tlsa('leaf-rsa', 3, 1, 1), await tlsa('leaf-ec', 3, 1, 2)], c, opts), 0, 1);
    expectMatch(await matchTlsa([await tlsa('leaf-ec', 3, 0, 1), await tlsa('leaf-rsa', 3, 1, 2)], c, opts), 0, 0);
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 1), await tlsa('leaf-rsa', 3, 1, 2)], c, opts), 1, 0);
    expectMatch(await matchTlsa([await tlsa('leaf-ec', 3, 1, 0), await tlsa('leaf-rsa', 3, 1, 2)], c, opts), 0, 0);
  });
});

describe('key types', () => {
  it.each(['leaf-ec', 'leaf-rsa', 'leaf-ed25519'] as const)('%s: DANE-EE, DANE-TA (int and root), PKIX-EE', async (leaf) => {
    const opts = { host: HOST, pkix: 'valid' } as const;
    const c = chain(leaf, 'int', 'root');
    expectMatch(await matchTlsa([await tlsa(leaf, 3, 1, 1)], c, opts), 0);
    expectMatch(await matchTlsa([await tlsa(leaf, 3, 0, 2)], c, opts), 0);
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 1)], c, opts), 1);
    expectMatch(await matchTlsa([await tlsa('root', 2, 0, 1)], c, opts), 2);
    expectMatch(await matchTlsa([await tlsa(leaf, 1, 1, 2)], c, opts), 0);
  });

  it('SHA-512 of the SPKI and of the full certificate', async () => {
    const r1 = await tlsa('leaf-ed25519', 3, 1, 2);
    const r2 = await tlsa('root', 2, 0, 2);
    expect(r1.data.length).toBe(64);
    expectMatch(await matchTlsa([r1], chain('leaf-ed25519'), { host: HOST, pkix: 'unknown' }), 0);
    expectMatch(await matchTlsa([r2], chain('leaf-ed25519', 'int', 'root'), { host: HOST, pkix: 'unknown' }), 2);
  });
});

describe('chain order oddities (DANE-TA)', () => {
  const opts = { host: HOST, pkix: 'unknown' } as const;
  it('intermediate sent twice', async () => {
    expectMatch(await matchTlsa([await tlsa('root', 2, 0, 1)], chain('leaf-ec', 'int', 'int', 'root'), opts), 3);
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 1)], chain('leaf-ec', 'int', 'int'), opts), 1);
  });
  it('extra unrelated certificate', async () => {
    expectMatch(await matchTlsa([await tlsa('root', 2, 1, 1)], chain('leaf-ec', 'unrelated-ca', 'int', 'root'), opts), 3);
    expectMatch(await matchTlsa([await tlsa('int', 2, 0, 1)], chain('leaf-ec', 'int', 'unrelated-ca'), opts), 1);
  });
  it('out of order', async () => {
    expectMatch(await matchTlsa([await tlsa('root', 2, 0, 1)], chain('leaf-ec', 'root', 'int'), opts), 1);
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 2)], chain('leaf-rsa', 'root', 'unrelated-ca', 'int'), opts), 3);
  });
  it('a TA that is sent but not an issuer of the leaf does not match', async () => {
    const m = await matchTlsa([await tlsa('unrelated-ca', 2, 0, 1)], chain('leaf-ec', 'int', 'unrelated-ca'), opts);
    expectMismatch(m, /does not chain/);
  });
  it('a root without the intermediate in between does not match', async () => {
    expectMismatch(await matchTlsa([await tlsa('root', 2, 0, 1)], chain('leaf-ec', 'root'), opts), /does not chain/);
  });
  it('DANE-TA never matches the leaf itself', async () => {
    expectMismatch(await matchTlsa([await tlsa('leaf-ec', 2, 1, 1)], chain('leaf-ec', 'int'), opts));
    expectMismatch(await matchTlsa([await tlsa('leaf-selfsigned', 2, 0, 1)], chain('leaf-selfsigned'), opts));
  });
  it('a tampered leaf signature breaks DANE-TA but not DANE-EE with selector 1', async () => {
    const bad = der('leaf-rsa').slice();
    bad[bad.length - 1] ^= 0x01; // last byte of the RSA signature value
    const c = chain(bad, 'int', 'root');
    expectMismatch(await matchTlsa([await tlsa('int', 2, 0, 1)], c, opts), /does not chain/);
    expectMatch(await matchTlsa([await tlsa('leaf-rsa', 3, 1, 1)], c, opts), 0);
    expectMismatch(await matchTlsa([await tlsa('leaf-rsa', 3, 0, 1)], c, opts)); // the DER differs
  });
});

describe('trust anchor not sent by the server (RFC 7671 §5.2.3)', () => {
  const opts = { host: HOST, pkix: 'unknown' } as const;
  it('2 1 0 with the root key, chain leaf + int', async () => {
    const m = await matchTlsa([await tlsa('root', 2, 1, 0)], chain('leaf-ec', 'int'), opts);
    expectMatch(m, 1);
    expect(m.taNotInChain).toBe(true);
    expect(m.usage).toBe(2);
  });
  it('2 1 0 with the intermediate key, only the leaf sent', async () => {
    const m = await matchTlsa([await tlsa('int', 2, 1, 0)], chain('leaf-ed25519'), opts);
    expectMatch(m, 0);
    expect(m.taNotInChain).toBe(true);
  });
  it('a digest of an unsent TA cannot match', async () => {
    expectMismatch(await matchTlsa([await tlsa('root', 2, 1, 1)], chain('leaf-ec', 'int'), opts));
    expectMismatch(await matchTlsa([await tlsa('root', 2, 0, 1)], chain('leaf-ec', 'int'), opts));
    expectMismatch(await matchTlsa([await tlsa('root', 2, 0, 2)], chain('leaf-ec', 'int'), opts));
  });
  it('a key that signed nothing in the chain does not match', async () => {
    expectMismatch(await matchTlsa([await tlsa('unrelated-ca', 2, 1, 0)], chain('leaf-ec', 'int'), opts));
  });
  it('2 1 0 whose data is not an SPKI does not match', async () => {
    const m = await matchTlsa([rec(2, 1, 0, new Uint8Array([0x30, 1, 2, 3]))], chain('leaf-ec', 'int'), opts);
    expectMismatch(m, /SubjectPublicKeyInfo/);
  });
  it('also for PKIX-TA, with the PKIX verdict', async () => {
    const r = await tlsa('root', 0, 1, 0);
    const m = await matchTlsa([r], chain('leaf-ec', 'int'), { host: HOST, pkix: 'valid' });
    expectMatch(m, 1);
    expect(m.taNotInChain).toBe(true);
    expectMismatch(await matchTlsa([r], chain('leaf-ec', 'int'), { host: HOST, pkix: 'invalid' }), /PKIX/);
  });
});

describe('DANE-TA "2 0 0": the whole trust-anchor certificate in DNS, not sent (RFC 7671 §5.2.2)', () => {
  const opts = { host: HOST, pkix: 'invalid' } as const; // an anchor only in DNS: no PKIX path
  it('a root only in DNS: the server sends leaf + intermediate', async () => {
    const m = await matchTlsa([await tlsa('dns-root', 2, 0, 0)], chain('leaf-dns', 'dns-int'), opts);
    expectMatch(m, 1);
    expect(m).toMatchObject({ taNotInChain: true, chain: 'sent', usage: 2 });
  });
  it('an intermediate only in DNS: the server sends the leaf alone', async () => {
    const m = await matchTlsa([await tlsa('dns-int', 2, 0, 0)], chain('leaf-dns'), opts);
    expectMatch(m, 0);
    expect(m.taNotInChain).toBe(true);
  });
  it('the same root sent by the server matches as before (the certificate itself is in the chain)', async () => {
    const m = await matchTlsa([await tlsa('dns-root', 2, 0, 0)], chain('leaf-dns', 'dns-int', 'dns-root'), opts);
    expectMatch(m, 2);
    expect(m.taNotInChain).toBeUndefined();
  });
  it('digests of the unsent anchor cannot give its key: 2 0 1 and 2 0 2 do not match', async () => {
    expectMismatch(await matchTlsa([await tlsa('dns-root', 2, 0, 1)], chain('leaf-dns', 'dns-int'), opts), /no certificate in the chain matches/);
    expectMismatch(await matchTlsa([await tlsa('dns-root', 2, 0, 2)], chain('leaf-dns', 'dns-int'), opts));
  });
  it('a root from DNS does not bridge a missing intermediate', async () => {
    expectMismatch(await matchTlsa([await tlsa('dns-root', 2, 0, 0)], chain('leaf-dns'), opts), /does not verify any certificate/);
  });
  it('an unrelated CA certificate in DNS does not match; nor one whose key signed under another name', async () => {
    expectMismatch(await matchTlsa([await tlsa('unrelated-ca', 2, 0, 0)], chain('leaf-dns', 'dns-int'), opts));
    expectMismatch(await matchTlsa([await tlsa('root', 2, 0, 0)], chain('leaf-dns', 'dns-int'), opts));
  });
  it('certificates below the anchor from DNS are date-checked', async () => {
    const r = await tlsa('dns-root', 2, 0, 0);
    expectMismatch(await matchTlsa([r], chain('leaf-dns', 'dns-int'), { ...opts, now: new Date('2050-01-01T00:00:00Z') }), /expired/);
  });
  it('the name check still applies', async () => {
    const m = await matchTlsa([await tlsa('dns-root', 2, 0, 0)], chain('leaf-dns', 'dns-int'), { host: 'other.dane.test', pkix: 'valid' });
    expectMismatch(m, /not valid for other\.dane\.test/);
  });
  it('a leaf certificate in a "2 0 0" record is no anchor (DANE-TA never matches the leaf; a non-CA issues nothing)', async () => {
    expectMismatch(await matchTlsa([await tlsa('leaf-selfsigned', 2, 0, 0)], chain('leaf-selfsigned'), opts), /not a CA/);
    expectMismatch(await matchTlsa([await tlsa('leaf-dns', 2, 0, 0)], chain('leaf-dns', 'dns-int'), opts), /not a CA/);
  });
  it('"2 0 0" data that is not a certificate is a reasoned mismatch', async () => {
    expectMismatch(await matchTlsa([rec(2, 0, 0, new Uint8Array([0x30, 3, 1, 2, 3]))], chain('leaf-dns', 'dns-int'), opts), /not a valid certificate/);
  });
  it('a certificate from DNS never completes a PKIX chain: "0 0 0" of a root PKIX did not validate', async () => {
    const peer: PeerChains = { sent: chain('leaf-dns', 'dns-int').certs, pkix: { verdict: 'valid', validated: chain('leaf-dns', 'dns-int').certs } };
    expectMismatch(await matchPeer([await tlsa('dns-root', 0, 0, 0)], peer, { host: HOST }), /no certificate in the chain matches/);
    expectMatch(await matchPeer([await tlsa('dns-root', 2, 0, 0)], peer, { host: HOST }), 1);
  });
});

describe('cross-certified chain: leaf → intermediate → cross-certificate of the root', () => {
  const opts = { host: HOST, pkix: 'unknown' } as const;
  it('"2 0 0" of the self-signed root while the server sends the cross-certificate', async () => {
    const m = await matchTlsa([await tlsa('cross-root', 2, 0, 0)], chain('leaf-cross', 'cross-int', 'cross-root-by-old'), opts);
    expectMatch(m, 1);
    expect(m.taNotInChain).toBe(true);
  });
  it('the same record whichever form the server sends: self-signed root, cross-certificate, or neither', async () => {
    const r = await tlsa('cross-root', 2, 0, 0);
    expectMatch(await matchTlsa([r], chain('leaf-cross', 'cross-int', 'cross-root'), opts), 2);
    expectMatch(await matchTlsa([r], chain('leaf-cross', 'cross-root-by-old', 'cross-int'), opts), 2);
    expectMatch(await matchTlsa([r], chain('leaf-cross', 'cross-int'), opts), 1);
    // and "2 0 0" of the cross-certificate anchors the same key (found by key: #1 is what it signed)
    const m = await matchTlsa([await tlsa('cross-root-by-old', 2, 0, 0)], chain('leaf-cross', 'cross-int', 'cross-root'), opts);
    expectMatch(m, 1);
    expect(m.taNotInChain).toBe(true);
  });
  it('a key or SPKI digest record matches either form; a certificate digest only the form it names', async () => {
    const c = chain('leaf-cross', 'cross-int', 'cross-root-by-old');
    expectMatch(await matchTlsa([await tlsa('cross-root', 2, 1, 1)], c, opts), 2);
    expectMatch(await matchTlsa([await tlsa('cross-root', 2, 1, 0)], c, opts), 2);
    expectMismatch(await matchTlsa([await tlsa('cross-root', 2, 0, 1)], c, opts));
    expectMatch(await matchTlsa([await tlsa('cross-root-by-old', 2, 0, 1)], c, opts), 2);
  });
  it('the old root that cross-signed is a trust anchor of its own only when named', async () => {
    const c = chain('leaf-cross', 'cross-int', 'cross-root-by-old');
    expectMatch(await matchTlsa([await tlsa('cross-old-root', 2, 0, 0)], c, opts), 2);
    expectMismatch(await matchTlsa([await tlsa('cross-old-root', 2, 0, 0)], chain('leaf-cross', 'cross-int', 'cross-root'), opts));
  });
});

describe('which chain each usage sees: PKIX usages the validated chain, DANE usages the chain as sent', () => {
  // The server sends leaf + intermediate; the client's PKIX built leaf → int → root (trust store).
  const sent = () => chain('leaf-ec', 'int').certs;
  const validated = () => chain('leaf-ec', 'int', 'root').certs;
  const valid = (): PeerChains => ({ sent: sent(), pkix: { verdict: 'valid', validated: validated() } });
  it('"0 0 1" of a root the server does not send matches the validated chain', async () => {
    const m = await matchPeer([await tlsa('root', 0, 0, 1)], valid(), { host: HOST });
    expectMatch(m, 2);
    expect(m).toMatchObject({ chain: 'validated', usage: 0 });
    expect(m.pkixUnverified).toBeUndefined();
  });
  it('the same root as "2 0 1" does not: DANE-TA looks only at what the server sent', async () => {
    expectMismatch(await matchPeer([await tlsa('root', 2, 0, 1)], valid(), { host: HOST }), /no certificate in the chain matches/);
  });
  it('without a PKIX success there is no validated chain: "0 0 1" of the unsent root does not match', async () => {
    expectMismatch(await matchPeer([await tlsa('root', 0, 0, 1)], { sent: sent(), pkix: { verdict: 'invalid' } }, { host: HOST }), /PKIX|no certificate/);
    expectMismatch(await matchPeer([await tlsa('root', 0, 0, 1)], { sent: sent(), pkix: { verdict: 'unknown' } }, { host: HOST }), /no certificate in the chain matches/);
  });
  it('PKIX-EE matches the leaf of the validated chain; DANE-EE the leaf as sent', async () => {
    expectMatch(await matchPeer([await tlsa('leaf-ec', 1, 1, 1)], valid(), { host: HOST }), 0);
    const ee = await matchPeer([await tlsa('leaf-ec', 3, 1, 1)], valid(), { host: HOST });
    expectMatch(ee, 0);
    expect(ee.chain).toBe('sent');
  });
  it('a validated chain that does not start with the sent leaf is not used', async () => {
    const peer: PeerChains = { sent: sent(), pkix: { verdict: 'valid', validated: chain('leaf-rsa', 'int', 'root').certs } };
    expectMismatch(await matchPeer([await tlsa('root', 0, 0, 1)], peer, { host: HOST }), /does not start with the leaf/);
    const empty: PeerChains = { sent: sent(), pkix: { verdict: 'valid', validated: [] } };
    expectMismatch(await matchPeer([await tlsa('leaf-ec', 1, 1, 1)], empty, { host: HOST }), /validated chain is empty/);
  });
  it('malformed peer input never throws', async () => {
    const r = await tlsa('root', 0, 0, 1);
    const bad = [
      { sent: sent(), pkix: null },
      { sent: sent(), pkix: { verdict: 'valid' } },
      { sent: sent(), pkix: { verdict: 'valid', validated: 'x' } },
      { sent: sent(), pkix: { verdict: 'valid', validated: [null, 5] } },
    ] as unknown as PeerChains[];
    for (const p of bad) expect((await matchPeer([r], p, { host: HOST })).state).toBe('mismatch');
    expect((await matchPeer([r], { sent: null, pkix: { verdict: 'unknown' } } as unknown as PeerChains, { host: HOST })).state).toBe('error');
  });
});

describe('validity dates', () => {
  it('an expired DANE-EE certificate still matches (RFC 7671 §5.1)', async () => {
    const m = await matchTlsa([await tlsa('leaf-expired', 3, 1, 1)], chain('leaf-expired'), { host: 'anything.example', pkix: 'invalid' });
    expectMatch(m, 0);
  });
  it('an expired leaf under DANE-TA does not match, unless checked at a time within its validity', async () => {
    const r = await tlsa('int', 2, 0, 1);
    expectMismatch(await matchTlsa([r], chain('leaf-expired', 'int'), { host: HOST, pkix: 'unknown' }), /expired/);
    expectMatch(await matchTlsa([r], chain('leaf-expired', 'int'), { host: HOST, pkix: 'unknown', now: new Date('2020-06-01T00:00:00Z') }), 1);
  });
  it('certificates below the TA are date-checked', async () => {
    const r = await tlsa('root', 2, 0, 1);
    // 2050: everything expired; the leaf is below the TA → mismatch.
    expectMismatch(await matchTlsa([r], chain('leaf-ec', 'int', 'root'), { host: HOST, pkix: 'unknown', now: new Date('2050-01-01T00:00:00Z') }));
  });
});

describe('name checks', () => {
  it('DANE-TA with a leaf for a different name → mismatch', async () => {
    const m = await matchTlsa([await tlsa('int', 2, 0, 1)], chain('leaf-other-name', 'int'), { host: HOST, pkix: 'unknown' });
    expectMismatch(m, /not valid for www\.dane\.test/);
  });
  it('DANE-EE ignores the name', async () => {
    expectMatch(await matchTlsa([await tlsa('leaf-other-name', 3, 1, 1)], chain('leaf-other-name', 'int'), { host: HOST, pkix: 'invalid' }), 0);
  });
  it('PKIX-EE checks the name', async () => {
    expectMismatch(await matchTlsa([await tlsa('leaf-other-name', 1, 1, 1)], chain('leaf-other-name', 'int'), { host: HOST, pkix: 'valid' }), /not valid/);
  });
  it('wildcard leaf under DANE-TA: leftmost label only, exactly one label', async () => {
    const r = await tlsa('int', 2, 1, 1);
    const c = chain('leaf-wildcard', 'int');
    expectMatch(await matchTlsa([r], c, { host: 'www.dane.test', pkix: 'unknown' }), 1);
    expectMatch(await matchTlsa([r], c, { host: 'MAIL.Dane.Test.', pkix: 'unknown' }), 1);
    expectMismatch(await matchTlsa([r], c, { host: 'a.b.dane.test', pkix: 'unknown' }));
    expectMismatch(await matchTlsa([r], c, { host: 'dane.test', pkix: 'unknown' }));
  });
  it('host name comparison is case-insensitive and ignores a trailing dot', async () => {
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 1)], chain('leaf-ec', 'int'), { host: 'WWW.dane.test.', pkix: 'unknown' }), 1);
  });
});

describe('PKIX usages', () => {
  it("pkix 'invalid' → mismatch for 0 and 1", async () => {
    const c = chain('leaf-ec', 'int', 'root');
    expectMismatch(await matchTlsa([await tlsa('leaf-ec', 1, 1, 1)], c, { host: HOST, pkix: 'invalid' }), /PKIX-EE requires PKIX/);
    expectMismatch(await matchTlsa([await tlsa('root', 0, 0, 1)], c, { host: HOST, pkix: 'invalid' }), /PKIX-TA requires PKIX/);
  });
  it("pkix 'unknown' → match flagged pkixUnverified", async () => {
    const m = await matchTlsa([await tlsa('int', 0, 1, 1)], chain('leaf-ec', 'int'), { host: HOST, pkix: 'unknown' });
    expectMatch(m, 1);
    expect(m.pkixUnverified).toBe(true);
  });
  it('a verified match is preferred over a PKIX-unverified one', async () => {
    const records = [await tlsa('leaf-ec', 1, 1, 1), await tlsa('leaf-ec', 3, 1, 1)];
    const m = await matchTlsa(records, chain('leaf-ec', 'int'), { host: HOST, pkix: 'unknown' });
    expectMatch(m, 0, 1);
    expect(m.usage).toBe(3);
    expect(m.pkixUnverified).toBeUndefined();
  });
  it("DANE usages do not care about pkix 'invalid'", async () => {
    expectMatch(await matchTlsa([await tlsa('int', 2, 1, 1)], chain('leaf-ec', 'int'), { host: HOST, pkix: 'invalid' }), 1);
  });
});

describe('RRsets', () => {
  const opts = { host: HOST, pkix: 'unknown' } as const;
  it('rollover: one matching, one not (either order)', async () => {
    const old = await tlsa('leaf-rsa', 3, 1, 1);
    const cur = await tlsa('leaf-ec', 3, 1, 1);
    expectMatch(await matchTlsa([old, cur], chain('leaf-ec'), opts), 0, 1);
    expectMatch(await matchTlsa([cur, old], chain('leaf-ec'), opts), 0, 0);
    // TA rollover: new-CA record plus current-CA record
    expectMatch(await matchTlsa([await tlsa('unrelated-ca', 2, 1, 1), await tlsa('int', 2, 1, 1)], chain('leaf-ec', 'int'), opts), 1, 1);
  });

  it('mismatch lists the usable records and what was seen', async () => {
    const a = await tlsa('leaf-rsa', 3, 1, 1);
    const b = await tlsa('unrelated-ca', 2, 0, 2);
    const bad = rec(3, 1, 1, new Uint8Array(31));
    const m = await matchTlsa([a, bad, b], chain('leaf-ec', 'int'), opts);
    expectMismatch(m, /1 unusable record/);
    expect(m.expected).toEqual([tlsaToShortString(a), tlsaToShortString(b)]);
    expect(m.expected[0]).toMatch(/^3 1 1 [0-9a-f]{8}…[0-9a-f]{8}$/);
    expect(m.seen.map((s) => s.certIndex)).toEqual([0, 1]);
    expect(m.seen[0].spkiSha256).toBe(tlsaToString(await tlsa('leaf-ec', 3, 1, 1)).slice(6));
    expect(m.seen[1].certSha256).toBe(tlsaToString(await tlsa('int', 2, 0, 1)).slice(6));
  });

  it('unusable-only sets → no-usable-tlsa', async () => {
    const good = await tlsa('leaf-ec', 3, 1, 1);
    const sets: TLSAData[][] = [
      [rec(4, 1, 1, good.data)], // unknown usage
      [rec(255, 1, 1, good.data)], // PrivCert
      [rec(3, 2, 1, good.data)], // unknown selector
      [rec(3, 1, 3, good.data)], // unknown matching type
      [rec(3, 1, 1, good.data.slice(0, 20))], // short SHA-256
      [rec(3, 1, 2, good.data)], // 32 octets for SHA-512
      [rec(3, 1, 0, new Uint8Array(0))], // empty
      [rec(4, 1, 1, good.data), rec(3, 1, 255, good.data)],
    ];
    for (const s of sets) {
      const m = await matchTlsa(s, chain('leaf-ec'), opts);
      expect(m.state, JSON.stringify(s)).toBe('no-usable-tlsa');
    }
    expect(await matchTlsa([], chain('leaf-ec'), opts)).toEqual({ state: 'no-usable-tlsa', reason: 'no TLSA records' });
    // no-usable-tlsa wins over a broken chain: there is nothing to check it against
    expect((await matchTlsa([rec(9, 9, 9, good.data)], { certs: [] }, opts)).state).toBe('no-usable-tlsa');
  });

  it('unusable records are skipped, the usable one is reported with its own index', async () => {
    const good = await tlsa('leaf-ec', 3, 1, 1);
    expectMatch(await matchTlsa([rec(7, 1, 1, good.data), rec(3, 1, 1, new Uint8Array(5)), good], chain('leaf-ec'), opts), 0, 2);
  });
});

describe('garbage input never throws', () => {
  const opts = { host: HOST, pkix: 'unknown' } as const;
  it('unparseable leaf → error', async () => {
    const r = await tlsa('leaf-ec', 3, 1, 1);
    const cases: PresentedChain[] = [
      { certs: [] },
      { certs: [new Uint8Array([1, 2, 3])] },
      { certs: [der('leaf-ec').slice(0, 100), der('int')] },
      { certs: [new Uint8Array(0)] },
      { certs: [null as unknown as Uint8Array] },
      null as unknown as PresentedChain,
      { certs: 'nope' as unknown as Uint8Array[] },
    ];
    for (const c of cases) {
      const m = await matchTlsa([r], c, opts);
      expect(m.state).toBe('error');
    }
  });
  it('an unparseable non-leaf certificate is skipped', async () => {
    const garbage = new Uint8Array([0x30, 0x82, 0x01, 0x00, 0xff]);
    expectMatch(await matchTlsa([await tlsa('int', 2, 0, 1)], chain('leaf-ec', garbage, 'int'), opts), 2);
    const m = await matchTlsa([await tlsa('root', 2, 0, 1)], chain('leaf-ec', garbage, 'int'), opts);
    expectMismatch(m, /unparseable certificate\(s\) skipped: #1/);
    expect(m.seen.map((s) => s.certIndex)).toEqual([0, 2]);
  });
  it('odd options and records', async () => {
    const r = await tlsa('leaf-ec', 3, 1, 1);
    expectMatch(await matchTlsa([r], chain('leaf-ec'), undefined as unknown as { host: string; pkix: 'unknown' }), 0);
    expect((await matchTlsa(null as unknown as TLSAData[], chain('leaf-ec'), opts)).state).toBe('no-usable-tlsa');
    expect((await matchTlsa([null as unknown as TLSAData], chain('leaf-ec'), opts)).state).toBe('no-usable-tlsa');
    expectMatch(await matchTlsa([r], chain('leaf-ec'), { host: HOST, pkix: 'unknown', now: new Date(NaN) }), 0);
  });
  it('long chains are bounded', async () => {
    const filler = Array.from({ length: 20 }, () => 'unrelated-ca' as const);
    const m = await matchTlsa([await tlsa('int', 2, 0, 1)], chain('leaf-ec', ...filler, 'int'), opts);
    expectMismatch(m, /only the first 16 of 22/);
    expectMatch(await matchTlsa([await tlsa('int', 2, 0, 1)], chain('leaf-ec', ...filler.slice(0, 10), 'int'), opts), 11);
  });
});

describe('tlsaToString', () => {
  it('presentation format', () => {
    expect(tlsaToString(rec(3, 1, 1, new Uint8Array([0xab, 0x01, 0xff])))).toBe('3 1 1 ab01ff');
    expect(tlsaToShortString(rec(2, 0, 1, new Uint8Array(32).fill(0xcd)))).toBe('2 0 1 cdcdcdcd…cdcdcdcd');
  });
});

describe('SMTP: the subject CN names a leaf without DNS-IDs (RFC 7672 §3.2.3)', () => {
  const sent = (...names: Fx[]): PeerChains => ({ sent: names.map(der), pkix: { verdict: 'unknown' } });
  const ta = async () => [await tlsa('cn-root', 2, 0, 1)];

  it('DANE-TA: a leaf with only CN=mx.dane.test matches mx.dane.test with the fallback, and not without it', async () => {
    const records = await ta();
    const smtp = await matchPeer(records, sent('leaf-cn-only', 'cn-root'), { host: 'mx.dane.test', cnFallback: true });
    expect(smtp.state).toBe('match');
    const https = await matchPeer(records, sent('leaf-cn-only', 'cn-root'), { host: 'mx.dane.test' });
    expect(https.state).toBe('mismatch');
    expect(https.state === 'mismatch' && https.reason).toContain('not valid for mx.dane.test');
    // The CN names one host; another reference identifier is no match.
    expect((await matchPeer(records, sent('leaf-cn-only', 'cn-root'), { host: 'mx2.dane.test', cnFallback: true })).state).toBe('mismatch');
  });

  it('a DNS-ID present: only the DNS-IDs count, the CN is ignored', async () => {
    const records = await ta();
    expect((await matchPeer(records, sent('leaf-cn-other-san', 'cn-root'), { host: 'mx.dane.test', cnFallback: true })).state).toBe('mismatch');
    expect((await matchPeer(records, sent('leaf-cn-other-san', 'cn-root'), { host: 'other.dane.test', cnFallback: true })).state).toBe('match');
  });

  it('DANE-EE checks no name at all, with or without the fallback', async () => {
    const records = [await tlsa('leaf-cn-other-san', 3, 1, 1)];
    expect((await matchPeer(records, sent('leaf-cn-other-san'), { host: 'anything.example', cnFallback: true })).state).toBe('match');
    expect((await matchPeer(records, sent('leaf-cn-other-san'), { host: 'anything.example' })).state).toBe('match');
  });

  it("OpenSSL's host check (X509_check_host, which s_client's DANE-TA name check uses) agrees on both leaves", () => {
    const checkhost = (leaf: Fx, host: string) =>
      spawnSync('openssl', ['x509', '-in', join(DIR, `${leaf}.pem`), '-noout', '-checkhost', host], { encoding: 'utf8' }).stdout.trim();
    expect(checkhost('leaf-cn-only', 'mx.dane.test')).toBe('Hostname mx.dane.test does match certificate');
    expect(checkhost('leaf-cn-other-san', 'mx.dane.test')).toBe('Hostname mx.dane.test does NOT match certificate');
    expect(checkhost('leaf-cn-other-san', 'other.dane.test')).toBe('Hostname other.dane.test does match certificate');
  });
});

describe('a changed certificate never matches through a DANE-TA path (mutated real chains)', () => {
  // Any change to the leaf or the intermediate changes bytes a signature covers (tbsCertificate)
  // or the signature itself: "2 1 1" of the root (sent) must then never match, whatever our DER
  // reader accepts. Unchanged, it matches (the control).
  it('2,000 single-byte changes of leaf or intermediate: never a match', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const record = await tlsa('root', 2, 1, 1);
    const leaf = der('leaf-ec');
    const int = der('int');
    const root = der('root');
    expectMatch(await matchTlsa([record], chain(leaf, int, root), { host: HOST, pkix: 'unknown', now }), 2);
    const rnd = seededRandom(11);
    const states: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const which = rnd() < 0.5 ? 0 : 1;
      const m = (which === 0 ? leaf : int).slice();
      m[Math.floor(rnd() * m.length)] ^= 1 + Math.floor(rnd() * 255);
      const certs = which === 0 ? [m, int, root] : [leaf, m, root];
      const r = await matchTlsa([record], chain(...certs), { host: HOST, pkix: 'unknown', now });
      states[r.state] = (states[r.state] ?? 0) + 1;
      if (r.state === 'match') throw new Error(`a changed ${which === 0 ? 'leaf' : 'intermediate'} matched: ${JSON.stringify(r)}`);
    }
    // Most changes still parse (they hit names, keys, signatures): the signature check is what refuses them.
    expect(states.mismatch).toBeGreaterThan(1000);
  });
});
