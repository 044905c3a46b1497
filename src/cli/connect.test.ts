/**
 * `fetchChain` (check --connect): the chain as sent and the chain Node's PKIX validated, from a real
 * TLS handshake with a local server (127.0.0.1, an ephemeral port; certificates made here), and
 * what the matcher makes of them (issue #20: PKIX usages see the validated chain, DANE usages the
 * chain as sent).
 */
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, makeCert, type Made } from '../../test/support/openssl-certs';
import { generateTlsa, matchTlsa } from '../core/dane/match';
import { fetchChain } from './connect';

const HOST = 'www.connect.test';

/** P-256 certificates made by openssl; a new key slot for each. */
function make(cn: string, issuer: Made | null, ca: boolean, serial: number): Made {
  return makeCert({ subject: `/CN=${cn}`, key: 'p256', keySlot: serial, issuer: issuer ?? undefined, ca, san: ca ? [] : [HOST], digest: 'sha256', serial });
}
const der = (m: Made) => m.der;
const pem = (m: Made) => m.pem;

let root: Made, int: Made, unrelated: Made, leaf: Made;
let server: Server;
let port = 0;

beforeAll(async () => {
  root = make('Connect Test Root', null, true, 1);
  unrelated = make('Connect Test Unrelated', null, true, 2);
  int = make('Connect Test Intermediate', root, true, 3);
  leaf = make(HOST, int, false, 4);
  // The server sends leaf, an unrelated CA, then the intermediate: not in issuer order, no root.
  server = createServer({ key: leaf.keyPem, cert: pem(leaf) + pem(unrelated) + pem(int) }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  cleanUp();
});

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
