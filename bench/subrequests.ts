/**
 * The sub-requests option at work (Chromium): a page on one world site that loads from 20 other
 * world hosts (20 images, one per host), loaded with the option off and on, each visit with a
 * fresh validator (the resolver URL alternates between two equivalent front paths, as in
 * bench/page-load.ts). Figures: page load (navigation start → load event end), when every other
 * host had its state, and the DoH requests the extension sent per visit.
 *
 *   npx tsx bench/subrequests.ts [--rtt=0,50] [--runs=N]     (through /work/tools/world-run)
 *
 * The page is the world site's address with its document replaced through the DevTools
 * protocol (Fetch domain, that one URL only); the 20 images are real HTTPS requests to the
 * world's sites. Not a test: nothing is asserted. Writes bench/results/subrequests.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { configure, ext, pageShouldLoad, tabState, waitFor, worldOptions } from '../test/browser/extension';
import { launchChromium, openExtensionPage } from '../test/browser/harness';
import { readCatalogue, readWorld, startWorld, type World } from '../test/world/world.mjs';
import { median } from './stats';

const REPO = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');
const OTHERS = 20;

const r1 = (x: number) => Math.round(x * 10) / 10;

interface Row {
  rttMs: number;
  subrequests: boolean;
  runs: number;
  loadMs: number;
  /** Navigation start → the last other host's state known (option on). */
  allHostsMs: number | null;
  /** Median DoH requests per visit. */
  queries: number;
  hostsChecked: number | null;
}

async function visit(page: Page, helper: Page, url: string, html: string, others: number, on: boolean) {
  const cdp = await page.createCDPSession();
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: url, requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
    void cdp.send('Fetch.fulfillRequest', {
      requestId: e.requestId,
      responseCode: 200,
      responseHeaders: [{ name: 'content-type', value: 'text/html' }],
      body: Buffer.from(html).toString('base64'),
    });
  });
  const before = await ext<{ queries: number }>(helper, "return api.runtime.sendMessage({ type: 'benchTimings' });");
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction('performance.getEntriesByType("navigation")[0].loadEventEnd > 0', { timeout: 10_000 });
  const nav = (await page.evaluate(
    '(() => { const n = performance.getEntriesByType("navigation")[0]; return { origin: performance.timeOrigin, start: n.startTime, load: n.loadEventEnd }; })()',
  )) as { origin: number; start: number; load: number };
  const tabId = await ext<number>(helper, 'const [t] = await api.tabs.query({ url: arg }); return t.id;', url);
  let allHostsMs: number | null = null;
  let hostsChecked: number | null = null;
  const s = await waitFor('verdict', () => tabState(helper, tabId), (v) => v.url === url && v.state !== 'checking', 30_000);
  if (on) {
    const done = await waitFor(
      'sub-host states',
      () => tabState(helper, tabId),
      (v) => (v.others?.length ?? 0) >= others && v.others!.every((o) => o.state !== 'checking'),
      30_000,
    );
    allHostsMs = performance.timeOrigin + performance.now() - (nav.origin + nav.start); // upper bound: polled
    hostsChecked = done.others?.length ?? 0;
  }
  const after = await ext<{ queries: number }>(helper, "return api.runtime.sendMessage({ type: 'benchTimings' });");
  await cdp.detach();
  return { loadMs: nav.load - nav.start, allHostsMs, queries: after.queries - before.queries, hostsChecked, state: s.state };
}

async function main() {
  const rtts = (process.argv.find((a) => a.startsWith('--rtt='))?.slice(6) ?? '0,50').split(',').map(Number);
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 6);
  await startWorld({ log: () => undefined });
  const world: World = readWorld();
  const dist = path.join(REPO, 'dist', 'chrome');
  if (!fs.existsSync(path.join(dist, 'manifest.json'))) execFileSync('npm', ['run', '--silent', 'build:chrome'], { cwd: REPO, stdio: 'ignore' });
  const hosts = [
    ...new Set(
      readCatalogue()
        .cases.filter((c) => pageShouldLoad(c, 'chromium'))
        .map((c) => world.sites.find((s) => s.case === c.id))
        .filter((s): s is NonNullable<typeof s> => !!s && s.port === 443)
        .map((s) => s.host),
    ),
  ];
  const main = hosts[0]!;
  const others = hosts.slice(1, 1 + OTHERS);
  if (others.length < OTHERS) throw new Error(`only ${others.length} other world hosts`);
  const url = `https://${main}/`;
  const rows: Row[] = [];
  for (const rtt of rtts) {
    const front = world.front.delayDoh.replace('{ms}', String(rtt));
    const frontAlt = `${world.front.base}/via/${world.front.upstream}/delay/${rtt}/dns-query`;
    const b = await launchChromium({ extensionDir: dist, world });
    try {
      const helper = await openExtensionPage(b, 'src/options/index.html');
      await ext(helper, "return api.runtime.sendMessage({ type: 'benchTimings', enable: true });");
      for (const on of [false, true]) {
        const list = [];
        for (let i = 0; i < runs + 1; i++) {
          await configure(helper, worldOptions(world, { subrequests: on, resolver: { kind: 'custom', url: i % 2 ? front : frontAlt } }));
          await new Promise((r) => setTimeout(r, 300));
          // A query string per visit: the images are fetched again, not taken from the memory cache.
          const html = `<!doctype html><title>20 hosts</title>${others.map((h) => `<img src="https://${h}/?v=${rtt}-${on}-${i}" width=1 height=1>`).join('')}`;
          const page = await b.browser.newPage();
          try {
            const v = await visit(page, helper, url, html, others.length, on);
            if (i > 0) list.push(v); // the first visit warms the browser
          } finally {
            await page.close();
          }
        }
        rows.push({
          rttMs: rtt,
          subrequests: on,
          runs: list.length,
          loadMs: r1(median(list.map((v) => v.loadMs))),
          allHostsMs: on ? r1(median(list.map((v) => v.allHostsMs!))) : null,
          queries: median(list.map((v) => v.queries)),
          hostsChecked: on ? median(list.map((v) => v.hostsChecked!)) : null,
        });
        process.stderr.write(`subrequests: RTT ${rtt}, option ${on ? 'on' : 'off'}: ${JSON.stringify(rows.at(-1))}\n`);
      }
    } finally {
      await b.close();
    }
  }
  const generated = new Date().toISOString();
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'subrequests.json'), `${JSON.stringify({ generated, main, others, rows }, null, 2)}\n`);
  const lines = [
    '# Sub-requests option: a page that loads from 20 other hosts (Chromium)',
    '',
    `Generated ${generated}; ${os.cpus().length} CPUs. Page: https://${main}/ with 20 images, one from each of ${others.join(', ')}.`,
    `Each visit with a fresh validator (empty caches). Medians of ${runs} visits. ms.`,
    '',
    '| RTT ms | sub-requests option | page load | Δ load vs option off | all 20 hosts judged (from navigation start, polled) | DoH requests per visit | hosts judged |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const off = rows.find((x) => x.rttMs === r.rttMs && !x.subrequests)!;
    const d = r1(r.loadMs - off.loadMs);
    lines.push(
      `| ${r.rttMs} | ${r.subrequests ? 'on' : 'off'} | ${r.loadMs} | ${r.subrequests ? `${d > 0 ? '+' : ''}${d}` : '—'} | ${r.allHostsMs ?? '—'} | ${r.queries} | ${r.hostsChecked ?? '—'} |`,
    );
  }
  lines.push('');
  fs.writeFileSync(path.join(RESULTS, 'subrequests.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

await main();
process.exit(0);
