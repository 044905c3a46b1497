/**
 * Where the Chromium service worker spends a first visit: a V8 CPU profile of the background
 * (via the DevTools protocol) while world sites are loaded for the first time, summarised by
 * self time per function, plus idle and garbage collection. Not a test, not in `npm run bench`:
 * a tool to find where the time between the last DoH answer and the verdict goes.
 *
 *   npx tsx bench/worker-profile.ts [--rtt=0] [--sites=6]
 *
 * Writes bench/results/worker-profile.md and the raw profiles to test/artifacts/worker-profiles.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { configure, ext, pageShouldLoad, tabState, waitFor, worldOptions } from '../test/browser/extension';
import { launchChromium, openExtensionPage } from '../test/browser/harness';
import { readCatalogue, readWorld, startWorld } from '../test/world/world.mjs';

const REPO = path.resolve(import.meta.dirname, '..');
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

async function main() {
  const rtt = arg('rtt', 0);
  const count = arg('sites', 6);
  await startWorld({ log: () => {} });
  const world = readWorld();
  execFileSync('npm', ['run', '--silent', 'build:chrome'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const sites = readCatalogue()
    .cases.filter((c) => pageShouldLoad(c, 'chromium') && c.address.state === 'secure' && c.tlsa.state === 'secure' && c.tlsa.result === 'data')
    .map((c) => world.sites.find((s) => s.case === c.id)!)
    .filter((s) => s && s.port === 443)
    .slice(0, count)
    .map((s) => `https://${s.host}/`);
  const b = await launchChromium({ extensionDir: path.join(REPO, 'dist', 'chrome'), world });
  try {
    const helper = await openExtensionPage(b, 'src/options/index.html');
    const front = world.front.delayDoh.replace('{ms}', String(rtt));
    const frontAlt = `${world.front.base}/via/${world.front.upstream}/delay/${rtt}/dns-query`;
    await configure(helper, worldOptions(world, { resolver: { kind: 'custom', url: front } }));
    await ext(helper, "return api.runtime.sendMessage({ type: 'benchTimings', enable: true });");
    const target = await b.browser.waitForTarget((t) => t.type() === 'service_worker');
    const cdp = await target.createCDPSession();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    let profiled = 0;
    for (const [i, url] of sites.entries()) {
      await configure(helper, worldOptions(world, { resolver: { kind: 'custom', url: i % 2 ? front : frontAlt } }));
      await new Promise((r) => setTimeout(r, 300));
      await cdp.send('Profiler.start');
      const w0 = ((await cdp.send('Runtime.evaluate', { expression: 'performance.timeOrigin + performance.now()', returnByValue: true })) as unknown as { result: { value: number } }).result.value;
      const page = await b.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      const tabId = await ext<number>(helper, 'const [t] = await api.tabs.query({ url: arg }); return t.id;', url);
      await waitFor('verdict', () => tabState(helper, tabId), (v) => v.url === url && v.state !== 'checking', 30_000);
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      accumulate(profile);
      profiles.push(profile);
      if (process.env.TIMELINE && i >= sites.length - 2) {
        const { records } = await ext<{ records: { tabId: number; url: string; marks: Record<string, number> }[] }>(helper, "return api.runtime.sendMessage({ type: 'benchTimings' });");
        const marks = records.find((r) => r.tabId === tabId && r.url === url)?.marks ?? {};
        process.stdout.write(`${url}: ${Object.entries(marks).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k}=${(v - w0).toFixed(1)}`).join(' ')}\n`);
        timeline(profile);
      }
      profiled++;
      await page.close();
    }
    fs.mkdirSync(path.join(REPO, 'test', 'artifacts'), { recursive: true });
    fs.writeFileSync(path.join(REPO, 'test', 'artifacts', 'worker-profiles.json'), JSON.stringify(profiles));
    const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((s, [, v]) => s + v, 0);
    const lines = [
      `# Chromium service worker: CPU profile of ${profiled} first visits (RTT ${rtt} ms)`,
      '',
      `Generated ${new Date().toISOString()}. Self time in ms summed over the visits (sampling 0.1 ms); total ${total.toFixed(1)} ms, of which idle ${(self.get('(idle)\t') ?? 0).toFixed(1)}.`,
      '',
      '| self ms | per visit | function | where |',
      '|---|---|---|---|',
      ...rows.slice(0, 40).map(([k, v]) => `| ${v.toFixed(1)} | ${(v / profiled).toFixed(2)} | ${k.split('\t')[0]} | ${k.split('\t')[1] ?? ''} |`),
    ];
    fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(REPO, 'bench', 'results', 'worker-profile.md'), `${lines.join('\n')}\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await b.close();
  }
}

const self = new Map<string, number>();
const profiles: Profile[] = [];

/** Busy spans of one profile: consecutive non-idle samples, with the innermost frames of our bundle. */
function timeline(p: Profile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => {
    const out: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') break;
      out.push(`${f.functionName || '(anon)'}${f.url ? `@${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`);
    }
    return out;
  };
  let t = 0;
  type Span = { start: number; end: number; stacks: Map<string, number> };
  let span: Span | null = null;
  const spans: Span[] = [];
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i]! / 1000;
    const n = byId.get(p.samples[i]!)!;
    if (n.callFrame.functionName === '(idle)') {
      if (span && t - span.end > 0.5) { spans.push(span); span = null; }
      continue;
    }
    const st = stackOf(n.id).slice(0, 6).join(' < ');
    if (!span) span = { start: t, end: t, stacks: new Map() };
    span.end = t;
    span.stacks.set(st, (span.stacks.get(st) ?? 0) + 1);
  }
  if (span) spans.push(span);
  for (const s of spans) {
    const top = [...s.stacks.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    process.stdout.write(`${s.start.toFixed(1).padStart(7)}–${s.end.toFixed(1).padStart(7)} (${(s.end - s.start).toFixed(1)} ms)\n`);
    for (const [k, v] of top) process.stdout.write(`      ${(v / 10).toFixed(1)} ms  ${k}\n`);
  }
}
function accumulate(p: Profile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!)!;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}\t${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
