/**
 * What may issue on a DANE-TA path (RFC 7671 §5.2 uses RFC 5280 §6.1 below the trust anchor):
 * a CA whose keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3), a certificate with a critical
 * extension we do not process (§4.2) and one whose extendedKeyUsage leaves out serverAuth
 * (§4.2.1.12) are refused, as `openssl verify -purpose sslserver` refuses them; DANE-EE still
 * matches the leaf's key whatever the leaf carries (RFC 7671 §5.1). Certificates made by openssl.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, makeCert, type Made } from '../../../test/support/openssl-certs';
import { generateTlsa, matchTlsa } from './match';

afterAll(cleanUp);

const HOST = 'www.constraints.test';

/** OpenSSL's verdict on leaf ← intermediate ← trust anchor (the anchor trusted as a partial chain), for a TLS server as TLS clients check it. */
function opensslAccepts(leaf: Made, intermediate: Made, anchor: Made): boolean {
  try {
    execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-partial_chain', '-trusted', anchor.certFile, '-untrusted', intermediate.certFile, leaf.certFile], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function chain(intExtra: string[], leafExtra: string[] = [], o: { rootExtra?: string[]; leafSubject?: string; leafSan?: string[] } = {}) {
  const root = makeCert({ subject: '/CN=Constraints Root', key: 'p256', keySlot: 20, ca: true, digest: 'sha256', extra: ['keyUsage = critical, keyCertSign, cRLSign', ...(o.rootExtra ?? [])] });
  const int = makeCert({ subject: '/CN=Constraints Intermediate', key: 'p256', keySlot: 21, issuer: root, ca: true, digest: 'sha256', extra: intExtra });
  const leaf = makeCert({ subject: o.leafSubject ?? `/CN=${HOST}`, key: 'p256', keySlot: 22, issuer: int, san: o.leafSan ?? [HOST], digest: 'sha256', extra: leafExtra });
  return { root, int, leaf };
}

/** The server sends the whole chain, root included (a digest record of the root needs it there, RFC 7671 §5.2.2). */
async function dane(records: [Made, number, number, number][], c: { leaf: Made; int: Made; root?: Made }, cnFallback = false) {
  const rs = await Promise.all(records.map(([m, u, s, t]) => generateTlsa(m.der, u, s, t)));
  const sent = [c.leaf, c.int, ...(c.root ? [c.root] : [])].map((m) => m.der);
  return matchTlsa(rs, { sent, pkix: { verdict: 'unknown' } }, { host: HOST, now: new Date(), cnFallback });
}

describe('CA constraints on DANE-TA paths, against openssl verify', () => {
  it('an intermediate whose keyUsage has keyCertSign issues: match, and OpenSSL agrees', async () => {
    const c = chain(['keyUsage = critical, keyCertSign, cRLSign']);
    expect(opensslAccepts(c.leaf, c.int, c.root)).toBe(true);
    expect((await dane([[c.root, 2, 1, 1]], c)).state).toBe('match');
    expect((await dane([[c.int, 2, 1, 1]], c)).state).toBe('match');
  });

  it('an intermediate whose keyUsage lacks keyCertSign issues nothing: mismatch with the reason, and OpenSSL refuses', async () => {
    const c = chain(['keyUsage = critical, digitalSignature']);
    expect(opensslAccepts(c.leaf, c.int, c.root)).toBe(false);
    const m = await dane([[c.int, 2, 1, 1]], c);
    expect(m).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/certificate #1 cannot issue certificates: its keyUsage lacks keyCertSign \(RFC 5280 §4\.2\.1\.3\)/) });
    // the same intermediate carried whole in DNS ("2 0 0") is refused too
    const fromDns = await dane([[c.int, 2, 0, 0]], { leaf: c.leaf, int: c.root }); // the intermediate not sent
    expect(fromDns).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/the certificate in the record cannot issue certificates/) });
    // DANE-EE of the leaf does not look at the chain (RFC 7671 §5.1)
    expect((await dane([[c.leaf, 3, 1, 1]], c)).state).toBe('match');
  });

  it('an intermediate with a critical extension we do not process: mismatch, and OpenSSL refuses (unhandled critical extension)', async () => {
    const c = chain(['keyUsage = critical, keyCertSign', '1.3.6.1.4.1.55555.1 = critical, ASN1:UTF8String:private']);
    expect(opensslAccepts(c.leaf, c.int, c.root)).toBe(false);
    const m = await dane([[c.root, 2, 1, 1]], c);
    expect(m).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/critical extension this checker does not process: 1\.3\.6\.1\.4\.1\.55555\.1 \(RFC 5280 §4\.2\)/) });
  });

  it('a leaf with a critical extension we do not process: DANE-TA refuses it (as OpenSSL), DANE-EE matches its key', async () => {
    const c = chain(['keyUsage = critical, keyCertSign'], ['1.3.6.1.4.1.55555.2 = critical, ASN1:UTF8String:private']);
    expect(opensslAccepts(c.leaf, c.int, c.root)).toBe(false);
    expect(await dane([[c.int, 2, 1, 1]], c)).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/the leaf cannot be used: it carries critical extension/) });
    expect((await dane([[c.leaf, 3, 1, 1]], c)).state).toBe('match');
  });

  it('a critical extension we honour (extendedKeyUsage) changes nothing', async () => {
    const c = chain(['keyUsage = critical, keyCertSign'], ['extendedKeyUsage = critical, serverAuth']);
    expect(opensslAccepts(c.leaf, c.int, c.root)).toBe(true);
    expect((await dane([[c.root, 2, 1, 1]], c)).state).toBe('match');
  });

  it('extendedKeyUsage: a leaf or an intermediate without serverAuth is refused (as OpenSSL), with serverAuth among others accepted', async () => {
    const clientLeaf = chain(['keyUsage = critical, keyCertSign'], ['extendedKeyUsage = clientAuth']);
    expect(opensslAccepts(clientLeaf.leaf, clientLeaf.int, clientLeaf.root)).toBe(false);
    expect(await dane([[clientLeaf.int, 2, 1, 1]], clientLeaf)).toMatchObject({
      state: 'mismatch',
      reason: expect.stringMatching(/the leaf cannot be used: its extendedKeyUsage does not include serverAuth \(RFC 5280 §4\.2\.1\.12\)/),
    });
    expect((await dane([[clientLeaf.leaf, 3, 1, 1]], clientLeaf)).state).toBe('match');

    const clientInt = chain(['keyUsage = critical, keyCertSign', 'extendedKeyUsage = clientAuth']);
    expect(opensslAccepts(clientInt.leaf, clientInt.int, clientInt.root)).toBe(false);
    expect(await dane([[clientInt.root, 2, 1, 1]], clientInt)).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/certificate #1 cannot issue certificates: its extendedKeyUsage/) });

    const both = chain(['keyUsage = critical, keyCertSign', 'extendedKeyUsage = serverAuth, clientAuth'], ['extendedKeyUsage = clientAuth, serverAuth']);
    expect(opensslAccepts(both.leaf, both.int, both.root)).toBe(true);
    expect((await dane([[both.root, 2, 1, 1]], both)).state).toBe('match');
  });
});

/**
 * nameConstraints (RFC 5280 §4.2.1.10) of a CA on a DANE-TA path bound every certificate below it
 * (§6.1.3 (b),(c)), the trust anchor's too; each case as `openssl verify -purpose sslserver` judges it.
 */
/** NameConstraints { permittedSubtrees [0] { GeneralSubtree { dNSName [2] base, minimum [0] 1 } } } as hex DER. */
function subtreeWithMinimum(base: string): string {
  const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.of(tag, body.length), body]);
  const subtree = tlv(0x30, Buffer.concat([tlv(0x82, Buffer.from(base, 'latin1')), tlv(0x80, Buffer.of(1))]));
  return tlv(0x30, tlv(0xa0, subtree)).toString('hex');
}

describe('name constraints on DANE-TA paths, against openssl verify', () => {
  const ku = 'keyUsage = critical, keyCertSign';
  const cases: { what: string; int: string[]; leaf?: string[]; root?: string[]; leafSubject?: string; leafSan?: string[]; cn?: boolean; ok: boolean; reason?: RegExp }[] = [
    { what: 'permitted DNS subtree holding the name', int: [ku, 'nameConstraints = critical, permitted;DNS:constraints.test'], ok: true },
    { what: 'permitted DNS subtree with a leading dot', int: [ku, 'nameConstraints = critical, permitted;DNS:.constraints.test'], ok: true },
    { what: 'permitted DNS subtree elsewhere', int: [ku, 'nameConstraints = critical, permitted;DNS:other.test'], ok: false, reason: /certificate #1 does not allow the path below it: DNS name www\.constraints\.test is not within the permitted subtrees other\.test/ },
    { what: 'a name that only ends like the subtree', int: [ku, 'nameConstraints = critical, permitted;DNS:straints.test'], ok: false, reason: /not within the permitted subtrees/ },
    { what: 'excluded DNS subtree holding the name', int: [ku, 'nameConstraints = critical, excluded;DNS:www.constraints.test'], ok: false, reason: /DNS name www\.constraints\.test is within the excluded subtree www\.constraints\.test/ },
    { what: 'excluded DNS subtree elsewhere', int: [ku, 'nameConstraints = excluded;DNS:other.test'], ok: true },
    {
      what: 'permitted IP subtree holding the address',
      int: [ku, 'nameConstraints = critical, permitted;DNS:constraints.test, permitted;IP:192.0.2.0/255.255.255.0'],
      leaf: [`subjectAltName = DNS:${HOST}, IP:192.0.2.7`],
      leafSan: [],
      ok: true,
    },
    {
      what: 'permitted IP subtree elsewhere',
      int: [ku, 'nameConstraints = critical, permitted;DNS:constraints.test, permitted;IP:198.51.100.0/255.255.255.0'],
      leaf: [`subjectAltName = DNS:${HOST}, IP:192.0.2.7`],
      leafSan: [],
      ok: false,
      reason: /IP address 192\.0\.2\.7 is not within the permitted subtrees/,
    },
    { what: 'an IPv6 address under IPv4 permitted subtrees', int: [ku, 'nameConstraints = critical, permitted;IP:192.0.2.0/255.255.255.0'], leaf: [`subjectAltName = DNS:${HOST}, IP:2001:db8::1`], leafSan: [], ok: false, reason: /IP address 2001:db8:0:0:0:0:0:1 is not within/ },
    { what: 'permitted directory name holding the subject', int: [ku, 'nameConstraints = critical, permitted;dirName:dir_ok', '[ dir_ok ]', 'O = Good'], leafSubject: `/O=Good/CN=${HOST}`, ok: true },
    { what: 'permitted directory name not holding the subject', int: [ku, 'nameConstraints = critical, permitted;dirName:dir_ok', '[ dir_ok ]', 'O = Good'], ok: false, reason: /subject CN=www\.constraints\.test is not within the permitted directory names/ },
    { what: 'the trust anchor\'s own constraints', int: [ku], root: ['nameConstraints = critical, permitted;DNS:other.test'], ok: false, reason: /certificate #2 does not allow the path below it/ },
    // A mail server's certificate may name the host in its commonName only (RFC 7672 §3.2.3).
    { what: 'a leaf without dNSName: its commonName under a permitted subtree', int: [ku, 'nameConstraints = critical, permitted;DNS:constraints.test'], leafSan: [], cn: true, ok: true },
    { what: 'a leaf without dNSName: its commonName outside a permitted subtree', int: [ku, 'nameConstraints = critical, permitted;DNS:other.test'], leafSan: [], cn: true, ok: false, reason: /DNS name www\.constraints\.test is not within/ },
    { what: 'an rfc822Name constraint and a leaf without e-mail names', int: [ku, 'nameConstraints = critical, permitted;email:constraints.test'], ok: true },
    // A subtree with minimum 1 (RFC 5280 §4.2.1.10: MUST be zero), written as raw DER.
    { what: 'a subtree with a minimum', int: [ku, `2.5.29.30 = critical, DER:${subtreeWithMinimum('constraints.test')}`], ok: false, reason: /nameConstraints cannot be evaluated: a subtree with minimum or maximum/ },
  ];

  it.each(cases)('$what: OpenSSL and DANE-TA agree', async (c) => {
    const ch = chain(c.int, c.leaf, { rootExtra: c.root, leafSubject: c.leafSubject, leafSan: c.leafSan });
    expect(opensslAccepts(ch.leaf, ch.int, ch.root), 'openssl verify').toBe(c.ok);
    const m = await dane([[ch.root, 2, 1, 1]], { ...ch, root: ch.root }, c.cn);
    expect(m.state).toBe(c.ok ? 'match' : 'mismatch');
    if (c.reason) expect(m).toMatchObject({ reason: expect.stringMatching(c.reason) });
    // DANE-EE never looks at the chain (RFC 7671 §5.1).
    expect((await dane([[ch.leaf, 3, 1, 1]], ch)).state).toBe('match');
  });

  it('the certificate from the record ("2 0 0") bounds the path too', async () => {
    const ch = chain([ku], [], { rootExtra: ['nameConstraints = critical, permitted;DNS:other.test'] });
    const m = await dane([[ch.root, 2, 0, 0]], { leaf: ch.leaf, int: ch.int }); // the root not sent
    expect(m).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/the certificate from the record does not allow the path below it: DNS name www\.constraints\.test is not within/) });
    const fine = chain([ku], [], { rootExtra: ['nameConstraints = critical, permitted;DNS:constraints.test'] });
    expect((await dane([[fine.root, 2, 0, 0]], { leaf: fine.leaf, int: fine.int })).state).toBe('match');
  });

  it('a wildcard that could stand for an excluded name: refused here, where OpenSSL compares it as written (stricter on purpose)', async () => {
    const ch = chain([ku, 'nameConstraints = critical, excluded;DNS:www.constraints.test'], [], { leafSubject: '/CN=*.constraints.test', leafSan: ['*.constraints.test'] });
    expect(opensslAccepts(ch.leaf, ch.int, ch.root)).toBe(true);
    const m = await dane([[ch.root, 2, 1, 1]], { ...ch, root: ch.root });
    expect(m).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/DNS name \*\.constraints\.test is within the excluded subtree www\.constraints\.test/) });
  });
});
