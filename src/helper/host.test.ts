/**
 * The helper's host loop with real TLS connections: a local TLS server on 127.0.0.1 with a
 * certificate made by openssl for this run, the real probe (src/helper/probe.ts → fetchChain).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelperReply, type HelperReply } from '../shared/helper-protocol';
import { encodeFrame, FrameReader } from './framing';
import { HelperHost } from './host';
import { HELPER_LIMITS } from './limits';
import { isValidatedAddress, makeProbe } from './probe';

let dir: string;
let certPem: string;
let tls: Server;
let tlsPort: number;
let tlsConnections = 0;
let silent: TcpServer;
let silentPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dtv-helper-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=site.helper.test', '-addext', 'subjectAltName=DNS:site.helper.test',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  tls = createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: certPem, ALPNProtocols: ['http/1.1'] }, (s) => s.end());
  tls.on('secureConnection', () => tlsConnections++);
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tlsPort = (tls.address() as { port: number }).port;
  // Accepts TCP and never answers the TLS ClientHello: a server that hangs.
  silent = createTcpServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(() => {
  tls?.close();
  silent?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');

/** A host wired to in-memory streams; `send` feeds request frames, `replies` collects parsed replies. */
function harness(probe = makeProbe()) {
  const reader = new FrameReader(HELPER_LIMITS.maxReplyBytes, 'LE');
  const replies: HelperReply[] = [];
  const failures: string[] = [];
  let wake: (() => void) | null = null;
  const host = new HelperHost(
    {
      write: (frame) => {
        for (const e of reader.push(frame)) {
          if (e.kind !== 'message') throw new Error(`helper wrote a bad frame: ${e.kind}`);
          const parsed = parseHelperReply(e.value);
          if (!parsed.ok) throw new Error(`helper wrote a bad reply: ${parsed.message}`);
          replies.push(parsed.value);
        }
        wake?.();
      },
      fail: (m) => failures.push(m),
    },
    probe,
    '9.9.9',
    'LE',
  );
  const send = (v: unknown) => host.push(encodeFrame(v, HELPER_LIMITS.maxRequestBytes, 'LE'));
  const waitFor = async (n: number) => {
    while (replies.length < n) await new Promise<void>((r) => (wake = r));
  };
  return { host, send, replies, failures, waitFor };
}

describe('helper host', () => {
  it('answers the version handshake', () => {
    const h = harness();
    h.send({ id: 1, type: 'hello', protocol: 1 });
    expect(h.replies).toEqual([{ id: 1, type: 'hello', protocol: 1, version: '9.9.9' }]);
  });

  it('connects to the validated address with SNI = host and returns the chain as presented, PKIX per its trust store', async () => {
    const h = harness(makeProbe({ ca: certPem }));
    h.send({ id: 5, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: ['127.0.0.1', '::1'], address: '127.0.0.1' });
    await h.waitFor(1);
    const r = h.replies[0];
    expect(r).toMatchObject({ id: 5, type: 'probe', ok: true });
    if (r.type !== 'probe' || !r.ok) throw new Error('no result');
    expect(r.result.address).toBe('127.0.0.1');
    expect(r.result.chain).toEqual([derOf(certPem)]);
    expect(r.result.pkix).toBe('valid');
    expect(r.result.validatedChain).toEqual([derOf(certPem)]);
    expect(r.result.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(r.result.cipher).toMatch(/^TLS_|ECDHE/);
    expect(r.result.alpn).toBe('http/1.1');
  });

  it('reports PKIX failure with Node\'s reason when the certificate is not trusted', async () => {
    const h = harness(makeProbe());
    h.send({ id: 6, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: ['127.0.0.1'], address: '127.0.0.1' });
    await h.waitFor(1);
    const r = h.replies[0];
    if (r.type !== 'probe' || !r.ok) throw new Error('no result');
    expect(r.result.pkix).toBe('invalid');
    expect(r.result.pkixError).toMatch(/self.signed/i);
    expect(r.result.validatedChain).toBeNull();
    expect(r.result.chain).toEqual([derOf(certPem)]);
  });

  it('refuses an address that is not among the validated ones, and a name, without connecting', async () => {
    const h = harness();
    const before = tlsConnections;
    h.send({ id: 7, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: ['127.0.0.2'], address: '127.0.0.1' });
    h.send({ id: 8, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: ['localhost'], address: 'localhost' });
    h.send({ id: 9, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: [], address: '127.0.0.1' });
    await h.waitFor(3);
    for (const r of h.replies) expect(r).toMatchObject({ type: 'probe', ok: false, error: 'address-not-validated' });
    expect(h.replies.map((r) => r.id).sort()).toEqual([7, 8, 9]);
    expect(tlsConnections).toBe(before);
  });

  it('answers a hanging server with a timeout', async () => {
    const h = harness();
    h.send({ id: 10, type: 'probe', host: 'site.helper.test', port: silentPort, validated: ['127.0.0.1'], address: '127.0.0.1', timeoutMs: 300 });
    await h.waitFor(1);
    expect(h.replies[0]).toMatchObject({ id: 10, ok: false, error: 'timeout' });
  });

  it('answers a closed port with connect-failed', async () => {
    const h = harness();
    h.send({ id: 11, type: 'probe', host: 'site.helper.test', port: 9, validated: ['127.0.0.1'], address: '127.0.0.1', timeoutMs: 2000 });
    await h.waitFor(1);
    expect(h.replies[0]).toMatchObject({ id: 11, ok: false, error: 'connect-failed' });
  });

  it('answers requests concurrently, each with its own id', async () => {
    const h = harness(makeProbe({ ca: certPem }));
    h.send({ id: 20, type: 'probe', host: 'site.helper.test', port: silentPort, validated: ['127.0.0.1'], address: '127.0.0.1', timeoutMs: 500 });
    h.send({ id: 21, type: 'probe', host: 'site.helper.test', port: tlsPort, validated: ['127.0.0.1'], address: '127.0.0.1' });
    await h.waitFor(2);
    // the fast probe is answered before the hanging one times out
    expect(h.replies.map((r) => r.id)).toEqual([21, 20]);
  });

  it('answers a request that is not JSON, or of the wrong shape, and keeps serving', () => {
    const h = harness();
    const body = new TextEncoder().encode('{"id":1,');
    const frame = new Uint8Array(4 + body.length);
    new DataView(frame.buffer).setUint32(0, body.length, true);
    frame.set(body, 4);
    h.host.push(frame);
    h.send({ id: 2, type: 'probe', host: 'x.test', port: 70000, validated: [], address: '' });
    h.send({ type: 'hello' });
    h.send({ id: 3, type: 'hello', protocol: 1 });
    expect(h.replies).toEqual([
      expect.objectContaining({ id: null, type: 'error', error: 'bad-json' }),
      { id: 2, type: 'probe', ok: false, error: 'bad-request', message: 'bad port' },
      { id: null, type: 'error', error: 'bad-request', message: 'request has no id' },
      { id: 3, type: 'hello', protocol: 1, version: '9.9.9' },
    ]);
  });

  it('gives up on a request length over the browser\'s limit', () => {
    const h = harness();
    const frame = new Uint8Array(4);
    new DataView(frame.buffer).setUint32(0, HELPER_LIMITS.maxRequestBytes + 1, true);
    h.host.push(frame);
    expect(h.failures).toEqual([`request of ${HELPER_LIMITS.maxRequestBytes + 1} bytes exceeds the ${HELPER_LIMITS.maxRequestBytes}-byte limit`]);
    h.send({ id: 1, type: 'hello', protocol: 1 });
    expect(h.replies).toEqual([]);
  });

  it('turns a reply over 1 MB into a reply-too-large error', async () => {
    const huge = 'A'.repeat(HELPER_LIMITS.maxReplyBytes);
    const h = harness(async (req) => ({
      ok: true,
      result: { address: req.address, port: req.port, chain: [huge], validatedChain: null, pkix: 'invalid', pkixError: null, tlsVersion: null, cipher: null, alpn: null, elapsedMs: 0 },
    }));
    h.send({ id: 4, type: 'probe', host: 'x.test', port: 443, validated: ['127.0.0.1'], address: '127.0.0.1' });
    await h.waitFor(1);
    expect(h.replies[0]).toMatchObject({ id: 4, ok: false, error: 'reply-too-large' });
  });
});

describe('isValidatedAddress', () => {
  it('compares addresses, not text', () => {
    expect(isValidatedAddress('::1', ['0:0:0:0:0:0:0:1'])).toBe(true);
    expect(isValidatedAddress('2001:db8::1', ['2001:DB8:0::1'])).toBe(true);
    expect(isValidatedAddress('127.0.60.3', ['127.0.60.33'])).toBe(false);
    expect(isValidatedAddress('127.0.60.3', ['127.0.60.3'])).toBe(true);
  });
  it('only IP literals count', () => {
    expect(isValidatedAddress('www.example.test', ['www.example.test'])).toBe(false);
    expect(isValidatedAddress('127.0.0.1', ['localhost'])).toBe(false);
    expect(isValidatedAddress('', [''])).toBe(false);
  });
});
