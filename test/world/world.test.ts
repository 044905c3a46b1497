// Proves the offline test world against its own catalogue with reference tools:
// delv (BIND's validator, +cdflag so delv judges the data itself), unbound-host (libunbound,
// recursing on its own from the world root), the two resolvers' own verdicts (AD / SERVFAIL),
// openssl s_client -dane_tlsa_* for the HTTPS sites, kdig and Node for DoH, ldns-verify-zone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import https from 'node:https';
import type { CaseState, CatalogueCase, World } from './world.mjs';
import { readWorld, readCatalogue } from './world.mjs';
import { dnsQuery, dohQuery, dohRequest, closeDohSessions } from './lib/client.mjs';
import { encodeQuery, decodeMessage } from './lib/dnswire.mjs';
import type { Message } from './lib/dnswire.mjs';
import { run, mapLimit } from './lib/proc.mjs';
import { worldPkixTrusts } from './lib/dane-pki.mjs';
import { parseDelv, parseUnboundHost } from '../support/references';

type Kind = 'address' | 'tlsa';
type Tool = 'delv@bind' | 'delv@unbound' | 'unbound-host' | 'named' | 'unbound';
interface Verdict {
  state: CaseState['state'] | 'error';
  result?: CaseState['result'];
  raw: string;
}

const CONCURRENCY = 8;
const catalogue = readCatalogue();
const cases = catalogue.cases;
let world: World;
let ca: Buffer;
const verdicts = new Map<string, Verdict>(); // `${case}|${kind}|${tool}`
const cdAnswers = new Map<string, Message>(); // bogus cases: `${case}|${kind}|${resolver}`

const qtype = (k: Kind) => (k === 'address' ? 'A' : 'TLSA');
const qname = (c: CatalogueCase, k: Kind) => (k === 'address' ? c.host : c.tlsaName);

/** Expected verdict for a tool: the catalogue value unless the case records a tool disagreement. */
function expected(c: CatalogueCase, k: Kind, tool: Tool): CaseState {
  const family = tool.startsWith('delv') ? 'delv' : tool;
  const o = c.referenceResults?.[family]?.[k] ?? c.referenceResults?.[tool]?.[k];
  return { ...c[k], ...(o ?? {}) };
}

function resolverVerdict(m: Message, type: string): Verdict {
  const raw = `${m.rcode} ad=${m.ad} answer=${m.answer.map((r) => `${r.name} ${r.type}`).join(', ')}`;
  if (m.rcode === 'SERVFAIL') return { state: 'bogus', raw };
  const result = m.rcode === 'NXDOMAIN' ? 'nxdomain' : m.answer.some((r) => r.type === type) ? 'data' : 'nodata';
  return { state: m.ad ? 'secure' : 'insecure', result, raw };
}

function httpsGet(ip: string, port: number, host: string, opts: { ca?: Buffer; insecure?: boolean }) {
  return new Promise<{ status: number; header: string; body: string }>((resolve, reject) => {
    const req = https.request(
      { host: ip, port, servername: host, path: '/', ca: opts.ca, rejectUnauthorized: !opts.insecure, agent: false, headers: { host } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, header: String(res.headers['x-world-case']), body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

beforeAll(async () => {
  world = readWorld();
  ca = fs.readFileSync(world.ca);
  const anchor = world.trustAnchor.bind;
  const jobs: (() => Promise<void>)[] = [];
  for (const c of cases) {
    for (const k of ['address', 'tlsa'] as Kind[]) {
      const name = qname(c, k);
      const type = qtype(k);
      for (const r of ['bind', 'unbound'] as const) {
        jobs.push(async () => {
          const res = await run('delv', [`@${world.resolvers[r].dns}`, '-a', anchor, '+root=.', '+cdflag', name, type], { allowFail: true, timeoutMs: 20000 });
          verdicts.set(`${c.id}|${k}|delv@${r}`, parseDelv(res.text + res.stderr));
        });
        jobs.push(async () => {
          const m = await dnsQuery(world.resolvers[r].dns, world.resolvers[r].port, name, type, { timeoutMs: 5000 });
          verdicts.set(`${c.id}|${k}|${r === 'bind' ? 'named' : 'unbound'}`, resolverVerdict(m, type));
          if (expected(c, k, r === 'bind' ? 'named' : 'unbound').state === 'bogus') {
            cdAnswers.set(`${c.id}|${k}|${r}`, await dnsQuery(world.resolvers[r].dns, world.resolvers[r].port, name, type, { cd: true, timeoutMs: 5000 }));
          }
        });
      }
      jobs.push(async () => {
        const res = await run('unbound-host', ['-C', world.unboundHostConf, '-v', '-t', type, name], { allowFail: true, timeoutMs: 20000 });
        verdicts.set(`${c.id}|${k}|unbound-host`, parseUnboundHost(res.text + res.stderr));
      });
    }
  }
  await mapLimit(jobs, CONCURRENCY, (j) => j());
}, 120_000);

afterAll(() => closeDohSessions());

describe('catalogue', () => {
  it('has unique ids, unique site addresses and valid expectations', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(ids.size).toBe(cases.length);
    const ips = cases.filter((c) => c.site).map((c) => `${c.ip}:${c.port}`);
    expect(new Set(ips).size).toBe(ips.length);
    for (const c of cases) {
      for (const k of ['address', 'tlsa'] as Kind[]) {
        expect(['secure', 'insecure', 'bogus']).toContain(c[k].state);
        expect(['data', 'nodata', 'nxdomain']).toContain(c[k].result);
      }
      expect(['match', 'mismatch', 'no-tlsa', 'insecure', 'bogus', 'not-applicable']).toContain(c.dane);
    }
  });
  it('world.json lists every site of the catalogue', () => {
    expect(world.sites.map((s) => s.case).sort()).toEqual(cases.filter((c) => c.site).map((c) => c.id).sort());
  });
});

describe.each(cases.map((c) => [c.id, c] as const))('case %s', (_id, c) => {
  for (const k of ['address', 'tlsa'] as Kind[]) {
    for (const tool of ['delv@bind', 'delv@unbound', 'unbound-host', 'named', 'unbound'] as Tool[]) {
      it(`${k} ${qname(c, k)} ${qtype(k)} via ${tool}`, () => {
        const v = verdicts.get(`${c.id}|${k}|${tool}`);
        expect(v, 'no verdict').toBeDefined();
        const want = expected(c, k, tool);
        // bogus: only the state (the data itself is checked with CD=1 below)
        if (want.state === 'bogus') expect(v!.state, v!.raw).toBe('bogus');
        else expect({ state: v!.state, result: v!.result }, v!.raw).toEqual({ state: want.state, result: want.result });
      });
    }
    for (const r of ['bind', 'unbound'] as const) {
      // Only where the resolver itself must call it bogus (a case may be bogus for our validator
      // alone, e.g. beyond one of its limits, see referenceResults).
      if (expected(c, k, r === 'bind' ? 'named' : 'unbound').state === 'bogus') {
        it(`${k}: ${r} returns the bogus data with CD=1`, () => {
          const m = cdAnswers.get(`${c.id}|${k}|${r}`)!;
          expect(m.rcode).toBe(c[k].result === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR');
          if (c[k].result === 'data') expect(m.answer.some((a) => a.type === qtype(k))).toBe(true);
          expect(m.ad).toBe(false);
        });
      }
    }
  }

  if (c.site) {
    it(`site https://${c.host}:${c.port} (${c.ip}) serves the case`, async () => {
      // self-signed leaves and chains up to a root in no trust store (DNS-only anchors) need no PKIX
      const r = await httpsGet(c.ip!, c.port, c.host, { ca, insecure: !worldPkixTrusts(c) });
      expect(r.status).toBe(200);
      expect(r.header).toBe(c.id);
    });
  }

  if (c.site && (c.dane === 'match' || c.dane === 'mismatch')) {
    it(`openssl s_client DANE check with the TLSA RRset from DNS: ${c.dane}`, async () => {
      const m = await dnsQuery(world.resolvers.unbound.dns, 53, c.tlsaName, 'TLSA');
      expect(m.ad).toBe(true);
      const rrs = m.answer.filter((a) => a.type === 'TLSA').map((a) => a.data as string);
      expect(rrs.length).toBeGreaterThan(0);
      const site = world.sites.find((s) => s.case === c.id)!;
      expect([...rrs].sort()).toEqual([...site.tlsa].sort());
      const pkix = rrs.some((r) => r.startsWith('0 ') || r.startsWith('1 '));
      const args = ['s_client', '-connect', `${c.ip}:${c.port}`, '-servername', c.host, '-dane_tlsa_domain', c.host];
      for (const r of rrs) args.push('-dane_tlsa_rrdata', r);
      if (pkix) args.push('-CAfile', world.ca);
      args.push('-verify_return_error', '-brief');
      const res = await run('openssl', args, { allowFail: true, input: '', timeoutMs: 10000 });
      const out = res.text + res.stderr;
      // openssl's verdict as recorded in the catalogue (issue #20), else the catalogue's own
      if ((c.opensslDane ?? c.dane) === 'match') {
        expect(out, out).toMatch(/Verification: OK/);
        expect(out, out).toMatch(/DANE TLSA \d \d \d .* matched/);
      } else {
        // a certificate verification failure (not a connection failure)
        expect(out, out).toMatch(/verify error:num=\d+:/);
        expect(out, out).not.toMatch(/Verification: OK/);
        expect(res.code).not.toBe(0);
      }
    });
  }
});

describe('DoH on both resolvers (RFC 8484)', () => {
  for (const r of ['bind', 'unbound'] as const) {
    for (const method of ['GET', 'POST'] as const) {
      it(`${r} ${method}: secure answer with AD`, async () => {
        const m = await dohQuery(world.resolvers[r].doh, 'www.alg13.test', 'A', { method, ca });
        expect(m.rcode).toBe('NOERROR');
        expect(m.ad).toBe(true);
        expect(m.answer.find((a) => a.type === 'A')?.data).toBe('127.0.60.3');
      });
      it(`${r} ${method}: bogus name SERVFAIL without CD, data with CD`, async () => {
        const bad = await dohQuery(world.resolvers[r].doh, 'www.expired.test', 'A', { method, ca });
        expect(bad.rcode).toBe('SERVFAIL');
        const cd = await dohQuery(world.resolvers[r].doh, 'www.expired.test', 'A', { method, ca, cd: true });
        expect(cd.rcode).toBe('NOERROR');
        expect(cd.ad).toBe(false);
        expect(cd.answer.some((a) => a.type === 'A')).toBe(true);
      });
    }
    for (const get of [false, true]) {
      it(`${r}: kdig +https${get ? ' +https-get' : ''} with the world CA`, async () => {
        const args = [`@${world.resolvers[r].dns}`, '+https', `+tls-ca=${world.ca}`, '+dnssec', '+timeout=5', 'www.alg15.test', 'A'];
        if (get) args.splice(2, 0, '+https-get');
        const res = await run('kdig', args, { allowFail: true, timeoutMs: 10000 });
        const out = res.text + res.stderr;
        expect(out, out).toMatch(/status: NOERROR/);
        expect(out, out).toMatch(/flags: qr rd ra ad/i);
        expect(out, out).toMatch(get ? /HTTP session \(HTTP\/2-GET\)/ : /HTTP session \(HTTP\/2-POST\)/);
      });
    }
  }
});

describe('DoH front', () => {
  it('forwards GET and POST, delays, counts, logs and resets', async () => {
    const reset = await dohRequest(world.front.reset, Buffer.alloc(0), { method: 'GET', ca });
    expect(reset.status).toBe(200);
    const a = await dohQuery(world.front.doh, 'www.alg8.test', 'A', { method: 'GET', ca });
    expect(a.ad).toBe(true);
    const t0 = Date.now();
    const b = await dohQuery(world.front.delayDoh.replace('{ms}', '300'), '_443._tcp.www.alg8.test', 'TLSA', { method: 'POST', ca });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
    expect(b.answer.some((x) => x.type === 'TLSA')).toBe(true);
    const viaBind = await dohQuery(world.front.viaDoh.bind, 'www.alg8.test', 'A', { ca });
    expect(viaBind.ad).toBe(true);
    const stats = JSON.parse((await dohRequest(world.front.stats, Buffer.alloc(0), { method: 'GET', ca })).body.toString());
    expect(stats.total).toBe(3);
    expect(stats.byDelay['300']).toBe(1);
    expect(stats.byType).toMatchObject({ A: 2, TLSA: 1 });
    expect(stats.byUpstream.bind).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 50));
    const log = fs.readFileSync(world.front.log, 'utf8');
    expect(log).toMatch(/delay=300 _443\._tcp\.www\.alg8\.test\. TLSA/);
    await dohRequest(world.front.reset, Buffer.alloc(0), { method: 'GET', ca });
    const after = JSON.parse((await dohRequest(world.front.stats, Buffer.alloc(0), { method: 'GET', ca })).body.toString());
    expect(after.total).toBe(0);
  });
  it('rejects unknown paths and malformed GETs', async () => {
    expect((await dohRequest(`${world.front.base}/nope`, Buffer.alloc(0), { method: 'GET', ca })).status).toBe(404);
    const bad = await dohRequest(`${world.front.base}/dns-query`, encodeQuery('x.test', 'A'), { method: 'GET', ca });
    expect(decodeMessage(bad.body).rcode).toBeDefined();
  });
});

describe('zones and trust anchor', () => {
  const broken = new Set(
    // validity "soon": valid signatures that expire soon (issue #9), not broken
    catalogue.zones.filter((z) => (z.validity && z.validity !== 'soon') || z.edits?.length || z.keytrap).map((z) => (z.name === '.' ? '.' : `${z.name}.`)),
  );
  // ldns-verify-zone (ldns 1.8) calls the ~64 KiB RRsets of limits.test bogus although BIND, delv
  // and our validator verify them: its buffer for the signed data is smaller than such an RRset.
  const beyondLdns = new Set(['limits.test.']);
  it('ldns-verify-zone accepts every correct signed zone and rejects the broken ones', async () => {
    const signed = world.zones.filter((z) => z.signed && !beyondLdns.has(z.name));
    const results = await mapLimit(signed, CONCURRENCY, async (z) => {
      const r = await run('ldns-verify-zone', [z.file], { allowFail: true, timeoutMs: 30000 });
      return { zone: z.name, ok: r.code === 0 && /verified and complete/.test(r.text + r.stderr) };
    });
    for (const r of results) expect({ zone: r.zone, ok: r.ok }).toEqual({ zone: r.zone, ok: !broken.has(r.zone) });
  });
  it('root DNSKEY served by the world root matches root-anchor.json', async () => {
    const anchor = JSON.parse(fs.readFileSync(world.trustAnchor.json, 'utf8'));
    const m = await dnsQuery(world.root.ip, 53, '.', 'DNSKEY', { rd: false });
    const keys = m.answer.filter((a) => a.type === 'DNSKEY').map((a) => a.rdata.subarray(4).toString('base64'));
    expect(keys).toContain(anchor.dnskey[0].publicKey);
    expect(fs.readFileSync(world.trustAnchor.zone, 'utf8')).toMatch(new RegExp(`DS ${anchor.ds[0].keyTag} 8 2 `));
  });
  it('signature window in world.json is current', () => {
    expect(Date.parse(world.sigInception)).toBeLessThan(Date.now());
    expect(Date.parse(world.sigExpiration)).toBeGreaterThan(Date.now() + 86400_000);
  });
});
