/**
 * `fetchChain` (check --connect): the chain as sent and the chain Node's PKIX validated, from a real
 * TLS handshake with a local server (127.0.0.1, an ephemeral port; certificates made here), and
 * what the matcher makes of them (issue #20: PKIX usages see the validated chain, DANE usages the
 * chain as sent).
 */
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../core/dane/reflect-metadata';
import { BasicConstraintsExtension, SubjectAlternativeNameExtension, X509CertificateGenerator, type Extension, type X509Certificate } from '@peculiar/x509';
import { generateTlsa, matchTlsa } from '../core/dane/match';
import { fetchChain } from './connect';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOST = 'www.connect.test';
const notBefore = new Date(Date.now() - 86_400_000);
const notAfter = new Date(Date.now() + 86_400_000);

interface Made {
  cert: X509Certificate;
  keys: CryptoKeyPair;
}
async function make(cn: string, issuer: Made | null, ca: boolean, serial: string): Promise<Made> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: Extension[] = [new BasicConstraintsExtension(ca, undefined, true)];
  if (!ca) extensions.push(new SubjectAlternativeNameExtension([{ type: 'dns', value: HOST }]));
  const cert = await X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${cn}`,
    issuer: issuer ? issuer.cert.subject : `CN=${cn}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  return { cert, keys };
}
async function keyPem(k: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', k));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}
const der = (m: Made) => new Uint8Array(m.cert.rawData);
const pem = (m: Made) => m.cert.toString('pem') + '\n';

let root: Made, int: Made, unrelated: Made, leaf: Made;
let server: Server;
let port = 0;

beforeAll(async () => {
  root = await make('Connect Test Root', null, true, '01');
  unrelated = await make('Connect Test Unrelated', null, true, '02');
  int = await make('Connect Test Intermediate', root, true, '03');
  leaf = await make(HOST, int, false, '04');
  // The server sends leaf, an unrelated CA, then the intermediate: not in issuer order, no root.
  server = createServer({ key: await keyPem(leaf.keys.privateKey), cert: pem(leaf) + pem(unrelated) + pem(int) }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('fetchChain: both chains from one handshake', () => {
  it('the chain as sent keeps the server order and extras; the validated chain ends at the trust-store root', async () => {
    const p = await fetchChain('127.0.0.1', port, HOST, 5000, pem(root));
    if ('error' in p) throw new Error(p.error);
    expect(p.authorized).toBe(true);
    expect(p.peer.sent).toEqual([der(leaf), der(unrelated), der(int)]);
    expect(p.peer.pkix).toEqual({ verdict: 'valid', validated: [der(leaf), der(int), der(root)] });
  });

  it('a PKIX-TA record of the root the server did not send matches; the same root as DANE-TA does not', async () => {
    const p = await fetchChain('127.0.0.1', port, HOST, 5000, pem(root));
    if ('error' in p) throw new Error(p.error);
    const pkixTa = await matchTlsa([await generateTlsa(der(root), 0, 0, 1)], p.peer, { host: HOST });
    expect(pkixTa).toMatchObject({ state: 'match', chain: 'validated', certIndex: 2 });
    const daneTa = await matchTlsa([await generateTlsa(der(root), 2, 0, 1)], p.peer, { host: HOST });
    expect(daneTa.state).toBe('mismatch');
    // the root carried whole in DNS ("2 0 0") is an anchor the chain as sent verifies up to
    const fromDns = await matchTlsa([await generateTlsa(der(root), 2, 0, 0)], p.peer, { host: HOST });
    expect(fromDns).toMatchObject({ state: 'match', chain: 'sent', certIndex: 2, taNotInChain: true });
  });

  it('without the root in the trust store: PKIX invalid, no validated chain, PKIX-TA does not match', async () => {
    const p = await fetchChain('127.0.0.1', port, HOST, 5000, pem(unrelated));
    if ('error' in p) throw new Error(p.error);
    expect(p.authorized).toBe(false);
    expect(p.peer.pkix).toEqual({ verdict: 'invalid' });
    expect(p.peer.sent).toEqual([der(leaf), der(unrelated), der(int)]);
    const m = await matchTlsa([await generateTlsa(der(root), 0, 0, 1)], p.peer, { host: HOST });
    expect(m).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/no certificate in the chain matches/) });
  });
});
