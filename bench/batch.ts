/**
 * Batch bench (issue #15 part 5): `check --batch` as an operator runs it — the real command in a
 * child process (`node bin/check.js --batch <file> --report <html>`), stdout to a file — on 10,000
 * world names through the front's latency injection (`/delay/<ms>/dns-query`) at RTT 0 and 50 ms,
 * plus `--mx` at RTT 50. Figures: names per second, peak RSS of the check process (`/usr/bin/time
 * -f %M`), CPU, queries per name (the front's own count), the level counts of the summary, and
 * what 170,000 names would take. Writes bench/results/batch.{json,md}.
 *
 * Run alone: `npm run bench -- --batch` (or `tsx bench/batch.ts`); the full `npm run bench` ends with it.
 * Not a test: nothing is asserted about time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BATCH_LIMITS } from '../src/cli/batch-limits';
import { httpsFetch } from '../src/cli/https-fetch';
import { readCatalogue, readWorld, startWorld, worldStatus } from '../test/world/world.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(HERE);
const RESULTS = path.join(HERE, 'results');
const TARGET = 170_000;
const log = (s: string) => process.stderr.write(s + '\n');
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The name mix: every name distinct (a repeated name would be answered from the validator's answer
 * cache, which a real list of distinct domains never is). h0..h499.bench.test (signed, TLSA), every
 * catalogue host once (secure, insecure, bogus, CNAME, DANE, limit cases), then round-robin:
 * wildcard expansions (NSEC and NSEC3 zones) and non-existent names (NSEC, NSEC3, NSEC3 with salt).
 */
const PATTERNS = ['w{k}.wild.test', 'w{k}.wild.example', 'nx{k}.nsec3salt.example', 'nx{k}.alg13.test', 'nx{k}.nsec3.test', 'nx{k}.dane.test', 'nx{k}.bench.test'];
function hostMix(n: number, benchHosts: number, catalogueHosts: string[]): { names: string[]; mix: Record<string, number> } {
  const names = new Set<string>();
  const mix: Record<string, number> = {};
  const add = (name: string, what: string) => {
    if (names.size >= n || names.has(name)) return;
    names.add(name);
    mix[what] = (mix[what] ?? 0) + 1;
  };
  for (let i = 0; i < benchHosts; i++) add(`h${i}.bench.test`, 'hN.bench.test (signed, TLSA)');
  for (const h of catalogueHosts) add(h, 'catalogue hosts (all categories)');
  for (let k = 0; names.size < n; k++) {
    const p = PATTERNS[k % PATTERNS.length];
    add(p.replace('{k}', String(k)), p.startsWith('w') ? `wildcard expansion ${p}` : `non-existent ${p}`);
  }
  return { names: [...names], mix };
}

/** Mail domains: the catalogue's, then names without MX (implicit MX: the name is its own mail host) and non-existent ones. */
function mailMix(n: number, domains: string[]): { names: string[]; mix: Record<string, number> } {
  const { names: hosts, mix: hm } = hostMix(n, 0, domains);
  const mix: Record<string, number> = { 'catalogue mail domains': domains.length };
  for (const [k, v] of Object.entries(hm)) if (!k.startsWith('catalogue')) mix[k] = v;
  return { names: hosts, mix };
}

interface Run {
  what: string;
  mode: 'host' | 'mx';
  rttMs: number;
  names: number;
  jobs: number;
  wallS: number;
  namesPerSecond: number;
  peakRssMB: number | null;
  cpuS: number | null;
  cpuShareOfOneCore: number | null;
  frontQueries: number;
  queriesPerName: number;
  objects: number;
  levels: Record<string, number>;
  reportMB: number;
  exitCode: number;
}

async function frontCount(fetch: ReturnType<typeof httpsFetch>, statsUrl: string, delay: number): Promise<number> {
  const r = await fetch(statsUrl, { method: 'GET', headers: {} });
  const j = JSON.parse(Buffer.from(await r.arrayBuffer()).toString('utf8')) as { byDelay?: Record<string, number> };
  return j.byDelay?.[String(delay)] ?? 0;
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const l of createInterface({ input: createReadStream(file) })) if (l) n++;
  return n;
}

/** Old-space limit of the heap-capped run: a batch whose memory grew with the list would die of it. */
const HEAP_CAP_MB = 64;

async function oneRun(o: { what: string; mode: 'host' | 'mx'; rtt: number; list: string; names: number; jobs: number; tmp: string; fetch: ReturnType<typeof httpsFetch>; heapCapMB?: number }): Promise<Run> {
  const world = readWorld();
  const url = `${world.front.base}/delay/${o.rtt}/dns-query`;
  const out = path.join(o.tmp, `out-${o.mode}-${o.rtt}.jsonl`);
  const report = o.heapCapMB ? null : path.join(o.tmp, `report-${o.mode}-${o.rtt}.html`);
  const args = [
    ...(o.heapCapMB ? [`--max-old-space-size=${o.heapCapMB}`] : []),
    'bin/check.js', '--batch', o.list, '--resolver', url, '--trust-anchor', world.trustAnchor.zone, '--jobs', String(o.jobs),
    ...(report ? ['--report', report] : []),
    ...(o.mode === 'mx' ? ['--mx'] : []),
  ];
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const before = await frontCount(o.fetch, world.front.stats, o.rtt);
  const fd = openSync(out, 'w');
  const t0 = performance.now();
  const child = timeBin
    ? spawn(timeBin, ['-f', 'BENCH-TIME %M %U %S', process.execPath, ...args], { cwd: REPO, env: { ...process.env, NODE_EXTRA_CA_CERTS: world.ca }, stdio: ['ignore', fd, 'pipe'] })
    : spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, NODE_EXTRA_CA_CERTS: world.ca }, stdio: ['ignore', fd, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  const wallS = (performance.now() - t0) / 1000;
  closeSync(fd);
  const after = await frontCount(o.fetch, world.front.stats, o.rtt);
  const t = /BENCH-TIME (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
  const cpuS = t ? Number(t[2]) + Number(t[3]) : null;
  const levels: Record<string, number> = {};
  const summary = stderr.split('\n').find((l) => l.includes('✗ failing')) ?? '';
  for (const part of summary.trim().split(' · ')) {
    const m = /^\S+ (.+) (\d+)$/.exec(part);
    if (m) levels[m[1]] = Number(m[2]);
  }
  if (code !== 0) log(`  exit ${code}: ${stderr.slice(-500)}`);
  return {
    what: o.what,
    mode: o.mode,
    rttMs: o.rtt,
    names: o.names,
    jobs: o.jobs,
    wallS: r1(wallS),
    namesPerSecond: r1(o.names / wallS),
    peakRssMB: t ? r1(Number(t[1]) / 1024) : null,
    cpuS: cpuS !== null ? r1(cpuS) : null,
    cpuShareOfOneCore: cpuS !== null ? Math.round((cpuS / wallS) * 100) / 100 : null,
    frontQueries: after - before,
    queriesPerName: Math.round(((after - before) / o.names) * 100) / 100,
    objects: await countLines(out),
    levels,
    reportMB: report ? r1(statSync(report).size / 2 ** 20) : 0,
    exitCode: code,
  };
}

/**
 * A verdict whose zone keys are cold vs warm (bench/results/latest.json, RTT 0): CPU (what bounds a
 * CPU-bound run) and queries (what bounds a run held by the per-resolver cap), to scale world figures
 * to real lists where each domain is its own zone.
 */
function coldZoneFactor(): { cpu: number; queries: number; from: string } | null {
  try {
    const j = JSON.parse(readFileSync(path.join(RESULTS, 'latest.json'), 'utf8')) as { latency: { scenario: string; rttMs: number; cpuMs: { median: number }; queries: number; variant: string }[] };
    const row = (s: string) => j.latency.find((r) => r.scenario === s && r.rttMs === 0 && r.variant === 'core');
    const cold = row('cold-3label');
    const warm = row('warm-zone');
    if (!cold || !warm || !warm.cpuMs.median || !warm.queries) return null;
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      cpu: r2(cold.cpuMs.median / warm.cpuMs.median),
      queries: r2(cold.queries / warm.queries),
      from: `latest.json at RTT 0: cold-3label ${cold.cpuMs.median} ms CPU / ${cold.queries} queries per verdict, warm-zone ${warm.cpuMs.median} ms / ${warm.queries}`,
    };
  } catch {
    return null;
  }
}

const fmtDuration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : `${Math.round(s / 60)} min`);

export async function runBatchBench(opts: { quick?: boolean } = {}) {
  if (!(await worldStatus()).running) {
    log('world not running: starting it (node test/world/cli.mjs start)');
    await startWorld({ log });
  }
  const world = readWorld();
  const catalogue = readCatalogue();
  const n = opts.quick ? 2000 : 10_000;
  const jobs = BATCH_LIMITS.defaultJobs;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
  const fetch = httpsFetch({ ca: readFileSync(world.ca) });
  const hosts = hostMix(n, world.bench.hosts, [...new Set(catalogue.cases.map((c) => c.host))]);
  const mail = mailMix(n, (catalogue.mail ?? []).map((m) => m.domain));
  const hostList = path.join(tmp, 'hosts.txt');
  const mailList = path.join(tmp, 'mail.txt');
  writeFileSync(hostList, hosts.names.join('\n') + '\n');
  writeFileSync(mailList, mail.names.join('\n') + '\n');
  const load0 = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const runs: Run[] = [];
  for (const [what, mode, rtt, heapCapMB] of [
    ['hosts', 'host', 0, 0],
    ['hosts', 'host', 50, 0],
    ['mail domains (--mx)', 'mx', 50, 0],
    [`hosts, no report, heap capped at ${HEAP_CAP_MB} MB`, 'host', 0, HEAP_CAP_MB],
  ] as const) {
    log(`batch bench: ${n} ${what} at RTT ${rtt} ms, --jobs ${jobs} …`);
    const r = await oneRun({ what, mode, rtt, list: mode === 'mx' ? mailList : hostList, names: n, jobs, tmp, fetch, heapCapMB });
    runs.push(r);
    log(`  ${r.namesPerSecond} names/s, ${r.wallS} s, peak RSS ${r.peakRssMB} MB, CPU share ${r.cpuShareOfOneCore}, ${r.queriesPerName} queries/name, ${r.objects} objects`);
  }
  fetch.close();
  rmSync(tmp, { recursive: true, force: true });
  const factor = coldZoneFactor();
  const estimates = runs.filter((r) => !r.what.includes('heap capped')).map((r) => {
    const s = TARGET / r.namesPerSecond;
    // At RTT 0 the batch is CPU-bound (scale by CPU); with a round trip it is held by the per-resolver cap (scale by queries).
    const f = factor ? (r.rttMs === 0 ? factor.cpu : factor.queries) : null;
    return { what: r.what, rttMs: r.rttMs, seconds: Math.round(s), withColdZones: f !== null ? Math.round(s * f) : null, factor: f };
  });
  const res = {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, date: new Date().toISOString(), loadAverage: load0, loadAverageEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    settings: { names: n, jobs, maxQueriesInFlightPerResolver: BATCH_LIMITS.maxQueriesInFlightPerResolver, validatorCacheSize: BATCH_LIMITS.validatorCacheSize, front: world.front.base, report: true },
    mix: { hosts: hosts.mix, mail: mail.mix },
    runs,
    target: TARGET,
    coldZoneFactor: factor,
    estimates,
  };
  const L: string[] = [];
  L.push('# Benchmark: check --batch', '');
  L.push(`${res.machine.date} · ${res.machine.cpu} × ${res.machine.cores} cores · Node ${res.machine.node} · load average ${load0.join(' ')} at start, ${res.machine.loadAverageEnd.join(' ')} at end (shared machine)`, '');
  L.push(
    `The real command, \`node bin/check.js --batch <list> --jobs ${jobs} --report <html>\` (stdout to a file), against the world's DoH front \`/delay/<RTT>/dns-query\` (unbound behind it). ` +
      `Peak RSS from \`/usr/bin/time -f %M\` of the check process (Node + tsx alone: ~100 MB); wall time includes Node and tsx start-up (~0.5 s); queries counted by the front. ` +
      `The last run gives the check process a ${HEAP_CAP_MB} MB old-space heap (\`node --max-old-space-size=${HEAP_CAP_MB}\`): it finishes (exit 0, every object written) only if memory does not grow with the list. ` +
      `Per-resolver cap: ${BATCH_LIMITS.maxQueriesInFlightPerResolver} DoH requests in flight; one validator for the batch, caches bounded at ${BATCH_LIMITS.validatorCacheSize} zone entries.`,
    '',
  );
  L.push('| names | RTT ms | names | wall s | names/s | peak RSS MB | CPU s | CPU share of 1 core | queries/name | objects out | report MB | exit | levels |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of runs) {
    L.push(
      `| ${r.what} | ${r.rttMs} | ${r.names} | ${r.wallS} | **${r.namesPerSecond}** | **${r.peakRssMB ?? '—'}** | ${r.cpuS ?? '—'} | ${r.cpuShareOfOneCore ?? '—'} | ${r.queriesPerName} | ${r.objects} | ${r.reportMB} | ${r.exitCode} | ${Object.entries(r.levels)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} |`,
    );
  }
  for (const r of runs.filter((x) => x.rttMs > 0)) {
    L.push(
      '',
      `At RTT ${r.rttMs} ms (${r.what}) the per-resolver cap bounds the rate: ${BATCH_LIMITS.maxQueriesInFlightPerResolver} requests in flight ÷ (${r.rttMs} ms × ${r.queriesPerName} queries per name) ≈ ${r1(BATCH_LIMITS.maxQueriesInFlightPerResolver / ((r.rttMs / 1000) * r.queriesPerName))} names/s — deliberate: BIND drops a DoH client past ~40 streams, public resolvers rate-limit; more --jobs only queue.`,
    );
  }
  L.push('', '**Name mix** (every name distinct, so no line is answered from the answer cache):', '');
  L.push(`- hosts: ${Object.entries(hosts.mix).map(([k, v]) => `${v} × ${k}`).join('; ')}`);
  L.push(`- mail domains: ${Object.entries(mail.mix).map(([k, v]) => `${v} × ${k}`).join('; ')} — most have no MX, so they are their own mail host (implicit MX, RFC 5321 §5.1) or do not exist`, '');
  L.push(`## ${TARGET.toLocaleString('en')} names`, '');
  L.push(
    'The world has few zones (~30), so after the first names every zone key is cached; in a real list each domain is usually its own zone, whose DS and DNSKEY must be fetched and verified too. ' +
      (factor
        ? `The second figure scales by a cold-zone verdict over a warm-zone one (${factor.from}): at RTT 0 the batch is CPU-bound, so by CPU (×${factor.cpu}); at RTT 50 it is held by the per-resolver cap, so by queries (×${factor.queries}). The extra queries cost no extra round trip per name (the chain is prefetched in one wave).`
        : 'No latest.json to scale by: the figures assume warm zone keys.'),
    '',
  );
  L.push('| run | RTT ms | at the measured rate | with a cold zone per name |', '|---|---:|---:|---:|');
  for (const e of estimates) L.push(`| ${e.what} | ${e.rttMs} | ${fmtDuration(e.seconds)} | ${e.withColdZones !== null ? `${fmtDuration(e.withColdZones)} (×${e.factor})` : '—'} |`);
  L.push(
    '',
    `Memory: the report keeps one compact row per name (the page holds ${runs[0] ? Math.round((runs[0].reportMB * 2 ** 20) / runs[0].names) : '—'} bytes per row), so at ${TARGET.toLocaleString('en')} names the report is ~${runs[0] ? r1((runs[0].reportMB * TARGET) / runs[0].names) : '—'} MB and the rows in memory are of that order; without \`--report\` nothing grows with the list (input and output are streamed, the validator's caches are bounded).`,
    '',
  );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'batch.json'), JSON.stringify(res, null, 2) + '\n');
  writeFileSync(path.join(RESULTS, 'batch.md'), L.join('\n') + '\n');
  log('written bench/results/batch.json and batch.md');
  return res;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runBatchBench({ quick: process.argv.includes('--quick') });
  process.exit(0);
}
