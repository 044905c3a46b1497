/**
 * Page-load benchmark in Chromium: how long a world HTTPS site takes to load with the extension
 * (observe mode: enforcement off, the default) and without it, and how soon the extension's
 * verdict is ready, at an injected DNS round trip of 0 and 50 ms.
 *
 *   npx tsx bench/page-load.ts [--quick]        (or call runPageLoadBench() from another bench)
 *
 * The extension's resolver is the world's DoH front with a per-query delay,
 * `https://127.0.55.1:8443/delay/<ms>/dns-query` (every query costs <ms>). The browser itself
 * resolves the site names through --host-resolver-rules (test/browser/harness.ts), so the page
 * load never waits for DNS: what differs between the two runs is the extension alone. Chromium's
 * MV3 webRequest cannot hold a request, so the extension can slow a page only through CPU and
 * its own network traffic; the verdict arrives in parallel.
 *
 * "Without" = the same harness with an empty extension (a manifest, nothing else), so both runs
 * have the same profile, flags and certificate trust. Each RTT gets fresh browsers.
 * first visit: a site not visited before in that browser (with the extension: a fresh validator,
 *   empty caches, because the resolver URL changes per visit between two equivalent front paths);
 * repeat visit: the same site again (HTTP connection reused; the extension's verdict cached).
 * Figures: median (p90) of navigation timing `loadEventEnd` (navigation start → load event end),
 * and, with the extension, `verdict` = the tab's verdict time (`checkedAt`) − navigation start.
 * Not a test: nothing is asserted. Writes bench/results/page-load.{json,md}. Everything on 127/8.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import { configure, ext, pageShouldLoad, tabState, waitFor, worldOptions } from '../test/browser/extension';
import { launchChromium, openExtensionPage, type LaunchedBrowser } from '../test/browser/harness';
import { readCatalogue, readWorld, startWorld, type World } from '../test/world/world.mjs';

const REPO = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');

export interface PageLoadCell {
  rttMs: number;
  mode: 'without' | 'extension';
  visit: 'first' | 'repeat';
  runs: number;
  loadMs: { median: number; p90: number; min: number; max: number };
  /** Extension only: navigation start → verdict. */
  verdictMs: { median: number; p90: number; min: number; max: number } | null;
  /** Extension only: how many verdicts were ready by the load event. */
  verdictBeforeLoad: number | null;
  /** Extension only: the display states seen (Chromium: "secure" for these sites). */
  states: string[];
  /** Extension only: visits whose verdict was not secure (should be none). */
  unexpected: string[];
}

export interface PageLoadResults {
  generated: string;
  browser: string;
  cpus: number;
  sites: string[];
  cells: PageLoadCell[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const stats = (xs: number[]) => ({ median: r1(median(xs)), p90: r1(pct(xs, 90)), min: r1(Math.min(...xs)), max: r1(Math.max(...xs)) });

/** An extension with nothing in it: the "without" browser runs the same harness. */
function emptyExtension(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtv-empty-ext-'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'empty', version: '1.0' }));
  return dir;
}

interface Visit {
  host: string;
  loadMs: number;
  verdictMs: number | null;
  state: string | null;
}

/** Loads url in a new tab; with the extension, waits for its verdict too. */
async function visit(b: LaunchedBrowser, helper: Page | null, url: string): Promise<Visit> {
  const page = await b.browser.newPage();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    const nav = (await page.evaluate(
      '(() => { const n = performance.getEntriesByType("navigation")[0]; return { origin: performance.timeOrigin, start: n.startTime, load: n.loadEventEnd }; })()',
    )) as { origin: number; start: number; load: number };
    let loadEnd = nav.load;
    if (loadEnd === 0) {
      await page.waitForFunction('performance.getEntriesByType("navigation")[0].loadEventEnd > 0', { timeout: 5_000 });
      loadEnd = (await page.evaluate('performance.getEntriesByType("navigation")[0].loadEventEnd')) as number;
    }
    const loadMs = loadEnd - nav.start;
    if (!helper) return { host: new URL(url).hostname, loadMs, verdictMs: null, state: null };
    const tabId = await ext<number>(helper, 'const [t] = await api.tabs.query({ url: arg }); return t.id;', url);
    const s = await waitFor('verdict', () => tabState(helper, tabId), (v) => v.url === url && v.state !== 'checking', 30_000);
    // When the background broadcast that verdict (= when the toolbar and an open popup showed it).
    const at = await waitFor(
      'verdict broadcast',
      () => ext<number | null>(helper, 'return (globalThis.__verdicts ?? []).find((v) => v.tabId === arg.tabId && v.url === arg.url)?.at ?? null;', { tabId, url }),
      (v) => v !== null,
      5_000,
    );
    return { host: new URL(url).hostname, loadMs, verdictMs: at! - (nav.origin + nav.start), state: s.state };
  } finally {
    await page.close();
  }
}

export async function runPageLoadBench(opts: { quick?: boolean; rtts?: number[]; log?: (m: string) => void } = {}): Promise<PageLoadResults> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const rtts = opts.rtts ?? [0, 50];
  const runs = opts.quick ? 4 : 10;
  await startWorld({ log: (m: string) => log(`world: ${m}`) });
  const world: World = readWorld();
  const dist = path.join(REPO, 'dist', 'chrome');
  if (!fs.existsSync(path.join(dist, 'manifest.json'))) {
    log('building dist/chrome');
    execFileSync('npm', ['run', '--silent', 'build:chrome'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // Signed .test sites with a TLSA record that Chromium loads: the common good case.
  const sites = readCatalogue()
    .cases.filter((c) => pageShouldLoad(c, 'chromium') && c.address.state === 'secure' && c.tlsa.state === 'secure' && c.tlsa.result === 'data')
    .map((c) => world.sites.find((s) => s.case === c.id)!)
    .filter((s) => s && s.port === 443)
    .slice(0, runs)
    .map((s) => `https://${s.host}/`);
  if (sites.length < runs) throw new Error(`only ${sites.length} world sites to load`);
  log(`page-load: Chromium, ${sites.length} sites, RTT ${rtts.join(' and ')} ms, without and with the extension`);
  const empty = emptyExtension();
  const cells: PageLoadCell[] = [];
  try {
    for (const rtt of rtts) {
      const front = world.front.delayDoh.replace('{ms}', String(rtt));
      // The same upstream and delay under another path: a different resolver URL → a fresh validator.
      const frontAlt = `${world.front.base}/via/${world.front.upstream}/delay/${rtt}/dns-query`;
      for (const mode of ['without', 'extension'] as const) {
        const b = await launchChromium({ extensionDir: mode === 'extension' ? dist : empty, world });
        try {
          let helper: Page | null = null;
          if (mode === 'extension') {
            helper = await openExtensionPage(b, 'src/options/index.html');
            await configure(helper, worldOptions(world, { resolver: { kind: 'custom', url: front } }));
            // Record every settled verdict the background broadcasts, with its wall-clock time.
            await ext(
              helper,
              "globalThis.__verdicts = []; api.runtime.onMessage.addListener((m) => { if (m?.type === 'tabStateChanged' && m.state.state !== 'checking') globalThis.__verdicts.push({ tabId: m.state.tabId, url: m.state.url, state: m.state.state, at: Date.now() }); });",
            );
          }
          // One untimed load warms the browser (process start, first TLS session cache).
          await visit(b, helper, `https://${world.sites.find((s) => s.case === 'alg8-www')!.host}/`);
          const first: Visit[] = [];
          for (const [i, url] of sites.entries()) {
            if (helper) await configure(helper, worldOptions(world, { resolver: { kind: 'custom', url: i % 2 ? front : frontAlt } }));
            // Let the reconfiguration (and the same pause without the extension) settle first.
            await new Promise((r) => setTimeout(r, 300));
            first.push(await visit(b, helper, url));
          }
          // Each configuration change above emptied the extension's caches: one untimed round
          // under the last configuration (in both modes, for symmetry), then the timed repeats.
          for (const url of sites) await visit(b, helper, url);
          const repeat: Visit[] = [];
          for (const url of sites) repeat.push(await visit(b, helper, url));
          for (const [visitKind, list] of [['first', first], ['repeat', repeat]] as const) {
            const withVerdict = list.filter((v) => v.verdictMs !== null);
            cells.push({
              rttMs: rtt,
              mode,
              visit: visitKind,
              runs: list.length,
              loadMs: stats(list.map((v) => v.loadMs)),
              verdictMs: withVerdict.length ? stats(withVerdict.map((v) => v.verdictMs!)) : null,
              verdictBeforeLoad: withVerdict.length ? withVerdict.filter((v) => v.verdictMs! <= v.loadMs).length : null,
              states: [...new Set(list.map((v) => v.state).filter((s): s is string => s !== null))],
              unexpected: list.filter((v) => v.state !== null && v.state !== 'secure-tlsa-match' && v.state !== 'secure').map((v) => `${v.host}: ${v.state}`),
            });
            const c = cells.at(-1)!;
            log(
              `page-load: RTT ${rtt} ms, ${mode}, ${visitKind} visit: load ${c.loadMs.median} ms (p90 ${c.loadMs.p90})` +
                (c.verdictMs ? `, verdict ${c.verdictMs.median} ms (p90 ${c.verdictMs.p90}), ${c.verdictBeforeLoad}/${c.runs} before load, ${c.states.join('/')}` : '') +
                (c.unexpected.length ? ` UNEXPECTED ${c.unexpected.join(', ')}` : ''),
            );
          }
        } finally {
          await b.close();
        }
      }
    }
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
  const results: PageLoadResults = {
    generated: new Date().toISOString(),
    browser: 'chromium',
    cpus: os.cpus().length,
    sites: sites.map((u) => new URL(u).hostname),
    cells,
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'page-load.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, 'page-load.md'), markdown(results));
  return results;
}

export function markdown(r: PageLoadResults): string {
  const cell = (c: PageLoadCell | undefined) => (c ? `${c.loadMs.median} (${c.loadMs.p90})` : '—');
  const lines = [
    '# Page load with and without the extension (Chromium)',
    '',
    `Generated ${r.generated}; ${r.cpus} CPUs; ${r.sites.length} world sites (${r.sites.join(', ')}). ms, median (p90).`,
    'RTT = per-query delay of the extension\'s DoH resolver (the world front); the browser resolves the sites itself without delay.',
    '',
    '| RTT ms | visit | load without | load with extension | Δ median | verdict (from navigation start) | verdict ready by load | states |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const rtt of [...new Set(r.cells.map((c) => c.rttMs))]) {
    for (const visit of ['first', 'repeat'] as const) {
      const without = r.cells.find((c) => c.rttMs === rtt && c.mode === 'without' && c.visit === visit);
      const withExt = r.cells.find((c) => c.rttMs === rtt && c.mode === 'extension' && c.visit === visit);
      const delta = without && withExt ? r1(withExt.loadMs.median - without.loadMs.median) : NaN;
      lines.push(
        `| ${rtt} | ${visit} | ${cell(without)} | ${cell(withExt)} | ${Number.isNaN(delta) ? '—' : `${delta > 0 ? '+' : ''}${delta}`} | ${withExt?.verdictMs ? `${withExt.verdictMs.median} (${withExt.verdictMs.p90})` : '—'} | ${withExt?.verdictBeforeLoad ?? '—'}/${withExt?.runs ?? '—'} | ${withExt?.states.join(', ') ?? ''} |`,
      );
    }
  }
  const odd = r.cells.filter((c) => c.unexpected.length > 0);
  if (odd.length > 0) {
    lines.push('', 'Verdicts that were not secure (a fault of the resolver path or of the extension, to look into):');
    for (const c of odd) lines.push(`- RTT ${c.rttMs} ms, ${c.visit} visit: ${c.unexpected.join(', ')}`);
  }
  lines.push(
    '',
    'first visit: a site not loaded before in that browser; with the extension a fresh validator (empty caches).',
    'repeat visit: the same site again; the extension answers from its verdict cache.',
    '',
  );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const results = await runPageLoadBench({ quick: process.argv.includes('--quick') });
  process.stdout.write(markdown(results));
  process.exit(0);
}
