/**
 * CPU per cold host check, in Node and in Chromium, with where it goes: the replayed verdicts of
 * bench/cpu.ts (bench/cpu-verdicts.ts: no network, a fresh Validator per verdict, pinned clock),
 * timed per verdict, with a V8 CPU profile around them split into parsing, name handling,
 * verification (WebCrypto and signed-data building), the rest of the validator, GC and other.
 * In Chromium the same module runs bundled in a page (served from 127.0.0.1, a secure context)
 * with Chromium's WebCrypto; the profile comes from the DevTools protocol. No world needed.
 *
 *   npx tsx bench/cpu-phases.ts [--runs=N] [--node-only]
 *
 * Not a test: nothing is asserted. Writes bench/results/cpu-phases.{json,md}.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { nodeCryptoBackend } from '../src/cli/node-crypto';
import { scriptPage } from './script-page';
import { breakdown, CATEGORIES, replayVerdicts, type Category, type CpuProfile, type ReplayFixture, type VerdictTiming } from './cpu-verdicts';
import { median } from './stats';

const REPO = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');
const FIXTURE = path.join(REPO, 'src/core/dnssec/fixtures/replay/world.json');

export interface CpuRuntimeResult {
  runtime: 'node' | 'chromium';
  version: string;
  runs: number;
  rows: VerdictTiming[];
  /** Median over the cases of ms per verdict. */
  medianMs: number;
  /** Profile self time, ms per verdict (all cases together). */
  breakdown: Record<Category, number>;
}


async function inNode(fx: ReplayFixture, runs: number): Promise<CpuRuntimeResult> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await replayVerdicts(fx, 5, () => performance.now(), undefined, nodeCryptoBackend); // warm the JIT before profiling
  await session.post('Profiler.start');
  const rows = await replayVerdicts(fx, runs, () => performance.now(), undefined, nodeCryptoBackend);
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  return {
    runtime: 'node',
    version: process.version,
    runs,
    rows,
    medianMs: Math.round(median(rows.map((r) => r.msPerVerdict)) * 1000) / 1000,
    breakdown: breakdown(profile, rows.length * (runs + 11)),
  };
}

async function inChromium(fx: ReplayFixture, runs: number): Promise<CpuRuntimeResult> {
  const bundled = await build({
    stdin: {
      contents: "import { replayVerdicts } from './bench/cpu-verdicts'; globalThis.replayVerdicts = replayVerdicts;",
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome116',
    write: false,
  });
  const script = bundled.outputFiles[0]!.text;
  // esbuild marks each module of an unminified bundle with a "// <path>" line: line → source file.
  const starts: { line: number; file: string }[] = [];
  script.split('\n').forEach((l, i) => {
    const m = /^\s*\/\/ ((?:src|bench|node_modules)\/\S+\.[cm]?[jt]s)$/.exec(l);
    if (m) starts.push({ line: i, file: m[1]! });
  });
  const sourceOf = (url: string, line: number): string => {
    if (!url.endsWith('/cpu.js')) return url;
    let file = url;
    for (const s of starts) if (s.line <= line) file = s.file;
    return file;
  };
  const { browser, url, close } = await scriptPage('cpu.js', script);
  try {
    const version = await browser.version();
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const run = (n: number) => page.evaluate((f, k) => (globalThis as unknown as { replayVerdicts: typeof replayVerdicts }).replayVerdicts(f, k, () => performance.now()), fx, n);
    await run(5);
    const cdp = await page.createCDPSession();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const rows = await run(runs);
    const { profile } = await cdp.send('Profiler.stop');
    return {
      runtime: 'chromium',
      version,
      runs,
      rows,
      medianMs: Math.round(median(rows.map((r) => r.msPerVerdict)) * 1000) / 1000,
      breakdown: breakdown(profile as unknown as CpuProfile, rows.length * (runs + 11), sourceOf),
    };
  } finally {
    await close();
  }
}

export function markdown(results: CpuRuntimeResult[], generated: string): string {
  const lines = [
    '# CPU per cold host check (replayed answers, no network)',
    '',
    `Generated ${generated}; ${os.cpus().length} CPUs (shared). A fresh Validator per verdict (A + AAAA + TLSA of one host), the world's`,
    'recorded answers served from memory (src/core/dnssec/fixtures/replay/world.json), pinned clock. ms per verdict.',
    '',
    `| case | ${results.map((r) => `${r.runtime} (${r.version})`).join(' | ')} | ${results.map((r) => `${r.runtime}: of which parsing`).join(' | ')} |`,
    `|---|${results.map(() => '---|').join('')}${results.map(() => '---|').join('')}`,
  ];
  const cases = results[0]?.rows.map((r) => r.case) ?? [];
  for (const c of cases) {
    const cells = results.map((r) => r.rows.find((x) => x.case === c));
    lines.push(`| ${c} | ${cells.map((x) => x?.msPerVerdict ?? '—').join(' | ')} | ${cells.map((x) => x?.parseMsPerVerdict ?? '—').join(' | ')} |`);
  }
  lines.push(`| **median** | ${results.map((r) => `**${r.medianMs}**`).join(' | ')} | ${results.map(() => '').join(' | ')} |`);
  lines.push(
    '',
    'Where the time goes (sampling CPU profile of the main thread around all the verdicts; self time, ms per verdict, all cases averaged):',
    '',
    `| | ${CATEGORIES.join(' | ')} |`,
    `|---|${CATEGORIES.map(() => '---|').join('')}`,
  );
  for (const r of results) lines.push(`| ${r.runtime} | ${CATEGORIES.map((c) => r.breakdown[c]).join(' | ')} |`);
  lines.push(
    '',
    'Signatures: Node with node:crypto (src/cli/node-crypto.ts, as the CLI), Chromium with its WebCrypto (the core\'s default, as the extension).',
    'parsing = wire/packet.ts, wire/rdata.ts, util/encoding.ts; names = wire/name.ts; verification = the signature primitive\'s JS side',
    '(Node: node:crypto\'s; Chromium: WebCrypto\'s, the crypto itself runs off the main thread), @noble/curves (Ed448 in Chromium), @noble/hashes,',
    'dnssec/{algorithms,rrsig,canonical,keytag,verify-once,ds}.ts; validator = the rest of src/core; other = the runtime (promises,',
    'scheduling) and, in Node, OpenSSL\'s own verification (a native frame the profile does not attribute: about 0.5 ms of "other").',
    'The "of which parsing" column times parseMessage directly (performance.now around each call).',
    '',
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 50);
  const fx = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as ReplayFixture;
  const results = [await inNode(fx, runs)];
  if (!process.argv.includes('--node-only')) results.push(await inChromium(fx, runs));
  const generated = new Date().toISOString();
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'cpu-phases.json'), `${JSON.stringify({ generated, results }, null, 2)}\n`);
  const md = markdown(results, generated);
  fs.writeFileSync(path.join(RESULTS, 'cpu-phases.md'), md);
  process.stdout.write(md);
}
