import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toHex } from '../util/encoding';
import { loadCertificate, parseCertificate } from './cert';
import { generateTlsa, TlsaGenerateError, tlsaToString } from './match';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const FIXTURES = [
  'root',
  'int',
  'leaf-ec',
  'leaf-rsa',
  'leaf-ed25519',
  'leaf-wildcard',
  'leaf-expired',
  'leaf-other-name',
  'leaf-selfsigned',
  'unrelated-ca',
] as const;
const pemPath = (n: string) => join(DIR, `${n}.pem`);
/** DER of a PEM fixture (RFC 7468). */
function der(n: string): Uint8Array {
  const b64 = readFileSync(pemPath(n), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
function sh(cmd: string): string {
  return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
/** Last hex field of `openssl dgst` output ("SHA2-256(stdin)= ab12…"). */
const dgstHex = (out: string) => out.trim().split(/\s+/).pop() ?? '';

describe('generateTlsa agrees with openssl', () => {
  it.each(FIXTURES)('%s: 3 1 1 = sha256(openssl pubkey DER)', async (name) => {
    const expected = dgstHex(
      sh(`openssl x509 -in '${pemPath(name)}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256`),
    );
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    const r = await generateTlsa(der(name), 3, 1, 1);
    expect(toHex(r.data)).toBe(expected);
    expect(tlsaToString(r)).toBe(`3 1 1 ${expected}`);
  });

  it.each(FIXTURES)('%s: 3 0 2 = sha512(openssl cert DER), 3 1 0 = openssl pubkey DER', async (name) => {
    const certSha512 = dgstHex(sh(`openssl x509 -in '${pemPath(name)}' -outform DER | openssl dgst -sha512`));
    expect(toHex((await generateTlsa(der(name), 3, 0, 2)).data)).toBe(certSha512);
    const spkiHex = sh(`openssl x509 -in '${pemPath(name)}' -pubkey -noout | openssl pkey -pubin -outform DER | od -An -v -tx1`).replace(
      /\s+/g,
      '',
    );
    expect(toHex((await generateTlsa(der(name), 3, 1, 0)).data)).toBe(spkiHex);
  });
});

describe('generateTlsa', () => {
  it('selector 0 matching 0 is the certificate DER itself', async () => {
    const d = der('leaf-ec');
    const r = await generateTlsa(d, 2, 0, 0);
    expect(r).toMatchObject({ kind: 'TLSA', usage: 2, selector: 0, matchingType: 0 });
    expect(toHex(r.data)).toBe(toHex(d));
  });

  it('rejects garbage and unsupported parameters with TlsaGenerateError', async () => {
    await expect(generateTlsa(new Uint8Array([1, 2, 3]), 3, 1, 1)).rejects.toBeInstanceOf(TlsaGenerateError);
    await expect(generateTlsa(der('leaf-ec'), 4, 1, 1)).rejects.toBeInstanceOf(TlsaGenerateError);
    await expect(generateTlsa(der('leaf-ec'), 3, 2, 1)).rejects.toBeInstanceOf(TlsaGenerateError);
    await expect(generateTlsa(der('leaf-ec'), 3, 1, 3)).rejects.toBeInstanceOf(TlsaGenerateError);
  });
});

describe('parseCertificate', () => {
  it('summarises a leaf', async () => {
    const info = await parseCertificate(der('leaf-rsa'));
    expect(info).not.toBeNull();
    expect(info!.subject).toBe('CN=www.dane.test');
    expect(info!.issuer).toBe('CN=DANE Test Intermediate CA');
    expect(info!.dnsNames).toEqual(['www.dane.test']);
    expect(info!.notBefore).toBe('2019-01-01T00:00:00.000Z');
    expect(info!.notAfter).toBe('2045-01-01T00:00:00.000Z');
    const spki = dgstHex(sh(`openssl x509 -in '${pemPath('leaf-rsa')}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256`));
    const cert = dgstHex(sh(`openssl x509 -in '${pemPath('leaf-rsa')}' -outform DER | openssl dgst -sha256`));
    expect(info!.spkiSha256).toBe(spki);
    expect(info!.certSha256).toBe(cert);
  });

  it('reads the wildcard SAN and the expired dates', async () => {
    expect((await parseCertificate(der('leaf-wildcard')))!.dnsNames).toEqual(['*.dane.test']);
    expect((await parseCertificate(der('leaf-expired')))!.notAfter).toBe('2021-01-01T00:00:00.000Z');
  });

  it('returns null for garbage, never throws', async () => {
    const d = der('leaf-ec');
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([0x30]),
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
      d.slice(0, d.length - 10), // truncated
      new TextEncoder().encode(readFileSync(pemPath('leaf-ec'), 'utf8')), // PEM text is not DER
      new Uint8Array(300).fill(0x30),
    ];
    for (const c of cases) expect(await parseCertificate(c)).toBeNull();
    expect(await parseCertificate(null as unknown as Uint8Array)).toBeNull();
  });
});

describe('parsed certificates are kept by content', () => {
  it('the same DER (another copy) gives the same parse; another DER or a changed byte does not', async () => {
    const a = der('leaf-ec');
    const first = await loadCertificate(a);
    const again = await loadCertificate(a.slice());
    expect(first).not.toBeNull();
    expect(again).toBe(first);
    const other = await loadCertificate(der('leaf-rsa'));
    expect(other).not.toBe(first);
    expect(other?.info.spkiSha256).not.toBe(first?.info.spkiSha256);
    const changed = a.slice();
    changed[changed.length - 1] ^= 1; // in the signature: still parses, a different certificate
    const c = await loadCertificate(changed);
    expect(c).not.toBe(first);
    expect(c?.info.certSha256).not.toBe(first?.info.certSha256);
  });

  it('a refused input is refused every time, and the cache stays bounded', async () => {
    expect(await loadCertificate(Uint8Array.of(0x30, 0x03, 1, 2, 3))).toBeNull();
    expect(await loadCertificate(Uint8Array.of(0x30, 0x03, 1, 2, 3))).toBeNull();
    const first = await loadCertificate(der('root'));
    // 64 other inputs push it out: parsed anew (an equal, not the same, object).
    for (let i = 0; i < 64; i++) await loadCertificate(Uint8Array.of(0x30, 0x01, i));
    const later = await loadCertificate(der('root'));
    expect(later).not.toBe(first);
    expect(later?.info.certSha256).toBe(first?.info.certSha256);
  });
});

describe('parsed-certificate cache bound by size', () => {
  it('an input over 16 KiB is parsed every time (never kept); a small one is kept', async () => {
    // A 20,000-octet DER SEQUENCE (not a certificate): what matters is that it is not kept.
    const big = new Uint8Array(20_000);
    big[0] = 0x30;
    big[1] = 0x82;
    big[2] = (19_996 >> 8) & 0xff;
    big[3] = 19_996 & 0xff;
    const a = loadCertificate(big);
    const b = loadCertificate(big);
    expect(a).not.toBe(b); // a cached input would give back the same promise
    expect(await a).toBeNull();
    const small = der('leaf-ec');
    expect(loadCertificate(small)).toBe(loadCertificate(small));
  });
});
