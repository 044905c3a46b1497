// Proves the world's mail domains (catalogue.json "mail", issue #9) with BIND's delv: the MX
// RRset of each domain, and for each MX host its address and `_25._tcp` TLSA records, via the
// unbound resolver with +cdflag (delv judges the data itself from the world's root anchor).
// Also: the expiring-soon zone is signed with signatures that run out within about two days.
import { describe, expect, it, beforeAll } from 'vitest';
import type { CaseState, MailCase, World } from './world.mjs';
import { readCatalogue, readWorld } from './world.mjs';
import { mapLimit, run } from './lib/proc.mjs';

interface Delv {
  state: CaseState['state'] | 'error';
  result?: CaseState['result'];
  rdata: string[];
  raw: string;
}

const mail: MailCase[] = readCatalogue().mail ?? [];
let world: World;
const answers = new Map<string, Delv>(); // `${name}/${type}`

function parseDelv(out: string, type: string): Delv {
  const rdata = out
    .split('\n')
    .filter((l) => !l.startsWith(';'))
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === type)
    .map((f) => f.slice(4).join(' '));
  const neg = /resolution failed: ncache (nxdomain|nxrrset)/.exec(out);
  if (neg) {
    const result = neg[1] === 'nxdomain' ? 'nxdomain' : 'nodata';
    if (/; negative response, fully validated/.test(out)) return { state: 'secure', result, rdata, raw: out };
    if (/; negative response, unsigned answer/.test(out)) return { state: 'insecure', result, rdata, raw: out };
    return { state: 'bogus', result, rdata, raw: out };
  }
  if (/;; resolution failed:/.test(out)) return { state: 'bogus', rdata, raw: out };
  if (/^; unsigned answer/m.test(out)) return { state: 'insecure', result: 'data', rdata, raw: out };
  if (/^; fully validated/m.test(out)) return { state: 'secure', result: 'data', rdata, raw: out };
  return { state: 'error', rdata, raw: out };
}

async function delv(name: string, type: string): Promise<Delv> {
  const res = await run('delv', ['+cdflag', `@${world.resolvers.unbound.dns}`, '-a', world.trustAnchor.bind, '+root=.', name, type], {
    allowFail: true,
    timeoutMs: 20000,
  });
  return parseDelv(res.text + res.stderr, type);
}

beforeAll(async () => {
  world = readWorld();
  const questions = new Set<string>();
  for (const m of mail) {
    questions.add(`${m.domain}/MX`);
    for (const h of m.hosts) {
      questions.add(`${h.host}/A`);
      questions.add(`${h.tlsaName}/TLSA`);
    }
  }
  questions.add('www.soon.test/A');
  await mapLimit([...questions], 8, async (q) => {
    const [name, type] = q.split('/');
    answers.set(q, await delv(name!, type!));
  });
}, 120_000);

const verdict = (d: Delv | undefined) => ({ state: d?.state, result: d?.state === 'bogus' ? undefined : d?.result });
const want = (s: CaseState) => ({ state: s.state, result: s.state === 'bogus' ? undefined : s.result });

describe('catalogue mail cases', () => {
  it('exist, with unique ids', () => {
    expect(mail.length).toBeGreaterThanOrEqual(4);
    expect(new Set(mail.map((m) => m.id)).size).toBe(mail.length);
  });
});

describe.each(mail.map((m) => [m.id, m] as const))('mail %s', (_id, m) => {
  it(`${m.domain} MX via delv: ${m.mx.state} ${m.mx.result}`, () => {
    const d = answers.get(`${m.domain}/MX`);
    expect(verdict(d), d?.raw).toEqual(want(m.mx));
  });

  it(`${m.domain} MX RRset names exactly the catalogue's hosts`, () => {
    const d = answers.get(`${m.domain}/MX`)!;
    const got = d.rdata.map((r) => r.toLowerCase()).sort();
    const expected = m.hosts.length ? m.hosts.map((h) => `${h.preference} ${h.host}.`).sort() : m.summary === 'no-mail' ? ['0 .'] : [];
    expect(got, d.raw).toEqual(expected);
  });

  for (const h of m.hosts) {
    it(`${h.host} A via delv: ${h.address.state}`, () => {
      const d = answers.get(`${h.host}/A`);
      expect(verdict(d), d?.raw).toEqual(want(h.address));
    });
    it(`${h.tlsaName} TLSA via delv: ${h.tlsa.state} ${h.tlsa.result}`, () => {
      const d = answers.get(`${h.tlsaName}/TLSA`);
      expect(verdict(d), d?.raw).toEqual(want(h.tlsa));
      if (h.tlsa.state === 'secure' && h.tlsa.result === 'data') {
        expect(d!.rdata.length).toBeGreaterThan(0);
        for (const r of d!.rdata) expect(r).toMatch(/^3 1 1 [0-9A-F ]+$/i);
      }
    });
  }
});

describe('expiring-soon zone', () => {
  it('www.soon.test is secure and its signatures expire within 1 to 2 days (world restarts below 1 day)', () => {
    const d = answers.get('www.soon.test/A')!;
    expect(d.state, d.raw).toBe('secure');
    const rrsig = /RRSIG\s+A\s+\d+\s+\d+\s+\d+\s+(\d{14})\s+(\d{14})/.exec(d.raw);
    expect(rrsig, d.raw).not.toBeNull();
    const t = rrsig![1]!;
    const expires = Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14));
    const left = expires - Date.now();
    expect(left).toBeGreaterThan(86_400_000 - 600_000);
    expect(left).toBeLessThanOrEqual(2 * 86_400_000);
    expect(Date.parse(world.sigSoonExpiration!)).toBe(expires);
  });
});
