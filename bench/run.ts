/**
 * `npm run bench`: how fast is a verdict, cold and warm, against the offline world's
 * latency-injecting DoH front, and how does that compare with delv / unbound-host given the same
 * per-query round trip. Not a test: it asserts nothing about wall-clock time; it measures and
 * writes bench/results/latest.{json,md}. What each figure means: bench/README.md.
 *
 * Needs a running world (`npm run world:start`); it is started if absent, never stopped or rebuilt.
 * Every packet stays in 127.0.0.0/8: DoH to the world's front, plain DNS through bench/dns-delay-proxy.ts
 * to the world's unbound.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { httpsFetch } from '../src/cli/https-fetch';
import { validateHost, type HostVerdict } from '../src/core/check';
import { parseTrustAnchors, type TrustAnchor } from '../src/core/dnssec/anchors';
import type { QueryResolver } from '../src/core/dnssec/fetcher';
import { LIMITS } from '../src/core/dnssec/limits';
import { Validator } from '../src/core/dnssec/validator';
import { DohClient, type DohResult } from '../src/core/transport/doh';
import { parseName } from '../src/core/wire/name';
import { typeToString } from '../src/core/wire/present';
import { RRType } from '../src/core/wire/types';
import { readCatalogue, readWorld, startWorld, worldStatus } from '../test/world/world.mjs';
import { cpuPerVerdict } from './cpu';
import { nodeCryptoBackend } from '../src/cli/node-crypto';
import { startDelayProxy, type DelayProxy } from './dns-delay-proxy';
import { queriesMarkdown, queriesPerVerdict } from './queries';
import { startup, startupMarkdown } from './startup';
import { median } from './stats';

// ------------------------------------------------------------------ settings
const RTTS = [0, 50, 150];
const RUNS: Record<number, number> = { 0: 9, 50: 7, 150: 5 };
/** Reference tools are slower (one process per question, sequential walk): fewer runs. */
const REF_RUNS: Record<number, number> = { 0: 5, 50: 3, 150: 3 };
const THROUGHPUT_NAMES = 1000;
const CONCURRENCY = 16;
const MEMORY_LOOKUPS = 10_000;
const MEMORY_CONCURRENCY = 32;
/** Free loopback address for the plain-DNS delay proxy (Linux routes all of 127/8 to lo; no alias needed). */
const PROXY_HOST = '127.0.57.1';
const PORT = 443;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'results');
const quick = process.argv.includes('--quick');

// ------------------------------------------------------------------ small helpers
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const cpuMs = (d: NodeJS.CpuUsage) => (d.user + d.system) / 1000;
const log = (s: string) => process.stderr.write(s + '\n');

let gcFn: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;
if (!gcFn) {
  try {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  } catch {
    gcFn = undefined;
  }
}
const gc = () => {
  gcFn?.();
  gcFn?.();
};

async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

function run(cmd: string, args: string[], timeoutMs = 20000): Promise<{ out: string; ms: number; code: number }> {
  const t = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (e, so, se) => {
      const code = e ? (typeof (e as { code?: unknown }).code === 'number' ? ((e as { code: number }).code) : -1) : 0;
      resolve({ out: `${so}${se}`, ms: performance.now() - t, code });
    });
  });
}

// ------------------------------------------------------------------ world + transport
if (!(await worldStatus()).running) {
  log('world not running: starting it (node test/world/cli.mjs start)');
  await startWorld({ log });
}
const world = readWorld();
const catalogue = readCatalogue();
const ca = readFileSync(world.ca);
const anchorParse = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!anchorParse.ok) throw new Error(`bad world anchor: ${JSON.stringify(anchorParse)}`);
const anchors: readonly TrustAnchor[] = anchorParse.anchors;
const unboundDns = world.resolvers.unbound.dns;

/** One warm HTTP/2 session to the front, shared by every DohClient. */
const fetch = httpsFetch({ ca });
const delayUrl = (ms: number) => `${world.front.base}/delay/${ms}/dns-query`;

interface QueryEvent {
  name: string;
  type: number;
  start: number;
  end: number;
}

/**
 * The validator's resolver: DoH to the front with the current per-query delay. Switching
 * `delay` lets a warm validator be primed at RTT 0 and then timed at the RTT under test.
 */
class Net implements QueryResolver {
  delay = 0;
  events: QueryEvent[] | null = null;
  private readonly clients = new Map<number, DohClient>();

  client(ms: number): DohClient {
    let c = this.clients.get(ms);
    if (!c) {
      c = new DohClient({ urls: [delayUrl(ms)], fetch });
      this.clients.set(ms, c);
    }
    return c;
  }

  async query(name: string, type: number): Promise<DohResult> {
    const start = performance.now();
    const r = await this.client(this.delay).query(name, type);
    this.events?.push({ name, type, start, end: performance.now() });
    return r;
  }
}
const net = new Net();
// Signatures through node:crypto, as the `check` CLI (src/cli/resolver.ts).
const newValidator = (cacheSize?: number) => new Validator({ resolver: net, anchors, cacheSize, signatures: nodeCryptoBackend });

async function frontStats(): Promise<{ total: number; byDelay: Record<string, number> }> {
  const r = await fetch(world.front.stats, { method: 'GET', headers: {} });
  return JSON.parse(Buffer.from(await r.arrayBuffer()).toString('utf8'));
}

const host = (h: string) => {
  const n = parseName(h);
  if (!n) throw new Error(`bad host ${h}`);
  return n;
};

async function verdict(v: Validator, h: string): Promise<HostVerdict> {
  return validateHost(v, host(h), PORT);
}

function stateOf(hv: HostVerdict): string {
  const a = [hv.a.state, hv.aaaa.state].includes('bogus') ? 'bogus' : hv.a.state;
  return `${a}/${hv.tlsa.state} ${hv.tlsa.result}`;
}

/** Query waves on the critical path: a query belongs to wave 1 + the latest wave answered before it was sent. */
function waves(ev: QueryEvent[]): { rounds: number; timeline: { wave: number; q: string; startMs: number; endMs: number }[] } {
  const t0 = Math.min(...ev.map((e) => e.start));
  const sorted = [...ev].sort((a, b) => a.start - b.start);
  const wave = new Map<QueryEvent, number>();
  for (const e of sorted) {
    let w = 1;
    for (const p of sorted) if (p !== e && p.end <= e.start + 0.05 && wave.has(p)) w = Math.max(w, wave.get(p)! + 1);
    wave.set(e, w);
  }
  const timeline = sorted.map((e) => ({ wave: wave.get(e)!, q: `${e.name} ${typeToString(e.type)}`, startMs: r1(e.start - t0), endMs: r1(e.end - t0) }));
  return { rounds: Math.max(0, ...wave.values()), timeline };
}

// ------------------------------------------------------------------ scenarios
interface Scenario {
  id: string;
  what: string;
  kind: 'cold' | 'warm';
  /** Hosts validated (at RTT 0, untimed) with the same validator before the timed verdict. */
  prime: string[];
  /** Host of run i. */
  host: (i: number, rtt: number) => string;
  /** Reference tools: questions per phase (phase 2 only after phase 1, as validateHost does). */
  ref?: string[][][];
}
const caseById = (id: string) => {
  const c = catalogue.cases.find((x) => x.id === id);
  if (!c) throw new Error(`catalogue case ${id} missing`);
  return c;
};
const cnameCase = caseById('cname-secure-secure');
const nsec3Case = caseById('nsec3-nxdomain');
const refQuestions = (h: string, tlsaName: string, expanded?: string): string[][][] => {
  const phases = [[[h, 'A'], [h, 'AAAA'], [tlsaName, 'TLSA']]];
  if (expanded) phases.push([[expanded, 'TLSA']]);
  return phases;
};
const warmZoneHost = (i: number, rtt: number) => `h${100 + RTTS.indexOf(rtt) * 20 + i}.bench.test`;
const SCENARIOS: Scenario[] = [
  {
    id: 'cold-3label',
    what: 'h1.bench.test: A+AAAA+TLSA, new Validator (3-level name, TLSA data, NSEC zone)',
    kind: 'cold',
    prime: [],
    host: () => 'h1.bench.test',
    ref: refQuestions('h1.bench.test', '_443._tcp.h1.bench.test'),
  },
  {
    id: 'cold-nsec3-nx',
    what: `${nsec3Case.host}: NXDOMAIN A/AAAA/TLSA proven by NSEC3, new Validator`,
    kind: 'cold',
    prime: [],
    host: () => nsec3Case.host,
    ref: refQuestions(nsec3Case.host, nsec3Case.tlsaName),
  },
  {
    id: 'cold-cname',
    what: `${cnameCase.host} → ${cnameCase.addressTarget} (CNAME to another zone, TLSA at target), new Validator`,
    kind: 'cold',
    prime: [],
    host: () => cnameCase.host,
    ref: refQuestions(cnameCase.host, `_${PORT}._tcp.${cnameCase.host}`, cnameCase.tlsaName),
  },
  {
    id: 'warm-same',
    what: 'h1.bench.test again (same validator, same site)',
    kind: 'warm',
    prime: ['h1.bench.test'],
    host: () => 'h1.bench.test',
  },
  {
    id: 'warm-zone',
    what: 'another site in the same zone (hN.bench.test after h1.bench.test)',
    kind: 'warm',
    prime: ['h1.bench.test'],
    host: warmZoneHost,
  },
  {
    id: 'warm-tld',
    what: 'another zone in the same TLD (www.alg14.test after h1.bench.test: test. keys warm)',
    kind: 'warm',
    prime: ['h1.bench.test'],
    host: () => 'www.alg14.test',
  },
];

interface OursRun {
  host: string;
  wallMs: number;
  cpuMs: number;
  queries: number;
  frontQueries: number;
  rounds: number;
  state: string;
}
interface RefRun {
  wallMs: number;
  queries: number;
  ok: boolean;
}
/** A reference tool's figures for one scenario × RTT. */
interface RefRow {
  wallMs: number;
  queries: number;
  runs: number;
  ok: boolean;
}
interface Row {
  scenario: string;
  kind: 'cold' | 'warm';
  rttMs: number;
  /** Measured time of one cached query through the front at this delay (median). */
  oneQueryMs: number;
  runs: number;
  wallMs: { median: number; min: number; max: number };
  wallPerRtt: number | null;
  wallPerQuery: number;
  rounds: number;
  queries: number;
  frontQueries: number;
  cpuMs: { median: number; max: number };
  state: string;
  delv?: RefRow & { oursOverDelv: number };
  unboundHost?: RefRow & { oursOverUnboundHost: number };
  timeline?: ReturnType<typeof waves>['timeline'];
}

async function oneQueryMs(rtt: number): Promise<number> {
  const c = net.client(rtt);
  await c.query(host('h1.bench.test'), RRType.A);
  const xs: number[] = [];
  for (let i = 0; i < (rtt >= 150 ? 5 : 9); i++) {
    const t = performance.now();
    await c.query(host('h1.bench.test'), RRType.A);
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function oursOnce(s: Scenario, i: number, rtt: number, keepTimeline: boolean): Promise<OursRun & { timeline?: Row['timeline'] }> {
  const v = newValidator();
  net.delay = 0;
  for (const p of s.prime) await verdict(v, p);
  const h = s.host(i, rtt);
  net.delay = rtt;
  const before = await frontStats();
  net.events = [];
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const hv = await verdict(v, h);
  const wallMs = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(cpu0));
  const ev = net.events;
  net.events = null;
  const after = await frontStats();
  net.delay = 0;
  const w = waves(ev);
  return {
    host: h,
    wallMs,
    cpuMs: cpu,
    queries: hv.ctx.fetcher.sent,
    frontQueries: (after.byDelay[String(rtt)] ?? 0) - (before.byDelay[String(rtt)] ?? 0),
    rounds: w.rounds,
    state: stateOf(hv),
    timeline: keepTimeline ? w.timeline : undefined,
  };
}

/** validateHost's questions through a reference tool: each phase's questions in parallel, one process each. */
async function refOnce(tool: 'delv' | 'unbound-host', phases: string[][][], proxy: DelayProxy, conf: string): Promise<RefRun> {
  proxy.reset();
  const t0 = performance.now();
  let ok = true;
  for (const phase of phases) {
    const res = await Promise.all(
      phase.map(([name, type]) =>
        tool === 'delv'
          ? run('delv', [`@${proxy.host}`, '-p', String(proxy.port), '-a', world.trustAnchor.bind, '+root=.', '+cdflag', name, type])
          : run('unbound-host', ['-C', conf, '-v', '-t', type, name]),
      ),
    );
    // delv prints "fully validated" (and, for negative answers, also "resolution failed: ncache …" on stderr);
    // unbound-host tags each answer "(secure)".
    for (const r of res) if (r.code !== 0 || !(tool === 'delv' ? /fully validated/ : /\(secure\)/).test(r.out)) ok = false;
  }
  return { wallMs: performance.now() - t0, queries: proxy.stats.total, ok };
}

/** `runs` runs of a reference tool: median wall time and queries, and whether every run validated. */
async function refRow(tool: 'delv' | 'unbound-host', runs: number, phases: string[][][], proxy: DelayProxy, conf: string): Promise<RefRow> {
  const rs: RefRun[] = [];
  for (let i = 0; i < runs; i++) rs.push(await refOnce(tool, phases, proxy, conf));
  return { wallMs: r1(median(rs.map((r) => r.wallMs))), queries: median(rs.map((r) => r.queries)), runs, ok: rs.every((r) => r.ok) };
}

function unboundHostConf(proxy: DelayProxy, file: string): string {
  writeFileSync(
    file,
    [
      '# libunbound config for unbound-host in bench/run.ts: forwards everything to the delay proxy (loopback)',
      'server:',
      '  verbosity: 0',
      '  do-ip6: no',
      '  do-not-query-localhost: no',
      `  trust-anchor-file: "${world.trustAnchor.zone}"`,
      '  module-config: "validator iterator"',
      '  local-zone: "test." nodefault',
      '  local-zone: "example." nodefault',
      '  trust-anchor-signaling: no',
      '  use-syslog: no',
      '  username: ""',
      '  chroot: ""',
      'forward-zone:',
      '  name: "."',
      `  forward-addr: ${proxy.host}@${proxy.port}`,
      '',
    ].join('\n'),
  );
  return file;
}

async function latency(): Promise<{ rows: Row[]; tools: Record<string, string> }> {
  const rows: Row[] = [];
  const tools: Record<string, string> = {};
  const haveDelv = (await run('delv', ['-v'])).out.trim();
  const haveUh = (await run('unbound-host', ['-h'])).out.match(/Version\s+\S+/)?.[0] ?? '';
  if (haveDelv && !/not found|ENOENT/i.test(haveDelv)) tools.delv = haveDelv.split('\n')[0];
  if (haveUh) tools['unbound-host'] = `unbound-host ${haveUh}`;
  mkdirSync(RESULTS, { recursive: true });
  const tmp = path.join(RESULTS, 'unbound-host.conf.tmp');

  // Warm the resolver's cache for every name, so that the injected delay is the whole round trip.
  net.delay = 0;
  const warmUp = newValidator();
  const allHosts = new Set<string>();
  for (const s of SCENARIOS) for (const rtt of RTTS) for (let i = 0; i < RUNS[rtt]; i++) allHosts.add(s.host(i, rtt));
  for (const p of SCENARIOS.flatMap((s) => s.prime)) allHosts.add(p);
  await mapLimit([...allHosts], 8, (h) => verdict(warmUp, h));

  for (const rtt of RTTS) {
    const q1 = await oneQueryMs(rtt);
    const proxy = await startDelayProxy({ host: PROXY_HOST, upstream: unboundDns, delayMs: rtt });
    const conf = unboundHostConf(proxy, tmp);
    log(`RTT ${rtt} ms: one query through the front ${r1(q1)} ms`);
    for (const s of SCENARIOS) {
      const runs: (OursRun & { timeline?: Row['timeline'] })[] = [];
      const n = quick ? 3 : RUNS[rtt];
      for (let i = 0; i < n; i++) runs.push(await oursOnce(s, i, rtt, i === 0 && rtt === RTTS[RTTS.length - 1]));
      const walls = runs.map((r) => r.wallMs);
      const cpus = runs.map((r) => r.cpuMs);
      const row: Row = {
        scenario: s.id,
        kind: s.kind,
        rttMs: rtt,
        oneQueryMs: r2(q1),
        runs: n,
        wallMs: { median: r1(median(walls)), min: r1(Math.min(...walls)), max: r1(Math.max(...walls)) },
        wallPerRtt: rtt > 0 ? r2(median(walls) / rtt) : null,
        wallPerQuery: r2(median(walls) / q1),
        rounds: median(runs.map((r) => r.rounds)),
        queries: median(runs.map((r) => r.queries)),
        frontQueries: median(runs.map((r) => r.frontQueries)),
        cpuMs: { median: r1(median(cpus)), max: r1(Math.max(...cpus)) },
        state: [...new Set(runs.map((r) => r.state))].join(', '),
        timeline: runs[0].timeline,
      };
      if (s.ref) {
        const rn = quick ? 1 : REF_RUNS[rtt];
        if (tools.delv) {
          const ref = await refRow('delv', rn, s.ref, proxy, conf);
          row.delv = { ...ref, oursOverDelv: r2(row.wallMs.median / ref.wallMs) };
        }
        if (tools['unbound-host']) {
          const ref = await refRow('unbound-host', rn, s.ref, proxy, conf);
          row.unboundHost = { ...ref, oursOverUnboundHost: r2(row.wallMs.median / ref.wallMs) };
        }
      }
      rows.push(row);
      log(
        `  ${s.id.padEnd(15)} ${String(row.wallMs.median).padStart(7)} ms  ×RTT ${row.wallPerRtt ?? '—'}  rounds ${row.rounds}  q ${row.queries}/${row.frontQueries}  cpu ${row.cpuMs.median}` +
          (row.delv ? `  delv ${row.delv.wallMs} ms (${row.delv.queries} q)` : '') +
          (row.unboundHost ? `  unbound-host ${row.unboundHost.wallMs} ms (${row.unboundHost.queries} q)` : ''),
      );
    }
    await proxy.close();
  }
  rmSync(tmp, { force: true });
  return { rows, tools };
}

// ------------------------------------------------------------------ throughput
function throughputNames(): string[] {
  const names = new Set<string>();
  for (let i = 0; i < world.bench.hosts; i++) names.add(`h${i}.bench.test`);
  for (const c of catalogue.cases) names.add(c.host);
  // Distinct names in other zones: wildcard expansions (NSEC and NSEC3) and NXDOMAIN (NSEC, NSEC3 with salt).
  const extra = ['w{k}.wild.test', 'w{k}.wild.example', 'nx{k}.nsec3salt.example', 'nx{k}.alg13.test', 'nx{k}.nsec3.test', 'nx{k}.dane.test'];
  for (let k = 0; names.size < THROUGHPUT_NAMES; k++) names.add(extra[k % extra.length].replace('{k}', String(k)));
  return [...names].slice(0, THROUGHPUT_NAMES);
}

async function throughput() {
  net.delay = 0;
  const names = throughputNames();
  const v = newValidator();
  // Warm TLD keys: one verdict under each TLD first.
  await verdict(v, 'www.alg13.test');
  await verdict(v, 'www.nsec3salt.example');
  const zones = new Set(names.map((n) => n.split('.').slice(-2).join('.')));
  const states: Record<string, number> = {};
  let queries = 0;
  const walls: number[] = [];
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapLimit(names, CONCURRENCY, async (h) => {
    const t = performance.now();
    const hv = await verdict(v, h);
    walls.push(performance.now() - t);
    queries += hv.ctx.fetcher.sent;
    const st = stateOf(hv).split(' ')[0];
    states[st] = (states[st] ?? 0) + 1;
  });
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(cpu0));
  const out = {
    names: names.length,
    zones: zones.size,
    concurrency: CONCURRENCY,
    rttMs: 0,
    wallMs: Math.round(wall),
    verdictsPerSecond: r1(names.length / (wall / 1000)),
    queriesPerVerdict: r2(queries / names.length),
    queriesPerSecond: Math.round(queries / (wall / 1000)),
    latencyMs: { p50: r1(pct(walls, 50)), p95: r1(pct(walls, 95)), max: r1(Math.max(...walls)) },
    cpuMsPerVerdict: r2(cpu / names.length),
    cpuShareOfOneCore: r2(cpu / wall),
    states,
  };
  log(`throughput: ${out.verdictsPerSecond} verdicts/s (${out.names} names, ${out.zones} zones, ${out.queriesPerVerdict} q/verdict, cpu ${out.cpuMsPerVerdict} ms/verdict)`);
  return out;
}

// ------------------------------------------------------------------ CPU per cold verdict (bench/cpu.ts)
const CPU_RUNS = quick ? 10 : 100;
async function cpuSection() {
  const per = (await cpuPerVerdict(CPU_RUNS))
    .map((r) => ({ host: r.host, cpuMs: r.cpuMsPerVerdict, wallMs: r.wallMsPerVerdict, queries: r.queries, cryptoOps: r.cryptoOps, state: r.state }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const cpus = per.map((p) => p.cpuMs);
  const out = { verdicts: per.length, cold: true, rttMs: 0, runsPerCase: CPU_RUNS, source: 'replay fixture (answers from memory)', medianMs: r2(median(cpus)), p90Ms: r2(pct(cpus, 90)), worst: per.slice(0, 5) };
  log(`cpu per cold verdict: median ${out.medianMs} ms, worst ${per[0].cpuMs} ms (${per[0].host})`);
  return out;
}

// ------------------------------------------------------------------ worst-case CPU per verdict (hostile input)
/**
 * The resource-limit zones of the world (catalogue category "limits": KeyTrap, NSEC3 with 500
 * iterations, 12 delegations, long CNAME chains, ~64 KiB answers) and a few lying-front attacks:
 * CPU per cold verdict (new Validator, warm HTTP/2 session, RTT 0), with the work the named
 * limits allowed (crypto operations, NSEC3 hashes, queries).
 */
const WORST_RUNS = quick ? 3 : 7;
async function worstCase() {
  net.delay = 0;
  const targets: { what: string; host: string; url: string }[] = [
    ...catalogue.cases.filter((c) => c.category === 'limits').map((c) => ({ what: c.id, host: c.host, url: delayUrl(0) })),
    { what: 'cname-chain-12 (resolvers give up)', host: 'c0.limits.test', url: delayUrl(0) },
    ...(['strip-rrsig', 'forge-a', 'nsec-not-covering', 'wildcard-replay', 'cname-loop'] as const).map((a) => ({
      what: `lying front: ${a}`,
      host: { 'wildcard-replay': 'ns1.wild.test', 'cname-loop': 'alias.cname.test' }[a as string] ?? 'www.alg13.test',
      url: `${world.front.base}/lie/${a}/dns-query`,
    })),
  ];
  const rows: { what: string; host: string; state: string; cpuMs: { median: number; max: number }; wallMs: number; cryptoOps: number; nsec3Hashes: number; queries: number }[] = [];
  for (const t of targets) {
    const cpus: number[] = [];
    const walls: number[] = [];
    let last: { hv: HostVerdict; ops: number; hashes: number } | null = null;
    for (let i = 0; i <= WORST_RUNS; i++) {
      const v = new Validator({ resolver: new DohClient({ urls: [t.url], fetch, retries: 0 }), anchors, signatures: nodeCryptoBackend });
      const ctx = v.context();
      gc();
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      const hv = await validateHost(v, host(t.host), PORT, ctx);
      if (i === 0) continue; // resolver cache and JIT warm-up
      cpus.push(cpuMs(process.cpuUsage(cpu0)));
      walls.push(performance.now() - w0);
      last = { hv, ops: LIMITS.maxCryptoOpsPerVerdict - ctx.budget.cryptoOps, hashes: LIMITS.maxNsec3HashesPerVerdict - ctx.budget.hashes };
    }
    const hv = last!.hv;
    const reason = hv.a.reason?.code ?? hv.tlsa.reason?.code;
    rows.push({
      what: t.what,
      host: t.host,
      state: `${stateOf(hv)}${reason ? ` (${reason})` : ''}`,
      cpuMs: { median: r2(median(cpus)), max: r2(Math.max(...cpus)) },
      wallMs: r1(median(walls)),
      cryptoOps: last!.ops,
      nsec3Hashes: last!.hashes,
      queries: hv.ctx.fetcher.sent,
    });
  }
  // What the limits save: the cost of one failing ECDSA P-256 verification, times what KeyTrap asks for.
  const { publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const sig = new Uint8Array(64).fill(7);
  const data = new Uint8Array(200);
  const n = 300;
  const v0 = performance.now();
  for (let i = 0; i < n; i++) await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, sig, data);
  const perVerifyMs = (performance.now() - v0) / n;
  const worst = rows.reduce((a, r) => (r.cpuMs.max > a.cpuMs.max ? r : a), rows[0]);
  const out = {
    runs: WORST_RUNS,
    limits: { ...LIMITS },
    rows,
    worst: { what: worst.what, host: worst.host, cpuMs: worst.cpuMs.max },
    ecdsaP256VerifyMs: Math.round(perVerifyMs * 1000) / 1000,
    keytrapUnboundedPerRRsetMs: r1(30 * 16 * perVerifyMs),
    keytrapBoundedPerVerdictMs: r1(LIMITS.maxCryptoOpsPerVerdict * perVerifyMs),
  };
  log(`worst-case CPU per verdict: ${out.worst.cpuMs} ms (${out.worst.what}); KeyTrap without limits ≈ ${out.keytrapUnboundedPerRRsetMs} ms per RRset, with limits ≤ ${out.keytrapBoundedPerVerdictMs} ms per verdict`);
  return out;
}

function worstCaseMarkdown(w: Awaited<ReturnType<typeof worstCase>>): string[] {
  const L: string[] = [];
  L.push('## Worst-case CPU per verdict (hostile zones and lying resolvers)', '');
  L.push(
    `Cold validator per run (warm HTTP/2 session, RTT 0), ${w.runs} runs each after one warm-up; world zones of catalogue category "limits" through the front (unbound), and lying-front attacks (\`/lie/<attack>/dns-query\`). ` +
      `Limits: ${w.limits.maxCryptoOpsPerVerdict} crypto ops, ${w.limits.maxNsec3HashesPerVerdict} NSEC3 hashes, ${w.limits.maxQueriesPerVerdict} queries per verdict; ${w.limits.maxSignaturesPerRRset} RRSIGs per RRset, ${w.limits.maxKeysPerSignature} keys per key tag, NSEC3 iterations ≤ ${w.limits.maxNsec3Iterations}, ${w.limits.maxCnameChain} CNAME links, ${w.limits.maxChainDepth} zone cuts.`,
    '',
  );
  L.push('| case | host | state (reason) | CPU ms median | CPU ms max | wall ms | crypto ops | NSEC3 hashes | queries |', '|---|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of w.rows) L.push(`| ${r.what} | ${r.host} | ${r.state} | ${r.cpuMs.median} | ${r.cpuMs.max} | ${r.wallMs} | ${r.cryptoOps} | ${r.nsec3Hashes} | ${r.queries} |`);
  L.push(
    '',
    `Worst: **${w.worst.cpuMs} ms** CPU (${w.worst.what}). One failing ECDSA P-256 verification costs ${w.ecdsaP256VerifyMs} ms here: KeyTrap's 30 keys × 16 RRSIGs would be ≈ ${w.keytrapUnboundedPerRRsetMs} ms per RRset without limits; the per-verdict budget caps it at ≈ ${w.keytrapBoundedPerVerdictMs} ms.`,
    '',
  );
  return L;
}

// ------------------------------------------------------------------ memory
async function memory() {
  net.delay = 0;
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const v = newValidator();
  const caches = v.cfg.caches;
  const samples: { lookups: number; zones: number; steps: number; heapMB: number }[] = [];
  const types = [RRType.A, RRType.AAAA, RRType.TLSA];
  // Even i: one of h0..h499 × A/AAAA/TLSA (repeats); odd i: a distinct NXDOMAIN name hN.bench.test, N ≥ 500.
  const items = Array.from({ length: MEMORY_LOOKUPS }, (_, i) => {
    if (i % 2 === 1) return { name: host(`h${500 + i}.bench.test`), type: RRType.A };
    const k = (i >> 1) % world.bench.hosts;
    const type = types[Math.floor((i >> 1) / world.bench.hosts) % 3];
    return { name: host(type === RRType.TLSA ? `_${PORT}._tcp.h${k}.bench.test` : `h${k}.bench.test`), type };
  });
  const states: Record<string, number> = {};
  let done = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await mapLimit(items, MEMORY_CONCURRENCY, async (q) => {
    const r = await v.lookup(q.name, q.type);
    states[`${r.state} ${r.result}`] = (states[`${r.state} ${r.result}`] ?? 0) + 1;
    if (++done % 1000 === 0) samples.push({ lookups: done, zones: caches.zones.size, steps: caches.steps.size, heapMB: r1(process.memoryUsage().heapUsed / 2 ** 20) });
  });
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(cpu0));
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const out = {
    lookups: MEMORY_LOOKUPS,
    distinctNxNames: MEMORY_LOOKUPS / 2,
    wallMs: Math.round(wall),
    lookupsPerSecond: Math.round(MEMORY_LOOKUPS / (wall / 1000)),
    cpuMsPerLookup: r2(cpu / MEMORY_LOOKUPS),
    gcExposed: gcFn !== undefined,
    heapUsedBeforeMB: r1(heap0 / 2 ** 20),
    heapUsedAfterMB: r1(heap1 / 2 ** 20),
    retainedMB: r1((heap1 - heap0) / 2 ** 20),
    caches: { zones: { size: caches.zones.size, cap: caches.zones.max }, steps: { size: caches.steps.size, cap: caches.steps.max } },
    bounded: caches.zones.size <= caches.zones.max && caches.steps.size <= caches.steps.max,
    bytesPerCacheEntry: Math.round((heap1 - heap0) / Math.max(1, caches.zones.size + caches.steps.size)),
    samples,
    states,
  };
  log(`memory: ${out.lookups} lookups, heap ${out.heapUsedBeforeMB} → ${out.heapUsedAfterMB} MB, zones ${out.caches.zones.size}/${out.caches.zones.cap}, steps ${out.caches.steps.size}/${out.caches.steps.cap}`);
  // Keep `v` alive until measured.
  void v.cfg;
  return out;
}

// ------------------------------------------------------------------ report
function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: r1(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map(r2),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

function markdown(res: Awaited<ReturnType<typeof main>>): string {
  const m = res.machine;
  const L: string[] = [];
  L.push('# Benchmark: verdict latency, throughput, memory', '');
  L.push(`${m.date} · ${m.cpu} × ${m.cores} cores · ${m.memoryGB} GB · Node ${m.node} · ${m.platform} · load average ${m.loadAverage.join(' ')} at start, ${((m as { loadAverageEnd?: number[] }).loadAverageEnd ?? []).join(' ')} at end (the machine is shared: other work inflates CPU and wall figures)`, '');
  L.push(`Reference tools: ${Object.values(res.tools).join('; ') || 'none'}. Resolver behind the front and the proxy: the world's unbound (cache warmed first). Explanations: [bench/README.md](../README.md).`, '');
  L.push('## Verdict latency (validateHost: A + AAAA + TLSA, port 443)', '');
  L.push('| scenario | RTT ms | 1 query ms | wall ms median (min–max) | wall ÷ RTT | wall ÷ 1 query | query waves | queries (ours/front) | CPU ms | delv ms (q) | ours ÷ delv | unbound-host ms (q) | ours ÷ u-h | state |');
  L.push('|---|---:|---:|---|---:|---:|---:|---|---:|---|---:|---|---:|---|');
  const order = (r: Row) => SCENARIOS.findIndex((x) => x.id === r.scenario) * 1e6 + r.rttMs;
  const core = [...res.latency].sort((a, b) => order(a) - order(b));
  for (const r of core) {
    L.push(
      `| ${r.scenario} | ${r.rttMs} | ${r.oneQueryMs} | ${r.wallMs.median} (${r.wallMs.min}–${r.wallMs.max}) | ${r.wallPerRtt ?? '—'} | ${r.wallPerQuery} | ${r.rounds} | ${r.queries}/${r.frontQueries} | ${r.cpuMs.median} | ` +
        `${r.delv ? `${r.delv.wallMs} (${r.delv.queries})${r.delv.ok ? '' : ' ✗'}` : '—'} | ${r.delv?.oursOverDelv ?? '—'} | ` +
        `${r.unboundHost ? `${r.unboundHost.wallMs} (${r.unboundHost.queries})${r.unboundHost.ok ? '' : ' ✗'}` : '—'} | ${r.unboundHost?.oursOverUnboundHost ?? '—'} | ${r.state} |`,
    );
  }
  L.push('', 'Scenarios:', '');
  for (const s of SCENARIOS) L.push(`- **${s.id}** — ${s.what}`);
  L.push('', `### Query timelines at RTT ${RTTS[RTTS.length - 1]} ms (first run; wave = sequential round)`, '');
  for (const r of core.filter((x) => x.timeline && x.timeline.length > 0)) {
    L.push(`**${r.scenario}**: ${r.rounds} waves`, '', '```');
    for (const t of r.timeline!) L.push(`wave ${t.wave}  ${String(t.startMs).padStart(6)} → ${String(t.endMs).padStart(6)} ms  ${t.q}`);
    L.push('```', '');
  }
  const t = res.throughput;
  L.push('## Throughput (RTT 0, warm TLD keys)', '');
  L.push('| names | zones | concurrency | wall ms | verdicts/s | queries/verdict | queries/s | latency p50/p95/max ms | CPU ms/verdict | CPU share of 1 core | states (address) |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|');
  L.push(
    `| ${t.names} | ${t.zones} | ${t.concurrency} | ${t.wallMs} | ${t.verdictsPerSecond} | ${t.queriesPerVerdict} | ${t.queriesPerSecond} | ${t.latencyMs.p50}/${t.latencyMs.p95}/${t.latencyMs.max} | ${t.cpuMsPerVerdict} | ${t.cpuShareOfOneCore} | ${Object.entries(t.states).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
  );
  const c = res.cpu;
  L.push('', '## CPU per cold verdict (bench/cpu.ts: each replay-fixture case, new Validator, answers from memory)', '');
  L.push(`median ${c.medianMs} ms, p90 ${c.p90Ms} ms over ${c.verdicts} cases (${c.runsPerCase} verdicts each); worst:`, '');
  L.push('| host | CPU ms | wall ms | crypto ops | queries | state |', '|---|---:|---:|---:|---:|---|');
  for (const w of c.worst) L.push(`| ${w.host} | ${w.cpuMs} | ${w.wallMs} | ${w.cryptoOps} | ${w.queries} | ${w.state} |`);
  const mem = res.memory;
  L.push('', `## Memory after ${mem.lookups} lookups (${mem.distinctNxNames} distinct NXDOMAIN names + h0..h499 × A/AAAA/TLSA)`, '');
  L.push('| heap before MB | heap after MB | retained MB | zones size/cap | steps size/cap | bounded | bytes/entry | lookups/s | CPU ms/lookup |');
  L.push('|---:|---:|---:|---|---|---|---:|---:|---:|');
  L.push(
    `| ${mem.heapUsedBeforeMB} | ${mem.heapUsedAfterMB} | ${mem.retainedMB} | ${mem.caches.zones.size}/${mem.caches.zones.cap} | ${mem.caches.steps.size}/${mem.caches.steps.cap} | ${mem.bounded ? 'yes' : 'NO'} | ${mem.bytesPerCacheEntry} | ${mem.lookupsPerSecond} | ${mem.cpuMsPerLookup} |`,
  );
  L.push('', 'Cache growth (every 1,000 lookups): ' + mem.samples.map((s) => `${s.lookups}: ${s.zones}/${s.steps}`).join(' · '), '');
  L.push(...worstCaseMarkdown(res.worstCase));
  L.push(...startupMarkdown(res.startup));
  L.push(`Worst CPU per verdict observed anywhere in this run: ${res.worstCpuMs.ms} ms (${res.worstCpuMs.where}).`, '');
  L.push('', ...queriesMarkdown(res.queriesPerVerdict));
  return L.join('\n');
}

async function main() {
  // Open the HTTP/2 session before anything is timed.
  await net.client(0).query(host('.'), RRType.NS);
  const lat = await latency();
  const tp = await throughput();
  const cpu = await cpuSection();
  const worst = await worstCase();
  const mem = await memory();
  const queries = await queriesPerVerdict(catalogue.cases, () => new DohClient({ urls: [delayUrl(0)], fetch, retries: 0 }), anchors);
  const start = await startup(world, { runs: quick ? 5 : 15, log });
  const worstLat = lat.rows.reduce((a, r) => (r.cpuMs.max > a.cpuMs.max ? r : a), lat.rows[0]);
  const candidates = [
    { ms: cpu.worst[0].cpuMs, where: `cold verdict of ${cpu.worst[0].host} (replayed answers)` },
    { ms: worstLat.cpuMs.max, where: `${worstLat.scenario} at RTT ${worstLat.rttMs}` },
    { ms: worst.worst.cpuMs, where: `hostile input: ${worst.worst.what} (${worst.worst.host})` },
  ];
  const worstCpuMs = candidates.reduce((a, c) => (c.ms > a.ms ? c : a));
  return {
    machine: machine(),
    tools: lat.tools,
    settings: { rtts: RTTS, runs: RUNS, refRuns: REF_RUNS, port: PORT, front: world.front.base, resolver: 'unbound (world)', proxy: PROXY_HOST, quick },
    latency: lat.rows,
    throughput: tp,
    cpu,
    worstCase: worst,
    memory: mem,
    queriesPerVerdict: queries,
    startup: start,
    worstCpuMs,
    totalSeconds: 0,
  };
}

const loadAtStart = os.loadavg().map(r2);
// `--batch`: only the `check --batch` bench (bench/batch.ts → bench/results/batch.{json,md}); the full run ends with it.
if (process.argv.includes('--batch')) {
  fetch.close();
  await (await import('./batch')).runBatchBench({ quick });
  process.exit(0);
}
if (process.argv.includes('--worst-case')) {
  // Only this section: bench/results/worst-case.{json,md} (latest.* are left alone).
  await net.client(0).query(host('.'), RRType.NS);
  const w = { machine: machine(), worstCase: await worstCase() };
  fetch.close();
  mkdirSync(RESULTS, { recursive: true });
  const md = ['# Benchmark: worst-case CPU per verdict', '', `${w.machine.date} · ${w.machine.cpu} × ${w.machine.cores} cores · Node ${w.machine.node} · load average ${loadAtStart.join(' ')}`, '', ...worstCaseMarkdown(w.worstCase)].join('\n');
  writeFileSync(path.join(RESULTS, 'worst-case.json'), JSON.stringify(w, null, 2) + '\n');
  writeFileSync(path.join(RESULTS, 'worst-case.md'), md + '\n');
  process.stdout.write(md + '\n');
  log('written bench/results/worst-case.json and worst-case.md');
  await sleep(50);
  process.exit(0);
}
const res = await main();
fetch.close();
res.machine.loadAverage = loadAtStart;
(res.machine as ReturnType<typeof machine> & { loadAverageEnd?: number[] }).loadAverageEnd = os.loadavg().map(r2);
res.totalSeconds = Math.round(performance.now() / 1000);
mkdirSync(RESULTS, { recursive: true });
const md = markdown(res);
writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(res, null, 2) + '\n');
writeFileSync(path.join(RESULTS, 'latest.md'), md + '\n');
process.stdout.write(md + '\n');
log(`written bench/results/latest.json and latest.md (${res.totalSeconds} s)`);
await (await import('./batch')).runBatchBench({ quick });
// Lingering HTTP/2 or timers must not keep the process alive.
await sleep(50);
process.exit(0);
