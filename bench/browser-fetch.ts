/**
 * The floor under the browser's first-visit verdict: what one burst of DoH requests costs in
 * Chromium with no page loading, against the same burst from Node. Nine requests (a cold
 * verdict's A, AAAA, TLSA and chain questions) to the world's DoH front at RTT 0, started in one
 * loop, from the extension's service worker and from an extension page, POST and GET (RFC 8484
 * §4.1), and from Node (src/cli/https-fetch.ts, the CLI's client). Per burst: how long the loop
 * of fetch() calls took, and when the answers' headers and bodies were in (median and last).
 *
 *   npx tsx bench/browser-fetch.ts [--bursts=N]
 *
 * Needs the world (started if absent). Not a test: nothing is asserted. Writes
 * bench/results/browser-fetch.{json,md}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configure, worldOptions } from '../test/browser/extension';
import { launchChromium, openExtensionPage } from '../test/browser/harness';
import { readWorld, startWorld } from '../test/world/world.mjs';
import { httpsFetch } from '../src/cli/https-fetch';
import { buildQuery } from '../src/core/wire/packet';
import { toBase64Url } from '../src/core/util/encoding';
import { RRType } from '../src/core/wire/types';
import { median } from './stats';

const REPO = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');
const BURSTS = Number(process.argv.find((a) => a.startsWith('--bursts='))?.split('=')[1] ?? 12);
const REQUESTS = 9;

interface Burst {
  loopMs: number;
  headersMedianMs: number;
  bodyMedianMs: number;
  lastMs: number;
}

/** Runs in the browser (worker or page) and in Node alike: one burst, timed. */
const BURST = async (url: string, method: string, query: number[], b64: string, n: number, f: typeof fetch): Promise<Burst> => {
  const body = new Uint8Array(query);
  const t0 = performance.now();
  const ps: Promise<[number, number]>[] = [];
  for (let i = 0; i < n; i++) {
    const p =
      method === 'GET'
        ? f(`${url}?dns=${b64}`, { headers: { accept: 'application/dns-message' } })
        : f(url, { method: 'POST', headers: { accept: 'application/dns-message', 'content-type': 'application/dns-message' }, body });
    ps.push(
      p.then(async (r) => {
        const h = performance.now() - t0;
        await r.arrayBuffer();
        return [h, performance.now() - t0];
      }),
    );
  }
  const loopMs = performance.now() - t0;
  const rs = await Promise.all(ps);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return { loopMs, headersMedianMs: med(rs.map((r) => r[0])), bodyMedianMs: med(rs.map((r) => r[1])), lastMs: Math.max(...rs.map((r) => r[1])) };
};

interface Row {
  from: string;
  method: string;
  bursts: Burst[];
}

const r1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  await startWorld({ log: () => {} });
  const world = readWorld();
  const url = world.front.delayDoh.replace('{ms}', '0');
  const query = [...buildQuery({ id: 0, name: 'www.alg13.test.', type: RRType.A })];
  const b64 = toBase64Url(new Uint8Array(query));
  const rows: Row[] = [];

  const nodeFetch = httpsFetch({ ca: fs.readFileSync(world.ca) });
  for (const method of ['POST', 'GET']) {
    await BURST(url, method, query, b64, REQUESTS, nodeFetch as unknown as typeof fetch); // connection up
    const bursts: Burst[] = [];
    for (let i = 0; i < BURSTS; i++) bursts.push(await BURST(url, method, query, b64, REQUESTS, nodeFetch as unknown as typeof fetch));
    rows.push({ from: `Node ${process.version} (the CLI's HTTP/2 client)`, method, bursts });
  }
  nodeFetch.close();

  const b = await launchChromium({ extensionDir: path.join(REPO, 'dist', 'chrome'), world });
  let version = '';
  try {
    version = await b.browser.version();
    const helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions(world, { resolver: { kind: 'custom', url } }));
    const target = await b.browser.waitForTarget((t) => t.type() === 'service_worker');
    const cdp = await target.createCDPSession();
    // tsx keeps function names with an `__name` helper that the browser does not have.
    const source = (method: string) =>
      `(() => { const __name = (f) => f; return (${BURST.toString()})(${JSON.stringify(url)}, ${JSON.stringify(method)}, ${JSON.stringify(query)}, ${JSON.stringify(b64)}, ${REQUESTS}, fetch); })()`;
    const inWorker = async (method: string) =>
      ((await cdp.send('Runtime.evaluate', { expression: source(method), awaitPromise: true, returnByValue: true })) as unknown as { result: { value: Burst } }).result.value;
    const inPage = async (method: string) => (await helper.evaluate(source(method))) as Burst;
    for (const [from, run] of [
      ['Chromium: extension service worker', inWorker],
      ['Chromium: extension page', inPage],
    ] as const) {
      for (const method of ['POST', 'GET']) {
        await run(method);
        const bursts: Burst[] = [];
        for (let i = 0; i < BURSTS; i++) bursts.push(await run(method));
        rows.push({ from, method, bursts });
      }
    }
  } finally {
    await b.close();
  }

  const generated = new Date().toISOString();
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'browser-fetch.json'), `${JSON.stringify({ generated, chromium: version, bursts: BURSTS, requests: REQUESTS, rows }, null, 2)}\n`);
  const lines = [
    '# Benchmark: a burst of DoH requests from Chromium and from Node (no page loading)',
    '',
    `Generated ${generated}; ${os.cpus().length} CPUs (shared); ${version}. ${REQUESTS} requests started in one loop to the world's DoH front at RTT 0`,
    `(${url}), ${BURSTS} bursts each after one untimed; ms from the loop's start, median over the bursts (min–max).`,
    '',
    '| from | method | loop of fetch() calls | answers\' headers (median of a burst) | bodies read (median) | last body |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const col = (k: keyof Burst) => {
      const xs = r.bursts.map((x) => x[k]);
      return `${r1(median(xs))} (${r1(Math.min(...xs))}–${r1(Math.max(...xs))})`;
    };
    lines.push(`| ${r.from} | ${r.method} | ${col('loopMs')} | ${col('headersMedianMs')} | ${col('bodyMedianMs')} | ${col('lastMs')} |`);
  }
  fs.writeFileSync(path.join(RESULTS, 'browser-fetch.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

await main();
