/**
 * Issue #15: `check --mx <domain> --connect` and `check <host> --starttls smtp` against the world's
 * mail servers on port 25 (catalogue.json "smtp"). Each case's verdict is held to the catalogue, and
 * the catalogue to `openssl s_client -starttls smtp -dane_tlsa_*` run here on the same server
 * (where openssl disagrees, the catalogue says why). The bad servers (endless banner, 5xx to EHLO,
 * a handshake that never completes, closed mid-reply, silence) must each end with their reason
 * within the step time-out.
 */
import { execFile } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { readCatalogue, readWorld, type ServiceCase, type SmtpServerCase, type WorldSmtpServer } from '../world/world.mjs';
import { openSession } from '../../src/cli/starttls/session';
import { check } from './run-check';

const world = readWorld();
const cases: SmtpServerCase[] = readCatalogue().smtp?.servers ?? [];
const allServices: ServiceCase[] = readCatalogue().smtp?.services ?? [];
const services = allServices.filter((c) => !c.implicitTls);
const implicit = allServices.filter((c) => c.implicitTls);
const served = new Map<string, WorldSmtpServer>((world.smtp ?? []).map((s) => [s.id, s]));
const good = cases.filter((c) => c.openssl);
const bad = cases.filter((c) => !c.openssl);
const dns = ['--resolver', world.resolvers.bind.doh, '--trust-anchor', world.trustAnchor.zone];

const OPENSSL_STARTTLS: Record<string, string> = { smtp: 'smtp', imap: 'imap', pop3: 'pop3', 'xmpp-client': 'xmpp' };

function openssl(c: SmtpServerCase | ServiceCase, ref: 'host' | 'domain'): Promise<string> {
  const s = served.get(c.id)!;
  const port = 'port' in c ? c.port : 25;
  const connect = s.ip ? `${s.ip}:${port}` : `[${s.ip6}]:${port}`;
  const proto = 'port' in c ? c.kind : 'smtp';
  const name = ref === 'host' ? c.host : c.domain!;
  const args = ['s_client', '-starttls', OPENSSL_STARTTLS[proto], '-connect', connect, '-servername', proto === 'xmpp-client' ? c.domain! : c.host, '-dane_tlsa_domain', name];
  if (proto === 'xmpp-client') args.push('-xmpphost', c.domain!);
  for (const r of s.tlsa) args.push('-dane_tlsa_rrdata', r);
  return new Promise((resolve) => {
    const p = execFile('openssl', args, { timeout: 15_000 }, (_e, stdout, stderr) => resolve(stdout + stderr));
    p.stdin?.end('QUIT\r\n');
  });
}

const HOST_KEYS = ['host', 'preference', 'address', 'tlsa', 'usable', 'dane', 'reasonCode', 'reason'];
const CONNECTION_KEYS = ['address', 'port', 'starttls', 'dane', 'reason', 'tls', 'certificate', 'matched'];

describe('openssl s_client on the world mail servers says what the catalogue records', () => {
  test.each([...good, ...services].flatMap((c) => c.openssl!.map((o) => [`${c.id} (${o.ref})`, c, o] as const)))('%s', async (_n, c, o) => {
    const out = await openssl(c, o.ref);
    for (const s of o.says) expect(out, out).toContain(s);
  });
});

describe('check --mx <domain> --connect (RFC 7672)', () => {
  test.each(good.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await check(['--mx', c.domain, '--connect', '--json', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts).toHaveLength(1);
    const h = j.hosts[0];
    // today's keys kept, exactly the keys added
    expect(Object.keys(h)).toEqual([...HOST_KEYS, 'rollover', 'rolloverReason', 'connections']);
    expect(h.dane).toBe('dane');
    expect(h.connections).toHaveLength(1);
    const conn = h.connections[0];
    expect(Object.keys(conn)).toEqual(CONNECTION_KEYS);
    expect(conn.address).toBe(c.ip ?? c.ip6);
    expect(conn.port).toBe(25);
    expect({ starttls: conn.starttls, dane: conn.dane, rollover: h.rollover }, `${conn.reason} / ${h.rolloverReason}`).toEqual({
      starttls: c.expect.starttls,
      dane: c.expect.dane,
      rollover: c.expect.rollover,
    });
    // held to openssl: the same verdict where it agrees, a recorded reason where it does not
    for (const o of c.openssl!) {
      if (o.why) expect(o.verdict).not.toBe(conn.dane);
      else expect(conn.dane).toBe(o.verdict);
    }
    expect(h.rolloverReason).toMatch(/\w/);
    expect(h.rolloverReason.split('. ').length, 'one sentence').toBe(1);
    if (conn.dane === 'match') {
      expect(conn.matched).toMatch(/^[23] [01] [012] [0-9a-f]+$/);
      expect(h.usable).toContain(conn.matched);
      expect(conn.tls.version).toMatch(/^TLSv1\.[23]$/);
      expect(conn.certificate.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    } else expect(conn.matched).toBeNull();
    if (conn.dane === 'no-starttls') expect(conn.reason).toContain('must not fall back to plain text');
  });

  test('without --connect nothing changes', async () => {
    const r = await check(['--mx', 'match.smtp.test', '--json', ...dns]);
    expect(Object.keys(JSON.parse(r.stdout).hosts[0])).toEqual(HOST_KEYS);
  });

  test('human output: one line per address, and the rollover verdict', async () => {
    const r = await check(['--mx', 'rollover.smtp.test', '--connect', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {11}127\.0\.65\.3:25 starttls offered TLSv1\.3: match: 3 1 1 [0-9a-f]{64} matches the leaf certificate/m);
    expect(r.stdout).toMatch(/^ {11}rollover ready: .*current \+ next/m);
  });

  test('a bad server in the CLI: 5xx to EHLO ends with its reason, exit 0', async () => {
    const r = await check(['--mx', 'ehlo-5xx.smtp.test', '--connect', '--json', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const conn = JSON.parse(r.stdout).hosts[0].connections[0];
    expect(conn).toMatchObject({ dane: 'unreachable', starttls: null, tls: null });
    expect(conn.reason).toContain('550');
  });
});

describe('check <host> --port 25 --starttls smtp', () => {
  test('the host check with a STARTTLS session per address', async () => {
    const r = await check(['mx.ta.smtp.test', '--port', '25', '--starttls', 'smtp', '--json', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ host: 'mx.ta.smtp.test', port: 25, dane: 'match', service: { protocol: 'smtp' }, rollover: 'ready' });
    expect(j.connections[0]).toMatchObject({ address: '127.0.65.4', starttls: 'offered', dane: 'match' });
    expect(j.connections[0].matched).toMatch(/^2 1 1 /);
  });
});

describe('check <host> --starttls imap|pop3|xmpp-client (issue #15 part 2)', () => {
  test.each(services.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const xmpp = c.kind === 'xmpp-client';
    const r = await check([xmpp ? c.domain! : c.host, ...(xmpp ? [] : ['--port', String(c.port)]), '--starttls', c.kind, '--json', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ host: c.host, port: c.port, tlsa: { name: `_${c.port}._tcp.${c.host}`, state: 'secure' }, service: { protocol: c.kind } });
    if (xmpp) {
      // RFC 7673: the validated SRV record gives the target; the TLSA records are at its port and name
      expect(j.service.srv).toMatchObject({ name: `${c.srv}.${c.domain}`, state: 'secure', result: 'data', target: c.host, port: c.port });
    }
    expect(j.connections).toHaveLength(1);
    const conn = j.connections[0];
    expect({ starttls: conn.starttls, dane: conn.dane, rollover: j.rollover }, conn.reason).toEqual({ starttls: c.expect.starttls, dane: c.expect.dane, rollover: c.expect.rollover });
    expect(j.dane).toBe(c.expect.dane);
    for (const o of c.openssl ?? []) expect(conn.dane).toBe(o.verdict);
  });
});

describe('implicit TLS: plain check --connect --port 465', () => {
  test.each(implicit.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await check([c.host, '--port', String(c.port), '--connect', '--json', ...dns]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ host: c.host, port: c.port, tlsa: { name: `_${c.port}._tcp.${c.host}`, state: 'secure' }, dane: c.expect.dane, connectedAddress: c.ip });
  });
});

describe('bad mail servers end with their reason within the step time-out (no hang, no crash)', () => {
  const STEP = 1500;
  const REASON: Record<string, RegExp> = {
    'too-long': /more than \d+ lines/,
    'hello-rejected': /answers EHLO with 550/,
    timeout: new RegExp(`within ${STEP} ms`),
    closed: /closed the connection in the middle of a line .*EHLO reply/,
  };
  test.each(bad.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const s = served.get(c.id)!;
    const r = await openSession({ address: s.ip!, port: 25, servername: c.host, protocol: 'smtp', stepTimeoutMs: STEP });
    expect(r.end, r.reason).toBe(c.expect.dane);
    expect(r.reason).toMatch(REASON[c.expect.why!]);
    expect(r.certs).toBeUndefined();
  });
});
