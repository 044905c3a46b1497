/**
 * What the certificate code costs where the extension runs it: in a fresh Chromium page and in
 * Node, the DANE matcher (src/core/dane/match.ts and everything it imports) bundled alone:
 *   - evaluation: running the bundle's top level (after the browser compiled it);
 *   - first match: the first matchTlsa of a fresh page (a restarted background's first visit);
 *   - per chain: later chains, parsed from scratch (caches emptied), matched, median.
 * Chains are the committed fixtures (src/core/dane/fixtures): an ECDSA leaf under an RSA
 * intermediate and root. Records: "3 1 1" (hash of the leaf's key), "2 1 1" (the intermediate's
 * key: one signature checked), "2 0 0" (the root carried whole in DNS: two signatures).
 *
 *   npx tsx bench/certs.ts [--runs=N] [--pages=N]
 *
 * No world needed. Not a test: nothing is asserted. Writes bench/results/certs.{json,md}.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scriptPage } from './script-page';
import { median } from './stats';

const REPO = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');
const FIXTURES = path.join(REPO, 'src/core/dane/fixtures');
const HOST = 'www.dane.test';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const RUNS = arg('runs', 200);
const PAGES = arg('pages', 15);

function der(name: string): number[] {
  const pem = fs.readFileSync(path.join(FIXTURES, `${name}.pem`), 'utf8');
  return [...Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')];
}

/** Plain arrays: they cross into the page as JSON. */
const INPUT = { host: HOST, chain: ['leaf-ec', 'int'].map(der), root: der('root') };
type Input = typeof INPUT;

/** The page's (and Node's) side: runs inside the bundle. */
const PAGE_SOURCE = `
import { generateTlsa, matchTlsa } from './src/core/dane/match';
import { forgetParsedCertificates } from './src/core/dane/cert';
import { median } from './bench/stats';
async function one(input) {
  const sent = input.chain.map((c) => new Uint8Array(c));
  const peer = { sent, pkix: { verdict: 'unknown' } };
  const now = new Date('2030-01-01T00:00:00Z');
  const records = [await generateTlsa(sent[0], 3, 1, 1), await generateTlsa(sent[1], 2, 1, 1), await generateTlsa(new Uint8Array(input.root), 2, 0, 0)];
  const states = [];
  for (const r of records) states.push((await matchTlsa([r], peer, { host: input.host, now })).state);
  return states;
}
globalThis.certBench = {
  evaluatedMs: () => globalThis.__certT1 - globalThis.__certT0,
  async first(input) {
    const t = performance.now();
    const states = await one(input);
    return { ms: performance.now() - t, states };
  },
  async perChain(input, runs) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      forgetParsedCertificates();
      const t = performance.now();
      await one(input);
      times.push(performance.now() - t);
    }
    return median(times);
  },
};
`;

async function bundle(): Promise<string> {
  const out = await build({
    stdin: { contents: PAGE_SOURCE, resolveDir: REPO, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome116',
    write: false,
    banner: { js: 'globalThis.__certT0 = performance.now();' },
    footer: { js: 'globalThis.__certT1 = performance.now();' },
  });
  return out.outputFiles[0]!.text;
}

interface Api {
  evaluatedMs(): number;
  first(input: Input): Promise<{ ms: number; states: string[] }>;
  perChain(input: Input, runs: number): Promise<number>;
}

interface RuntimeResult {
  runtime: string;
  version: string;
  bundleBytes: number;
  evaluatedMs: number[];
  firstMs: number[];
  perChainMs: number;
  states: string[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

async function inNode(script: string): Promise<RuntimeResult> {
  const evaluated: number[] = [];
  const first: number[] = [];
  let states: string[] = [];
  let perChain = 0;
  // A fresh evaluation per "page": a new Function around the bundle (its top-level state is its own).
  for (let p = 0; p < PAGES; p++) {
    new Function(script)();
    const api = (globalThis as unknown as { certBench: Api }).certBench;
    evaluated.push(api.evaluatedMs());
    const f = await api.first(INPUT);
    first.push(f.ms);
    states = f.states;
    if (p === PAGES - 1) perChain = await api.perChain(INPUT, RUNS);
  }
  return { runtime: 'node', version: process.version, bundleBytes: script.length, evaluatedMs: evaluated, firstMs: first, perChainMs: perChain, states };
}

async function inChromium(script: string): Promise<RuntimeResult> {
  const { browser, url, close } = await scriptPage('certs.js', script);
  try {
    const version = await browser.version();
    const evaluated: number[] = [];
    const first: number[] = [];
    let states: string[] = [];
    let perChain = 0;
    for (let p = 0; p < PAGES; p++) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      evaluated.push(await page.evaluate(() => (globalThis as unknown as { certBench: Api }).certBench.evaluatedMs()));
      const f = await page.evaluate((i) => (globalThis as unknown as { certBench: Api }).certBench.first(i), INPUT);
      first.push(f.ms);
      states = f.states;
      if (p === PAGES - 1) perChain = await page.evaluate((i, n) => (globalThis as unknown as { certBench: Api }).certBench.perChain(i, n), INPUT, RUNS);
      await page.close();
    }
    return { runtime: 'chromium', version, bundleBytes: script.length, evaluatedMs: evaluated, firstMs: first, perChainMs: perChain, states };
  } finally {
    await close();
  }
}

function markdown(rows: RuntimeResult[], generated: string): string {
  const lines = [
    '# Benchmark: certificate code (DANE matcher)',
    '',
    `Generated ${generated}; ${os.cpus().length} CPUs (shared). src/core/dane/match.ts bundled alone (esbuild, unminified).`,
    `${PAGES} fresh pages (Node: fresh evaluations) for evaluation and first match; ${RUNS} chains after that for the per-chain median.`,
    'Chain: ECDSA leaf (leaf-ec) + RSA intermediate (int); records "3 1 1" of the leaf, "2 1 1" of the intermediate, "2 0 0" of the root.',
    '',
    '| runtime | bundle bytes | evaluation ms (median, min–max) | first match of a fresh page, ms (median, min–max) | per chain, caches emptied, ms (median) | states |',
    '|---|---:|---|---|---:|---|',
  ];
  for (const r of rows) {
    const mm = (xs: number[]) => `${r2(median(xs))} (${r2(Math.min(...xs))}–${r2(Math.max(...xs))})`;
    lines.push(`| ${r.runtime} ${r.version} | ${r.bundleBytes} | ${mm(r.evaluatedMs)} | ${mm(r.firstMs)} | ${r2(r.perChainMs)} | ${r.states.join(', ')} |`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const script = await bundle();
  const rows = [await inNode(script), await inChromium(script)];
  const generated = new Date().toISOString();
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'certs.json'), JSON.stringify({ generated, pages: PAGES, runs: RUNS, rows }, null, 2) + '\n');
  const md = markdown(rows, generated);
  fs.writeFileSync(path.join(RESULTS, 'certs.md'), md);
  process.stdout.write(md);
}

await main();
