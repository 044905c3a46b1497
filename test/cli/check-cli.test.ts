/**
 * The `check` CLI contract (issue #4) and `check --connect` against the test world (issue #5):
 * the real command in a child process, NODE_EXTRA_CA_CERTS for the world CA as documented.
 * For every catalogue site, our DANE verdict is compared with the catalogue and with
 * `openssl s_client -dane_tlsa_*` fed the TLSA records our CLI validated.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCatalogue, readWorld } from '../world/world.mjs';
import { run, mapLimit } from '../world/lib/proc.mjs';
import { check } from './run-check';
import { parseSClientDane } from '../support/references';

const world = readWorld();
const catalogue = readCatalogue();
const resolver = world.resolvers.bind.doh;


describe('check CLI contract', () => {
  test('--json prints exactly the documented keys', async () => {
    const r = await check(['www.alg13.test', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['host', 'port', 'address', 'tlsa', 'dane', 'chain', 'queries', 'elapsedMs']));
    expect(j).toMatchObject({
      host: 'www.alg13.test',
      port: 443,
      address: { state: 'secure', result: 'data', records: [expect.stringMatching(/^127\./)] },
      tlsa: { name: '_443._tcp.www.alg13.test', state: 'secure', result: 'data', records: [expect.stringMatching(/^3 1 1 [0-9a-f]{64}$/)] },
      dane: 'not-checked',
    });
    expect(j.chain.map((l: { zone: string }) => l.zone)).toEqual(['.', 'test.', 'alg13.test.']);
    expect(j.queries).toBeGreaterThan(0);
  });

  test('human output names the reason for a bogus answer', async () => {
    const r = await check(['www.expired.test', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/address\s+bogus/);
    expect(r.stdout).toMatch(/reason: .*expired/);
  });

  test.each([
    [['--port', '99999', 'www.alg13.test'], /not a valid port/],
    [['bad..name'], /not a valid host name/],
    [['.'], /not a valid host name: \./],
    [['www.alg13.test', '--resolver', 'http://127.0.54.1/dns-query'], /bad resolver URL/],
    [['www.alg13.test', '--trust-anchor', '/nonexistent/anchor'], /cannot read trust anchor/],
    [['www.alg13.test', '--trust-anchor', 'package.json'], /bad trust anchor file/],
    [['www.alg13.test', '--now', 'yesterday'], /ISO 8601/],
  ])('bad arguments %j: exit 2 with a one-line message', async (args, msg) => {
    const r = await check(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(msg);
  });

  test('an unreachable resolver: exit 3', async () => {
    const r = await check(['www.alg13.test', '--resolver', 'https://127.0.0.9:9/dns-query', '--trust-anchor', world.trustAnchor.zone]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unreachable/);
  });

  test('--now inside an expired zone\'s old validity window makes it secure again', async () => {
    // expired.test is signed for [start − 20 days, start − 1 day] (test/world/build.mjs); its parents
    // only from start − 1 day, so anchor at expired.test itself (its DS, validated now).
    const ds = JSON.parse((await check(['expired.test', '--type', 'DS', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json'])).stdout);
    expect(ds.state).toBe('secure');
    const anchor = join(mkdtempSync(join(tmpdir(), 'anchor-')), 'expired.zone');
    writeFileSync(anchor, ds.records.map((r: string) => `expired.test. IN DS ${r}`).join('\n') + '\n');
    const args = ['www.expired.test', '--type', 'A', '--resolver', resolver, '--trust-anchor', anchor, '--json'];
    const tenDaysAgo = new Date(Date.parse(world.startedAt) - 10 * 86_400_000).toISOString();
    const [nowRun, then] = await Promise.all([check(args), check([...args, '--now', tenDaysAgo])]);
    expect([JSON.parse(nowRun.stdout).state, JSON.parse(nowRun.stdout).reasonCode]).toEqual(['bogus', 'signature-expired']);
    expect(JSON.parse(then.stdout).state).toBe('secure');
  });

  test('--connect to a validated address where nothing listens: indeterminate with the reason', async () => {
    const r = await check(['h0.bench.test', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json', '--connect']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tlsa.state).toBe('secure');
    expect(j.dane).toBe('indeterminate');
    expect(j.daneReason).toMatch(/TLS connection .* (failed|timed out)/);
  });

  test('--now inside the validity window keeps an answer secure; after it, bogus', async () => {
    const args = ['www.alg13.test', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json'];
    const later = new Date(Date.parse(world.sigExpiration) + 86_400_000).toISOString();
    const [ok, late] = await Promise.all([check([...args, '--now', new Date().toISOString()]), check([...args, '--now', later])]);
    expect(JSON.parse(ok.stdout).address.state).toBe('secure');
    expect(JSON.parse(late.stdout).address.state).toBe('bogus');
  });
});

describe('check --type: any record type, like delv (issue #10)', () => {
  test.each([
    ['txt.alg13.test', 'TXT', 'secure', 'data'],
    ['alg13.test', 'MX', 'secure', 'nodata'],
    ['alg13.test', 'DS', 'secure', 'data'],
    ['alg13.test', 'DNSKEY', 'secure', 'data'],
    ['nx.nsec3.test', 'TYPE65', 'secure', 'nxdomain'],
    ['txt.insecure.test', 'TXT', 'insecure', 'data'],
    ['insecure.test', 'DS', 'secure', 'nodata'],
    ['www.expired.test', 'TXT', 'bogus', 'nodata'],
    ['www.expired.test', 'A', 'bogus', 'data'],
    ['expired.test', 'DS', 'secure', 'data'],
    ['insecure.test', 'MX', 'insecure', 'nodata'],
    ['expired.test', 'MX', 'bogus', 'nodata'],
    ['txt.insecure.test', 'DS', 'insecure', 'nodata'],
    // Issue 14: the root itself (host-name rules are for host checks only), and every IANA mnemonic.
    ['.', 'DNSKEY', 'secure', 'data'],
    ['.', 'NS', 'secure', 'data'],
    ['alg13.test', 'PX', 'secure', 'nodata'],
    ['nx.alg13.test', 'NSAP-PTR', 'secure', 'nxdomain'],
  ])('%s %s → %s %s', async (name, type, state, result) => {
    const r = await check([name, '--type', type, '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect({ name: j.name, type: j.type, state: j.state, result: j.result }, j.reason).toEqual({ name, type: type === 'TYPE65' ? 'HTTPS' : type, state, result });
    expect(Array.isArray(j.records) && Array.isArray(j.chain)).toBe(true);
    if (state !== 'secure') expect(j.reason).toEqual(expect.any(String));
  });

  test('unknown type is a usage error', async () => {
    const r = await check(['alg13.test', '--type', 'NOPE']);
    expect(r.code).toBe(2);
  });
});

describe('trust anchors at any zone (RFC 4033 §3 islands of trust, issue #10)', () => {
  test('an island below an unsigned parent: insecure from the root anchor, secure with its own anchor', async () => {
    const base = ['www.island.insecure.test', '--type', 'A', '--resolver', resolver, '--json'];
    const [rootOnly, island] = await Promise.all([
      check([...base, '--trust-anchor', world.trustAnchor.zone]),
      check([...base, '--trust-anchor', world.trustAnchor.islands]),
    ]);
    expect(JSON.parse(rootOnly.stdout).state).toBe('insecure');
    const j = JSON.parse(island.stdout);
    expect(j.state, j.reason).toBe('secure');
    expect(j.chain.map((l: { zone: string; anchor?: boolean }) => [l.zone, l.anchor ?? false])).toEqual([['island.insecure.test.', true]]);
  });

  test('names under no anchor are indeterminate ("no trust anchor"), not insecure', async () => {
    const only = join(mkdtempSync(join(tmpdir(), 'anchor-')), 'island-only.zone');
    writeFileSync(only, readFileSync(world.trustAnchor.islands, 'utf8').split('\n').filter((l) => /^island\./.test(l)).join('\n') + '\n');
    const r = await check(['www.alg13.test', '--type', 'A', '--resolver', resolver, '--trust-anchor', only, '--json']);
    const j = JSON.parse(r.stdout);
    expect([j.state, j.reasonCode]).toEqual(['indeterminate', 'no-trust-anchor']);
  });

  test('a negative trust anchor makes a bogus zone insecure (RFC 7646)', async () => {
    const r = await check(['www.expired.test', '--type', 'A', '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--negative-anchor', 'expired.test', '--json']);
    const j = JSON.parse(r.stdout);
    expect([j.state, j.reasonCode]).toEqual(['insecure', 'negative-trust-anchor']);
  });
});

type Case = (typeof catalogue.cases)[number];
const sites: Case[] = catalogue.cases.filter((c: Case) => c.site);

describe('check --connect against every catalogue site, and openssl on the same server', () => {
  const results = new Map<string, { cli: Record<string, unknown>; openssl: string | null }>();
  const ready = mapLimit(sites, 4, async (c: Case) => {
    const r = await check([c.host, '--port', String(c.port), '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone, '--json', '--connect']);
    const cli = JSON.parse(r.stdout || '{}');
    let openssl: string | null = null;
    const recs: string[] = cli.tlsa?.state === 'secure' ? cli.tlsa.records : [];
    if (recs.length > 0 && cli.connectedAddress) {
      const args = ['s_client', '-connect', `${cli.connectedAddress}:${c.port}`, '-servername', c.host, '-dane_tlsa_domain', c.host];
      for (const t of recs) args.push('-dane_tlsa_rrdata', t);
      if (recs.some((t) => /^[01] /.test(t))) args.push('-CAfile', world.ca);
      args.push('-verify_return_error', '-brief');
      const o = await run('openssl', args, { allowFail: true, input: '', timeoutMs: 10000 });
      const out = o.text + o.stderr;
      openssl = parseSClientDane(out);
    }
    results.set(c.id, { cli, openssl });
  });

  test.each(sites.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    await ready;
    const { cli, openssl } = results.get(c.id)!;
    expect(cli.dane, `${c.id}: ${String(cli.daneReason ?? '')}`).toBe(c.dane);
    if (openssl !== null) expect(openssl, `${c.id}: openssl disagrees`).toBe(cli.dane);
    if (c.opensslDane) expect(openssl, `${c.id}: openssl's recorded verdict`).toBe(c.opensslDane);
    if (cli.dane === 'match' || cli.dane === 'mismatch') {
      expect(cli.certificate).toMatchObject({ subject: expect.any(String), issuer: expect.any(String), spkiSha256: expect.stringMatching(/^[0-9a-f]{64}$/), notAfter: expect.any(String) });
    }
  });
});
