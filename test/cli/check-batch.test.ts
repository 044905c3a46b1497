/**
 * `check --batch` (issue #15 part 5) against the test world: the real command in a child process.
 * Each line's object must carry the same keys and verdict as a single `check --json` of that name
 * (the same per-name function), plus `input` and `error`; bad lines and a dead resolver give
 * `error` per line; `--resume` skips what is done; the HTML report is opened in a real Chromium
 * (no network, hostile names inert, failing first, filter and sort work); `--svg <dir>` writes one
 * picture per name, the same as a single `--svg`, and the report's rows link them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer';
import { describe, expect, test } from 'vitest';
import { BATCH_LIMITS } from '../../src/cli/batch-limits';
import { readCatalogue, readWorld } from '../world/world.mjs';
import { check, type CliRun } from './run-check';

const world = readWorld();
const resolver = world.resolvers.bind.doh;
const anchor = ['--trust-anchor', world.trustAnchor.zone];
const dir = mkdtempSync(join(tmpdir(), 'check-batch-'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A shell line (for `>>` appends), with the same environment as run-check.ts. */
function sh(cmd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', cmd], { env: { ...process.env, NODE_EXTRA_CA_CERTS: world.ca, NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const jsonl = (s: string) =>
  s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { input: string; error: string | null });

/** Resolvers may hand out an RRset in any order (RFC 2181 §5): compare record lists as sets. */
const unordered = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(unordered).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unordered(x)])) : v;

const HOSTILE = '"><img/src=x/onerror=alert(1)><script>alert(2)</script>.test';
const MIXED = [
  '# hosts of the world: secure, bogus, nonexistent, unsigned, a CNAME; bad lines; a hostile name',
  'www.alg13.test',
  'www.expired.test   # bogus: expired signatures',
  '',
  'nx.nsec3.test',
  'bad..name',
  'two words.test',
  HOSTILE,
  'www.insecure.test',
  'to-secure.cname.test',
];
const NAMES = MIXED.map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');

describe('check --batch', () => {
  const listFile = join(dir, 'mixed.txt');
  const reportFile = join(dir, 'report.html');
  writeFileSync(listFile, MIXED.join('\n') + '\n');
  let batch: CliRun;

  test('one object per name line: the keys and verdict of a single check, plus input and error', async () => {
    batch = await check(['--batch', listFile, '--jobs', '4', '--resolver', resolver, ...anchor, '--report', reportFile]);
    expect(batch.code, batch.stderr).toBe(0);
    const out = jsonl(batch.stdout);
    expect(out.map((o) => o.input).sort()).toEqual([...NAMES].sort());
    const by = new Map(out.map((o) => [o.input, o]));
    expect(by.get('bad..name')).toEqual({ input: 'bad..name', error: 'not a valid host name: bad..name' });
    expect(by.get('two words.test')).toEqual({ input: 'two words.test', error: 'one name per line, not "two words.test"' });
    const checked = NAMES.filter((n) => !['bad..name', 'two words.test'].includes(n));
    const singles = await Promise.all(checked.map((n) => check([n, '--resolver', resolver, ...anchor, '--json'])));
    for (const [i, n] of checked.entries()) {
      expect(singles[i].code, singles[i].stderr).toBe(0);
      const single = JSON.parse(singles[i].stdout);
      const b = by.get(n)!;
      expect(Object.keys(b)).toEqual(['input', ...Object.keys(single), 'error']);
      expect(b.error).toBeNull();
      for (const k of ['host', 'port', 'address', 'tlsa', 'dane', 'chain']) expect(unordered(b[k]), `${n} ${k}`).toEqual(unordered(single[k]));
    }
    expect(by.get('www.expired.test')).toMatchObject({ address: { state: 'bogus' } });
    expect(by.get('nx.nsec3.test')).toMatchObject({ address: { state: 'secure', result: 'nxdomain' } });
    expect(by.get(HOSTILE)).toMatchObject({ host: HOSTILE, address: { state: 'secure', result: 'nxdomain' } });
    // The summary on stderr; stdout holds nothing but the JSON Lines.
    expect(batch.stderr).toMatch(new RegExp(`^check --batch: ${NAMES.length} names in [\\d.]+ s .*; 2 blank or comment lines; 0 done in an earlier run`, 'm'));
    expect(batch.stderr).toMatch(/✗ failing 1 · ! not checked 2 · \? indeterminate 0 · ◐ partly DANE 0 · – no DANE 3 · ● TLSA signed, certificate not compared 2 · ✓ DANE verified 0/);
    expect(batch.stderr).not.toContain('\r'); // no progress line: stderr is not a terminal
  });

  test('--mx: each line a mail domain, the keys of check --mx, the catalogue\'s verdicts', async () => {
    const mail = readCatalogue().mail ?? [];
    const f = join(dir, 'mail.txt');
    writeFileSync(f, mail.map((m) => m.domain).join('\n'));
    const r = await check(['--batch', f, '--mx', '--resolver', world.resolvers.unbound.doh, ...anchor]);
    expect(r.code, r.stderr).toBe(0);
    const out = jsonl(r.stdout);
    expect(out).toHaveLength(mail.length);
    for (const m of mail) {
      const o = out.find((x) => x.input === m.domain)!;
      expect(Object.keys(o)).toEqual(['input', 'domain', 'mx', 'implicitMx', 'nullMx', 'hosts', 'skippedHosts', 'summary', 'chain', 'queries', 'elapsedMs', 'error']);
      expect(o).toMatchObject({ domain: m.domain, mx: m.mx, summary: m.summary, error: null });
      expect((o.hosts as { host: string; dane: string }[]).map((h) => [h.host, h.dane])).toEqual(m.hosts.map((h) => [h.host, h.dane]));
    }
  });

  test('a resolver that never answers: an error per line, exit 3; a dead one stops the batch', async () => {
    const dead = `${world.front.base}/fail/http-500/dns-query`;
    const few = await check(['--batch', listFile, '--resolver', dead, ...anchor]);
    expect(few.code).toBe(3);
    const out = jsonl(few.stdout);
    expect(out).toHaveLength(NAMES.length);
    for (const o of out.filter((x) => !['bad..name', 'two words.test'].includes(x.input))) {
      expect(o).toEqual({ input: o.input, error: `resolver ${dead} unreachable: HTTP status 500` });
    }
    const many = Array.from({ length: BATCH_LIMITS.maxConsecutiveResolverFailures + 60 }, (_, i) => `h${i}.bench.test`);
    const f = join(dir, 'many.txt');
    writeFileSync(f, many.join('\n'));
    const stop = await check(['--batch', f, '--jobs', '8', '--resolver', dead, ...anchor]);
    expect(stop.code).toBe(3);
    const got = jsonl(stop.stdout);
    expect(got.length).toBeGreaterThanOrEqual(BATCH_LIMITS.maxConsecutiveResolverFailures);
    expect(got.length).toBeLessThan(many.length);
    expect(stop.stderr).toMatch(/stopped: the resolver .* did not answer for 64 names in a row; .*--resume/);
  });

  test('--resume: done names are skipped; error lines and a cut-off last line are checked again, appending to the same file', async () => {
    const f = join(dir, 'resume.txt');
    const out = join(dir, 'resume.jsonl');
    const first = ['www.alg13.test', 'www.alg14.test', 'www.nsec3.test', 'notlsa.dane.test', 'bad..name'];
    writeFileSync(f, first.join('\n') + '\n');
    const r1 = await sh(`node bin/check.js --batch ${f} --resolver ${resolver} ${anchor.join(' ')} > ${out}`);
    expect(r1.code, r1.stderr).toBe(0);
    // A run cut off mid-write: the last line loses its end (and its line break).
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const last = lines.at(-1)!;
    const cut = JSON.parse(last).input as string;
    writeFileSync(out, [...lines.slice(0, -1), last.slice(0, 40)].join('\n'));
    writeFileSync(f, [...first, 'www.dane.example'].join('\n') + '\n');
    const r2 = await sh(`node bin/check.js --batch ${f} --resume ${out} --resolver ${resolver} ${anchor.join(' ')} >> ${out}`);
    expect(r2.code, r2.stderr).toBe(0);
    const done = first.filter((n) => n !== cut && n !== 'bad..name');
    expect(r2.stderr).toMatch(new RegExp(`; ${done.length} done in an earlier run \\(--resume\\)`));
    expect(r2.stderr).toMatch(/1 line\(s\) of .* are not complete results/);
    const all = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
    const parsed = all.map((l) => {
      try {
        return JSON.parse(l) as { input: string; error: string | null };
      } catch {
        return null;
      }
    });
    expect(parsed.filter((p) => p === null)).toHaveLength(1); // only the cut-off fragment, on a line of its own
    const again = parsed.slice(lines.length).map((p) => p!.input);
    expect(again.sort()).toEqual([cut, 'www.dane.example', ...(cut === 'bad..name' ? [] : ['bad..name'])].sort());
    for (const n of [...first, 'www.dane.example'].filter((n) => n !== 'bad..name')) {
      expect(parsed.filter((p) => p?.input === n && p.error === null), n).toHaveLength(1);
    }
  });

  test('--svg <dir> with --report: one well-formed picture per name naming each zone of its chain, the same as a single --svg; the rows link them', async () => {
    const pics = join(dir, 'pictures of #1'); // does not exist yet; a space and a # in the URL
    const report = join(dir, 'pics-report.html');
    const list = join(dir, 'pics.txt');
    const now = new Date().toISOString();
    writeFileSync(list, ['www.alg13.test', 'WWW.Alg13.TEST.', 'www.expired.test', 'nx.nsec3.test', 'bad..name', '../../escape.test', '\\.\\.\\047\\.\\.\\047escape.test', HOSTILE].join('\n') + '\n');
    const r = await check(['--batch', list, '--svg', pics, '--report', report, '--now', now, '--resolver', resolver, ...anchor]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`pictures: 6 written into ${pics}`);
    const out = jsonl(r.stdout).filter((o) => o.error === null) as (ReturnType<typeof jsonl>[number] & { chain: { zone: string }[] })[];
    expect(out).toHaveLength(6);
    // One file per name: the two spellings of www.alg13.test are one name; nothing outside the directory.
    const files = readdirSync(pics).sort();
    expect(files).toHaveLength(5);
    for (const f of files) expect(f).toMatch(/^[a-z0-9._-]+\.svg$/);
    expect(existsSync(join(dir, 'escape.test.svg')) || existsSync(join(dir, '..', 'escape.test.svg'))).toBe(false);
    const { Resvg } = await import('@resvg/resvg-js');
    for (const f of files) {
      const xml = readFileSync(join(pics, f), 'utf8');
      expect(new Resvg(xml).render().width, f).toBeGreaterThan(0); // strict XML parser: throws on malformed input
    }
    // The report links every checked row to its picture; each picture names each zone of its chain.
    const html = readFileSync(report, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)![1]) as unknown[][];
    const linkOf = new Map(data.map((d) => [d[3] as string, d[8] as string | null]));
    expect(linkOf.get('bad..name')).toBeNull();
    for (const o of out) {
      const link = linkOf.get(o.input);
      expect(link, o.input).toMatch(/^pictures%20of%20%231\/[a-z0-9._-]+\.svg$/);
      const file = fileURLToPath(new URL(link!, pathToFileURL(report)));
      expect(existsSync(file), file).toBe(true);
      const xml = readFileSync(file, 'utf8');
      expect(o.chain.length, o.input).toBeGreaterThan(0);
      for (const z of o.chain) expect(xml, `${o.input} ${z.zone}`).toContain(`data-name="${z.zone}"`);
    }
    expect(html.match(/<a href="pictures%20of%20%231\/[a-z0-9._-]+\.svg"/g)).toHaveLength(6); // the noscript table too
    // The very picture of a single check --svg of that name, at the same clock.
    const single = join(dir, 'single.svg');
    const one = await check(['www.expired.test', '--svg', single, '--now', now, '--resolver', resolver, ...anchor]);
    expect(one.code, one.stderr).toBe(0);
    expect(readFileSync(fileURLToPath(new URL(linkOf.get('www.expired.test')!, pathToFileURL(report))), 'utf8')).toBe(readFileSync(single, 'utf8'));
    // In Chromium: the rendered rows carry the links, and opening the page loads nothing.
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--proxy-server=127.0.0.1:9'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
      const hrefs = await page.$$eval('#rows td.name a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(hrefs).toHaveLength(6);
      for (const h of hrefs) expect(existsSync(fileURLToPath(h)), h).toBe(true);
      expect(requests).toEqual([pathToFileURL(report).href]);
    } finally {
      await browser.close();
    }
  });

  test('--report: one self-contained page; hostile names inert; failing first; filter and sort work (Chromium)', async () => {
    expect(batch?.code).toBe(0);
    const html = readFileSync(reportFile, 'utf8');
    expect(html).not.toContain('<img');
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--proxy-server=127.0.0.1:9'],
    });
    try {
      const page = await browser.newPage();
      const events: string[] = [];
      page.on('dialog', async (d) => {
        events.push(`dialog ${d.message()}`);
        await d.dismiss();
      });
      page.on('pageerror', (e) => events.push(`pageerror ${e}`));
      page.on('console', (m) => events.push(`console ${m.type()} ${m.text()}`));
      page.on('request', (r) => {
        if (r.url() !== `file://${reportFile}`) events.push(`request ${r.url()}`);
      });
      await page.goto(`file://${reportFile}`, { waitUntil: 'load' });
      const rows = () => page.$$eval('#rows tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      const all = await rows();
      expect(all).toHaveLength(NAMES.length);
      expect(all[0][0]).toMatch(/^✗ failing/);
      expect(all[0][1]).toBe('www.expired.test');
      expect(all.slice(1, 3).map((r) => r[1]).sort()).toEqual(['bad..name', 'two words.test']);
      expect(all.map((r) => r[1])).toContain(HOSTILE); // shown as text, never parsed as markup
      expect(await page.$$eval('img', (x) => x.length)).toBe(0);
      expect(await page.$$eval('script', (x) => x.length)).toBe(2);
      expect(await page.$eval('#count', (e) => e.textContent)).toBe(`${NAMES.length} of ${NAMES.length} rows`);
      await page.type('#q', 'nxdomain');
      expect((await rows()).map((r) => r[1]).sort()).toEqual([HOSTILE, 'nx.nsec3.test'].sort());
      await page.$eval('#q', (e) => ((e as HTMLInputElement).value = ''));
      await page.$eval('#q', (e) => e.dispatchEvent(new Event('input')));
      await page.click('.chip[data-level="fail"]'); // hide the failing ones
      expect((await rows()).some((r) => /failing/.test(r[0]))).toBe(false);
      await page.click('th[data-k="input"]'); // sort by name
      const names = (await rows()).map((r) => r[1]);
      expect(names).toEqual([...names].sort());
      expect(events).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
