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

function chain(intExtra: string[], leafExtra: string[] = []) {
  const root = makeCert({ subject: '/CN=Constraints Root', key: 'p256', keySlot: 20, ca: true, digest: 'sha256', extra: ['keyUsage = critical, keyCertSign, cRLSign'] });
  const int = makeCert({ subject: '/CN=Constraints Intermediate', key: 'p256', keySlot: 21, issuer: root, ca: true, digest: 'sha256', extra: intExtra });
  const leaf = makeCert({ subject: `/CN=${HOST}`, key: 'p256', keySlot: 22, issuer: int, san: [HOST], digest: 'sha256', extra: leafExtra });
  return { root, int, leaf };
}

/** The server sends the whole chain, root included (a digest record of the root needs it there, RFC 7671 §5.2.2). */
async function dane(records: [Made, number, number, number][], c: { leaf: Made; int: Made; root?: Made }) {
  const rs = await Promise.all(records.map(([m, u, s, t]) => generateTlsa(m.der, u, s, t)));
  const sent = [c.leaf, c.int, ...(c.root ? [c.root] : [])].map((m) => m.der);
  return matchTlsa(rs, { sent, pkix: { verdict: 'unknown' } }, { host: HOST, now: new Date() });
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
