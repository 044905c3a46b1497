/**
 * Our X.509 reader (./x509.ts, ./der.ts) against Node's (OpenSSL's) on every certificate the
 * project has (committed fixtures, certificates made by openssl here, the test world's when it
 * was built), and against malformed input: truncations, byte flips, hand-made edge cases.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../util/encoding';
import { loadCertificate } from './cert';
import { cleanUp, makeCert } from '../../../test/support/openssl-certs';
import { seededRandom } from '../../../test/support/seeded-random';
import { readCertificate, readSubjectPublicKeyInfo } from './x509';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const WORLD_CERTS = join(HERE, '../../../test/world/run/certs');

afterAll(cleanUp);

/** Every certificate in a PEM file (RFC 7468). */
function pemCerts(text: string): Uint8Array[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

function certsIn(dir: string): { name: string; der: Uint8Array }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pem'))
    .flatMap((f) => pemCerts(readFileSync(join(dir, f), 'utf8')).map((der, i) => ({ name: `${f}#${i}`, der })));
}

/** Node's view of a certificate, in our terms. */
function nodeView(der: Uint8Array) {
  const c = new X509Certificate(Buffer.from(der));
  const spki = c.publicKey.export({ type: 'spki', format: 'der' });
  return {
    // Node prints one RDN per line and " + " inside one; ours is RFC 4514's "CN=a, O=b+OU=c".
    subject: c.subject.split('\n').join(', ').replaceAll(' + ', '+'),
    issuer: c.issuer.split('\n').join(', ').replaceAll(' + ', '+'),
    dnsNames: (c.subjectAltName ?? '')
      .split(', ')
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4)),
    ipAddresses: (c.subjectAltName ?? '')
      .split(', ')
      .filter((s) => s.startsWith('IP Address:'))
      .map((s) => s.slice(11)),
    notBefore: Date.parse(c.validFrom),
    notAfter: Date.parse(c.validTo),
    ca: c.ca,
    spki: toHex(spki),
    sha256: c.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

const made = [
  makeCert({ subject: '/CN=Made Root/O=Example, Inc./C=CZ', key: 'p384', ca: true, pathLen: 1, digest: 'sha384' }),
  makeCert({ subject: '/CN=www.example.test', key: 'rsa', san: ['www.example.test', '*.example.test', 'example.test'], digest: 'sha256' }),
  makeCert({ subject: '/CN=ed.example.test/OU=a+OU=b', key: 'ed25519', san: ['ed.example.test'], extra: ['subjectAltName = DNS:ed.example.test, IP:127.0.0.1, email:a@b.test, DNS:x.test'] }),
  makeCert({ subject: '/CN=Ed448 CA', key: 'ed448', ca: true }),
  makeCert({ subject: '/CN=Žluťoučký kůň', key: 'p256', stringMask: 'utf8only', digest: 'sha256' }),
  makeCert({
    subject: '/CN=Constrained CA/O=Example',
    key: 'p256',
    ca: true,
    extra: [
      'nameConstraints = critical, permitted;DNS:example.test, permitted;IP:192.0.2.0/255.255.255.0, permitted;IP:2001:db8::/ffff:ffff::, permitted;dirName:dir_nc, permitted;email:example.test, excluded;DNS:bad.example.test',
      'subjectAltName = DNS:ca.example.test, IP:192.0.2.1, IP:2001:db8::1',
      '[ dir_nc ]',
      'O = Example',
    ],
  }),
];

const corpus = [
  ...certsIn(FIXTURES),
  ...made.map((m, i) => ({ name: `made#${i}`, der: m.der })),
  // The world's certificates exist once `npm run world` has run (CI builds it before the tests).
  ...certsIn(WORLD_CERTS),
];

describe('readCertificate agrees with Node (OpenSSL) on every certificate we have', () => {
  it('has a corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it.each(corpus.map((c) => [c.name, c.der] as const))('%s', async (_name, der) => {
    const node = nodeView(der);
    const r = readCertificate(der);
    if (!r.ok) throw new Error(r.reason);
    const x = r.value;
    expect(toHex(x.publicKey.der)).toBe(node.spki);
    expect(x.subject.text).toBe(node.subject);
    expect(x.issuer.text).toBe(node.issuer);
    expect(x.dnsNames).toEqual(node.dnsNames);
    expect(x.ipAddresses.map((a) => (a.length === 4 ? a.join('.') : toHex(a)))).toEqual(node.ipAddresses.map((a) => (a.includes(':') ? toHex(fromHex(a.split(':').map((w) => w.padStart(4, '0')).join(''))!) : a)));
    expect(x.notBefore.getTime()).toBe(node.notBefore);
    expect(x.notAfter.getTime()).toBe(node.notAfter);
    expect(x.basicConstraints?.ca ?? false).toBe(node.ca);
    const parsed = await loadCertificate(der);
    expect(parsed?.info.certSha256).toBe(node.sha256);
    // the tbsCertificate is the first element inside the certificate
    expect(toHex(der.subarray(0, 12))).toContain(toHex(x.tbs.subarray(0, 4)));
  });
});

describe('names', () => {
  it('shows RDNs in certificate order, multi-valued RDNs with "+", special characters escaped (RFC 4514 §2.4)', () => {
    const r = readCertificate(made[0]!.der);
    expect(r.ok && r.value.subject.text).toBe('CN=Made Root, O=Example\\, Inc., C=CZ');
    const ed = readCertificate(made[2]!.der);
    expect(ed.ok && ed.value.subject.text).toBe('CN=ed.example.test, OU=a+OU=b');
    const utf = readCertificate(made[4]!.der);
    expect(utf.ok && utf.value.subject.commonNames).toEqual(['Žluťoučký kůň']);
  });

  it('only DNS names from subjectAltName, in order (RFC 5280 §4.2.1.6)', () => {
    const r = readCertificate(made[2]!.der);
    expect(r.ok && r.value.dnsNames).toEqual(['ed.example.test', 'x.test']);
  });

  it('basicConstraints cA and pathLenConstraint (RFC 5280 §4.2.1.9)', () => {
    const r = readCertificate(made[0]!.der);
    expect(r.ok && r.value.basicConstraints).toEqual({ ca: true, pathLength: 1 });
    const leaf = readCertificate(made[1]!.der);
    expect(leaf.ok && leaf.value.basicConstraints).toEqual({ ca: false, pathLength: undefined });
  });

  it('match across string types, case and spaces, and RDN attribute order (RFC 5280 §7.1)', () => {
    // Hand-made Names: PrintableString vs UTF8String, case, spaces; a two-attribute RDN in either order.
    const name = (...rdns: string[]) => tlv(0x30, rdns.join(''));
    const ava = (oid: string, tag: number, value: string) => tlv(0x30, tlv(0x06, oid) + tlv(tag, Buffer.from(value).toString('hex')));
    const CN = '550403';
    const O = '55040a';
    const a = name(tlv(0x31, ava(CN, 0x13, 'Example CA')), tlv(0x31, ava(O, 0x13, 'Org') + ava(CN, 0x13, 'x')));
    const b = name(tlv(0x31, ava(CN, 0x0c, '  example   ca ')), tlv(0x31, ava(CN, 0x0c, 'X') + ava(O, 0x0c, 'ORG')));
    const c = name(tlv(0x31, ava(CN, 0x13, 'Example CB')), tlv(0x31, ava(O, 0x13, 'Org') + ava(CN, 0x13, 'x')));
    expect(nameKey(a)).toBe(nameKey(b));
    expect(nameKey(a)).not.toBe(nameKey(c));
  });
});

describe('malformed input never throws', () => {
  const base = made[1]!.der;

  it('every truncation is refused', () => {
    for (let len = 0; len < base.length; len++) expect(readCertificate(base.subarray(0, len)).ok).toBe(false);
  });

  it('trailing data after the certificate is refused', () => {
    expect(readCertificate(Uint8Array.of(...base, 0)).ok).toBe(false);
  });

  it.each([
    ['a leaf', 1, 5000],
    ['a CA with nameConstraints', 5, 2000],
  ] as const)('random byte changes of %s: a result or a reason, never an exception', async (_what, index, runs) => {
    const base = made[index]!.der;
    const rnd = seededRandom(7);
    let refused = 0;
    for (let i = 0; i < runs; i++) {
      const m = base.slice();
      const flips = 1 + Math.floor(rnd() * 3);
      for (let f = 0; f < flips; f++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      const r = readCertificate(m);
      if (!r.ok) {
        refused++;
        expect(typeof r.reason).toBe('string');
      }
      await loadCertificate(m); // the whole path, hashes included
    }
    expect(refused).toBeGreaterThan(runs / 50);
  });

  it.each([
    ['indefinite length (not DER)', (d: Uint8Array) => Uint8Array.of(0x30, 0x80, ...d.subarray(4), 0, 0)],
    ['a high tag number', () => Uint8Array.of(0x1f, 0x81, 0x01, 0x00)],
    ['length longer than the data', (d: Uint8Array) => Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, ...d.subarray(4))],
    ['not a SEQUENCE', (d: Uint8Array) => Uint8Array.of(0x31, ...d.subarray(1))],
    ['empty', () => new Uint8Array(0)],
  ])('%s', (_what, mutate) => {
    expect(readCertificate(mutate(base)).ok).toBe(false);
  });

  it('an extension twice is refused (RFC 5280 §4.2)', () => {
    const m = makeCert({ subject: '/CN=dup', key: 'p256', extra: ['1.2.3.4 = ASN1:UTF8String:a', '1.2.3.5 = ASN1:UTF8String:a'] });
    expect(readCertificate(m.der).ok).toBe(true);
    const hex = toHex(m.der);
    expect(hex).toContain('06032a0305');
    const dup = fromHex(hex.replace('06032a0305', '06032a0304'))!; // now 1.2.3.4 twice
    const r = readCertificate(dup);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/appears twice/) });
  });

  it('a SubjectPublicKeyInfo with trailing data or unused bits is refused', () => {
    const r = readCertificate(made[1]!.der);
    if (!r.ok) throw new Error(r.reason);
    const spki = r.value.publicKey.der;
    expect(readSubjectPublicKeyInfo(spki).ok).toBe(true);
    expect(readSubjectPublicKeyInfo(Uint8Array.of(...spki, 0)).ok).toBe(false);
    expect(readSubjectPublicKeyInfo(spki.subarray(0, spki.length - 1)).ok).toBe(false);
  });
});

/** DER of one element with hex contents (short or long length form). */
function tlv(tag: number, hex: string): string {
  const len = hex.length / 2;
  const l = len < 0x80 ? len.toString(16).padStart(2, '0') : len < 0x100 ? `81${len.toString(16).padStart(2, '0')}` : `82${len.toString(16).padStart(4, '0')}`;
  return tag.toString(16).padStart(2, '0') + l + hex;
}

/** The comparison key of a hand-made Name, through a whole certificate around it. */
function nameKey(nameHex: string): string {
  const alg = tlv(0x30, tlv(0x06, '2a8648ce3d040302'));
  const time = tlv(0x17, Buffer.from('250101000000Z').toString('hex'));
  const spki = tlv(0x30, tlv(0x30, tlv(0x06, '2a8648ce3d0201') + tlv(0x06, '2a8648ce3d030107')) + tlv(0x03, '00' + '04'.padEnd(130, '1')));
  const tbs = tlv(0x30, tlv(0xa0, tlv(0x02, '02')) + tlv(0x02, '01') + alg + nameHex + tlv(0x30, time + time) + nameHex + spki);
  const cert = fromHex(tlv(0x30, tbs + alg + tlv(0x03, '00' + '30060201010201 01'.replace(/ /g, ''))))!;
  const r = readCertificate(cert);
  if (!r.ok) throw new Error(r.reason);
  return r.value.subject.key;
}

describe('nameConstraints (RFC 5280 §4.2.1.10) as OpenSSL wrote them', () => {
  it('reads every subtree of each form', () => {
    const r = readCertificate(made[5]!.der);
    if (!r.ok) throw new Error(r.reason);
    const nc = r.value.nameConstraints!;
    expect(nc.problem).toBeNull();
    expect(nc.permitted.dns).toEqual(['example.test']);
    expect(nc.permitted.ip.map(toHex)).toEqual(['c0000200ffffff00', `20010db8${'0'.repeat(24)}ffffffff${'0'.repeat(24)}`]);
    expect(nc.permitted.dirs).toEqual([['2.5.4.10="example"']]);
    expect(nc.permitted.other).toEqual([1]);
    expect(nc.excluded).toEqual({ dns: ['bad.example.test'], ip: [], dirs: [], other: [] });
    expect(r.value.unhandledCritical).toEqual([]);
  });
});
