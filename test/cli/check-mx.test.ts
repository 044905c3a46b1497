/**
 * `check --mx <domain>` (issue #9, RFC 7672) against the world's mail domains: the real command in
 * a child process, through both resolvers, compared with the catalogue's "mail" cases (which
 * test/world/mail.test.ts proves with delv). The rest of the CLI contract is unchanged
 * (check-cli.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { readCatalogue, readWorld } from '../world/world.mjs';
import { check } from './run-check';

const world = readWorld();
const mail = readCatalogue().mail ?? [];

const anchor = ['--trust-anchor', world.trustAnchor.zone];

describe.each(['bind', 'unbound'] as const)('check --mx via %s', (resolver) => {
  test.each(mail.map((m) => [m.id, m] as const))('%s', async (_id, m) => {
    const r = await check(['--mx', m.domain, '--resolver', world.resolvers[resolver].doh, ...anchor, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['domain', 'mx', 'implicitMx', 'nullMx', 'hosts', 'skippedHosts', 'summary', 'chain', 'queries', 'elapsedMs']);
    expect(j).toMatchObject({ domain: m.domain, mx: m.mx, summary: m.summary, implicitMx: false, nullMx: m.summary === 'no-mail', skippedHosts: 0 });
    const hosts = j.hosts.map((h: { host: string; preference: number; address: { state: string; result: string }; tlsa: { name: string; state: string; result: string }; dane: string }) => ({
      host: h.host,
      preference: h.preference,
      address: { state: h.address.state, result: h.address.result },
      tlsaName: h.tlsa.name,
      tlsa: { state: h.tlsa.state, result: h.tlsa.result },
      dane: h.dane,
    }));
    expect(hosts).toEqual(m.hosts);
    for (const h of j.hosts) {
      expect(typeof h.reason).toBe('string');
      // `usable`: the records of a secure TLSA RRset that SMTP may use (usages 2, 3), whatever the MX state.
      if (h.dane === 'dane') expect(h.usable).toEqual(h.tlsa.records);
      if (h.tlsa.state !== 'secure') expect(h.usable).toEqual([]);
    }
    expect(j.queries).toBeGreaterThan(0);
    expect(j.chain.map((l: { zone: string }) => l.zone)[0]).toBe('.');
  });
});

describe('check --mx: human output and arguments', () => {
  test('lists every MX host with its address, TLSA and DANE verdict', async () => {
    const r = await check(['--mx', 'mail.test', '--resolver', world.resolvers.bind.doh, ...anchor]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('mail for mail.test');
    expect(lines[1]).toBe('  mx       secure data');
    expect(r.stdout).toMatch(/^\s+10 mx1\.mail\.test\n\s+address\s+secure data: 127\.0\.62\.1\n\s+tlsa\s+secure data at _25\._tcp\.mx1\.mail\.test\n\s+3 1 1 [0-9a-f]{64}\n\s+dane\s+dane: /m);
    expect(r.stdout).toMatch(/^\s+20 mx2\.mail\.test\n\s+address\s+secure data: 127\.0\.62\.2\n\s+tlsa\s+secure nxdomain at _25\._tcp\.mx2\.mail\.test\n\s+dane\s+no-tlsa: /m);
    expect(r.stdout).toMatch(/^ {2}summary {2}some$/m);
  });

  test('an insecure MX RRset: DANE does not apply, even to a host with signed TLSA records', async () => {
    const r = await check(['--mx', 'unsignedmail.test', '--resolver', world.resolvers.unbound.doh, ...anchor]);
    expect(r.stdout).toMatch(/mx\s+insecure data\n\s+reason: /);
    expect(r.stdout.match(/dane\s+not-applicable: the MX RRset is not signed/g)).toHaveLength(2);
  });

  test('a null MX and a domain without MX (implicit MX) say so', async () => {
    const [nullMx, implicit] = await Promise.all([
      check(['--mx', 'nomail.mail.test', '--resolver', world.resolvers.bind.doh, ...anchor]),
      check(['--mx', 'alg13.test', '--resolver', world.resolvers.bind.doh, ...anchor, '--json']),
    ]);
    expect(nullMx.stdout).toMatch(/null MX: the domain accepts no mail \(RFC 7505\)/);
    expect(JSON.parse(implicit.stdout)).toMatchObject({ implicitMx: true, nullMx: false, mx: { state: 'secure', result: 'nodata' }, hosts: [], summary: 'no-mail' });
  });

  test.each([
    [['--mx', 'mail.test', 'www.mail.test'], /--mx takes the mail domain/],
    [['--mx', 'mail.test', '--starttls', 'smtp'], /cannot be combined/],
    [['mx1.mail.test', '--starttls', 'smtps'], /--starttls must be one of/],
    [['--mx', 'mail.test', '--type', 'A'], /cannot be combined/],
    [['--mx', 'bad..name'], /not a valid mail domain/],
    [['--mx'], /argument missing|requires? (an )?argument/i],
  ])('bad arguments %j: exit 2', async (args, msg) => {
    const r = await check(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(msg);
  });

  test('an unreachable resolver: exit 3', async () => {
    const r = await check(['--mx', 'mail.test', '--resolver', 'https://127.0.0.9:9/dns-query', ...anchor]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unreachable/);
  });
});
