/**
 * Start-up of the installed command (issue #19): `dnssec-tlsa --help` and one cold check (a new
 * process, nothing cached) at RTT 0, beside `node -e 0` and delv in the same run. Each command
 * runs `runs` times one after the other; the figure is the median wall time of the process
 * (spawn to exit), min and max beside it. Not a test: nothing is asserted.
 *
 * Part of `npm run bench` (bench/run.ts); alone: `tsx bench/startup.ts` (needs the world for the
 * checks; it is started if absent) → bench/results/startup.{json,md}.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'dnssec-tlsa.mjs');

export interface StartupWorld {
  ca: string;
  trustAnchor: { zone: string; bind: string };
  front: { base: string };
  resolvers: { unbound: { dns: string; port?: number } };
}

export interface StartupRow {
  id: string;
  command: string;
  runs: number;
  ms: { median: number; min: number; max: number };
  /** Exit status of the runs (all the same, or the list). */
  exit: string;
  /** Median ÷ the median of `node -e 0`. */
  overNode: number | null;
}

export interface StartupResult {
  date: string;
  node: string;
  cores: number;
  loadAverage: number[];
  bundleBytes: number;
  rows: StartupRow[];
  helpOverNode: number;
  note: string;
}

function once(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number; out: string }> {
  const t = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000, cwd: ROOT }, (e, so, se) => {
      const code = e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : -1) : 0;
      resolve({ ms: performance.now() - t, code, out: `${so}${se}` });
    });
  });
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Builds the bundle as the package does (npm run build:cli): the figures are for what ships. */
export function buildBundle(): void {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, stdio: 'ignore' });
}

export async function startup(world: StartupWorld, opts: { runs?: number; log?: (s: string) => void } = {}): Promise<StartupResult> {
  const runs = opts.runs ?? 15;
  const log = opts.log ?? (() => {});
  buildBundle();
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: world.ca, NO_COLOR: '1' };
  const resolver = `${world.front.base}/delay/0/dns-query`;
  const host = 'www.alg13.test';
  const unbound = world.resolvers.unbound;
  const delv = (type: string) => ['delv', [`@${unbound.dns}`, '-p', String(unbound.port ?? 53), '-a', world.trustAnchor.bind, '+root=.', '+cdflag', host, type]] as const;
  const commands: { id: string; cmd: string; args: string[]; parallel?: (readonly [string, readonly string[]])[] }[] = [
    { id: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { id: 'dnssec-tlsa --help', cmd: process.execPath, args: [BUNDLE, '--help'] },
    { id: 'dnssec-tlsa --version', cmd: process.execPath, args: [BUNDLE, '--version'] },
    { id: 'delv -v', cmd: 'delv', args: ['-v'] },
    { id: `dnssec-tlsa ${host} (cold, RTT 0)`, cmd: process.execPath, args: [BUNDLE, host, '--resolver', resolver, '--trust-anchor', world.trustAnchor.zone] },
    { id: `delv ${host} A (cold, RTT 0)`, cmd: delv('A')[0], args: [...delv('A')[1]] },
    { id: `delv ${host} A, AAAA, _443._tcp TLSA (3 processes in parallel, RTT 0)`, cmd: '', args: [], parallel: [delv('A'), delv('AAAA'), ['delv', [`@${unbound.dns}`, '-p', String(unbound.port ?? 53), '-a', world.trustAnchor.bind, '+root=.', '+cdflag', `_443._tcp.${host}`, 'TLSA']]] },
    { id: 'check --help through tsx (bin/check.js, before #19)', cmd: process.execPath, args: [path.join(ROOT, 'bin', 'check.js'), '--help'] },
  ];
  const rows: StartupRow[] = [];
  for (const c of commands) {
    const times: number[] = [];
    const codes = new Set<number>();
    // One untimed run first: the file cache warm, as for an operator's second call.
    for (let i = 0; i <= runs; i++) {
      let ms: number;
      if (c.parallel) {
        const t = performance.now();
        const rs = await Promise.all(c.parallel.map(([cmd, args]) => once(cmd, [...args], env)));
        ms = performance.now() - t;
        rs.forEach((r) => codes.add(r.code));
      } else {
        const r = await once(c.cmd, c.args, env);
        ms = r.ms;
        codes.add(r.code);
      }
      if (i > 0) times.push(ms);
    }
    const shown = (cmd: string, args: readonly string[]) => [cmd === process.execPath ? 'node' : cmd, ...args.map((a) => (a.startsWith(ROOT) ? path.relative(ROOT, a) : a))].join(' ');
    rows.push({ id: c.id, command: c.parallel ? c.parallel.map(([cmd, a]) => shown(cmd, a)).join(' & ') : shown(c.cmd, c.args), runs, ms: { median: r1(median(times)), min: r1(Math.min(...times)), max: r1(Math.max(...times)) }, exit: [...codes].join(','), overNode: null });
    log(`startup: ${c.id}: median ${r1(median(times))} ms`);
  }
  const nodeMs = rows[0].ms.median;
  for (const r of rows) r.overNode = Math.round((r.ms.median / nodeMs) * 100) / 100;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    bundleBytes: readdirSync(path.dirname(BUNDLE)).reduce((n, f) => n + statSync(path.join(path.dirname(BUNDLE), f)).size, 0),
    rows,
    helpOverNode: rows[1].overNode!,
    note: 'The check is A + AAAA + TLSA of _443._tcp with the whole chain validated from the root anchor; delv A is one question. The resolver is the world\'s DoH front at RTT 0 (ours) and the world\'s unbound over plain DNS (delv).',
  };
}

export function startupMarkdown(s: StartupResult): string[] {
  const L = ['## Start-up of the installed command (`dnssec-tlsa`, a new process each run)', ''];
  L.push(`${s.rows[0].runs} runs each after one untimed run · bundle dist/cli ${s.bundleBytes} bytes · \`--help\` = ${s.helpOverNode} × \`node -e 0\` (want ≤ 3) · Node ${s.node}, ${s.cores} cores, load average ${s.loadAverage.join(' ')} at start (a shared machine: the ratios are steadier than the milliseconds).`, '');
  L.push('| command | median ms | min–max ms | ÷ node -e 0 | exit |', '|---|---:|---|---:|---|');
  for (const r of s.rows) L.push(`| ${r.id} | ${r.ms.median} | ${r.ms.min}–${r.ms.max} | ${r.overNode} | ${r.exit} |`);
  L.push('', s.note, '');
  return L;
}

// Alone: `tsx bench/startup.ts`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { readWorld, startWorld, worldStatus } = await import('../test/world/world.mjs');
  if (!(await worldStatus()).running) await startWorld({ log: (s: string) => process.stderr.write(`${s}\n`) });
  const res = await startup(readWorld() as StartupWorld, { runs: process.argv.includes('--quick') ? 5 : 15, log: (s) => process.stderr.write(`${s}\n`) });
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'startup.json'), JSON.stringify(res, null, 2) + '\n');
  const md = ['# Benchmark: start-up', '', ...startupMarkdown(res)].join('\n');
  writeFileSync(path.join(dir, 'startup.md'), md + '\n');
  process.stdout.write(md + '\n');
}
