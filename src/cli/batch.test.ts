/**
 * The pure parts of `check --batch`: reading lines, what a line means, resume entries, argument
 * parsing, the compact row per result, the summary, and the HTML report's escaping. The command
 * itself runs against the test world in test/cli/check-batch.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { classifyLine, readLines, resumeEntry, type RawLine } from './batch-input';
import { BATCH_LIMITS } from './batch-limits';
import { errorRow, LEVELS, rowOf, type BatchRow } from './batch-row';
import { parseBatchCli, progressText, runBatch, summaryText, type BatchStats } from './batch';
import { compareRows, escapeHtml, jsonForScript, pictureBase, reportChunks } from './report-html';
import { svgFileName } from './svg-names';
import { parseName } from '../core/wire/name';
import type { CheckResult } from '../core/check';
import type { MailResult } from '../core/mail';

async function lines(chunks: (string | Uint8Array)[], max = 1024): Promise<RawLine[]> {
  const out: RawLine[] = [];
  async function* gen() {
    for (const c of chunks) yield c;
  }
  for await (const l of readLines(gen(), max)) out.push(l);
  return out;
}

describe('readLines', () => {
  test('splits across chunk boundaries, strips CR, marks a last line without a break', async () => {
    const ls = await lines(['a.test\r\nb.te', 'st\n\nc.test']);
    expect(ls).toEqual([
      { text: 'a.test', tooLong: false, complete: true },
      { text: 'b.test', tooLong: false, complete: true },
      { text: '', tooLong: false, complete: true },
      { text: 'c.test', tooLong: false, complete: false },
    ]);
  });

  test('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('ž.test\n');
    const ls = await lines([bytes.slice(0, 1), bytes.slice(1)]);
    expect(ls).toEqual([{ text: 'ž.test', tooLong: false, complete: true }]);
  });

  test('a line past the limit is cut, flagged, and the next line is intact', async () => {
    const ls = await lines(['x'.repeat(30), 'y'.repeat(30), '\nok.test\n'], 40);
    expect(ls).toEqual([
      { text: 'x'.repeat(30) + 'y'.repeat(10), tooLong: true, complete: true },
      { text: 'ok.test', tooLong: false, complete: true },
    ]);
  });

  test('an empty stream has no lines; a final line break adds none', async () => {
    expect(await lines([])).toEqual([]);
    expect(await lines(['a\n'])).toHaveLength(1);
  });
});

describe('classifyLine', () => {
  const c = (text: string, tooLong = false) => classifyLine({ text, tooLong, complete: true }, 1024);
  test.each([
    ['www.example.test', { kind: 'name', input: 'www.example.test' }],
    ['  www.example.test  ', { kind: 'name', input: 'www.example.test' }],
    ['\uFEFFfirst.test', { kind: 'name', input: 'first.test' }],
    ['mail.test # our main domain', { kind: 'name', input: 'mail.test' }],
    ['# a comment', { kind: 'skip' }],
    ['   ', { kind: 'skip' }],
    ['', { kind: 'skip' }],
  ])('%j', (text, want) => expect(c(text)).toEqual(want));

  test('two words, or a line too long, are bad lines with the reason', () => {
    expect(c('example.test 25')).toEqual({ kind: 'bad', input: 'example.test 25', error: 'one name per line, not "example.test 25"' });
    const long = c('a'.repeat(100), true);
    expect(long.kind).toBe('bad');
    expect(long).toMatchObject({ error: expect.stringMatching(/longer than 1024/) });
  });
});

describe('resumeEntry', () => {
  test('a result is done; an error line is not; a cut-off or foreign line is ignored', () => {
    expect(resumeEntry('{"input":"a.test","host":"a.test","error":null}')).toEqual({ input: 'a.test', done: true });
    expect(resumeEntry('{"input":"b.test","error":"resolver x unreachable"}')).toEqual({ input: 'b.test', done: false });
    expect(resumeEntry('{"input":"c.test","host":"c.te')).toBeNull();
    expect(resumeEntry('[1,2]')).toBeNull();
    expect(resumeEntry('{"host":"d.test"}')).toBeNull();
    expect(resumeEntry('null')).toBeNull();
  });
});

describe('parseBatchCli', () => {
  test('batch flags are its own; the rest is a single check\'s, --mx without a value', () => {
    const o = parseBatchCli(['--batch', 'list.txt', '--mx', '--jobs', '8', '--resolver', 'https://127.0.54.1/dns-query', '--report=r.html', '--now', '2026-01-01T00:00:00Z']);
    expect(o).toMatchObject({ file: 'list.txt', jobs: 8, report: 'r.html', resume: undefined });
    expect(o.check).toMatchObject({ mx: true, resolver: 'https://127.0.54.1/dns-query', now: Date.parse('2026-01-01T00:00:00Z') });
    const h = parseBatchCli(['--batch=-', '--port', '25', '--connect']);
    expect(h).toMatchObject({ file: '-', jobs: BATCH_LIMITS.defaultJobs });
    expect(h.check).toMatchObject({ port: 25, connect: true });
    expect(h.check.mx).toBeUndefined();
  });

  test('--svg names the pictures\' directory in a batch (not a file of the single check)', () => {
    const o = parseBatchCli(['--batch', 'list.txt', '--svg', 'pics', '--report', 'r.html']);
    expect(o.svgDir).toBe('pics');
    expect(o.check.svg).toBeUndefined();
    expect(parseBatchCli(['--batch', 'list.txt']).svgDir).toBeUndefined();
  });

  test('--svg <dir> that cannot be a directory: exit 2 before any query', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'batch-svg-'));
    const list = join(tmp, 'list.txt');
    writeFileSync(list, 'www.example.test\n');
    const err: string[] = [];
    const out: string[] = [];
    // The resolver is a closed port: were a query sent, the line would fail at the transport (exit 3), not 2.
    const code = await runBatch(['--batch', list, '--svg', list, '--resolver', 'https://127.0.0.1:9/dns-query'], { out: (s) => out.push(s), err: (s) => err.push(s), errTTY: false });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/^check: cannot write pictures into .*list\.txt: E(EXIST|NOTDIR)/);
    expect(out).toEqual([]);
  });

  test('--jobs above the per-resolver cap is capped (and said so by the caller)', () => {
    const o = parseBatchCli(['--batch', 'f', '--jobs', String(BATCH_LIMITS.maxJobsPerResolver + 1)]);
    expect(o.jobs).toBe(BATCH_LIMITS.maxJobsPerResolver);
    expect(o.jobsAsked).toBe(BATCH_LIMITS.maxJobsPerResolver + 1);
  });

  test.each([
    [['--batch', 'f', 'www.example.test'], /no name on the command line/],
    [['--batch', 'f', '--jobs', '0'], /--jobs needs a whole number/],
    [['--batch', 'f', '--jobs', '2.5'], /--jobs needs a whole number/],
    [['--batch', 'f', '--resolver', 'http://x/dns-query'], /bad resolver URL/],
    [['--batch', 'f', '--port', '0'], /not a valid port/],
    [['--batch', 'f', '--mx', '--type', 'A'], /cannot be combined/],
    [['--batch', 'f', '--bogus-flag'], /Unknown option/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseBatchCli(argv)).toThrow(msg);
  });
});

const host = (over: Partial<CheckResult>): CheckResult => ({
  host: 'h.test',
  port: 443,
  address: { state: 'secure', result: 'data', records: ['192.0.2.1'] },
  tlsa: { name: '_443._tcp.h.test', state: 'secure', result: 'data', records: ['3 1 1 ' + 'ab'.repeat(32)] },
  dane: 'not-checked',
  chain: [],
  queries: 7,
  elapsedMs: 12,
  ...over,
});

describe('rowOf: the level says what was proven', () => {
  test.each([
    ['signed TLSA, not compared', host({}), 'dns-ok', 'tlsa'],
    ['compared and matched', host({ dane: 'match', connectedAddress: '192.0.2.1' }), 'ok', 'match'],
    ['compared, no match', host({ dane: 'mismatch', daneReason: 'no record matched' }), 'fail', 'mismatch'],
    ['bogus address', host({ address: { state: 'bogus', result: 'data', records: [], reason: 'signature expired' } }), 'fail', 'bogus'],
    ['bogus TLSA', host({ tlsa: { name: '_443._tcp.h.test', state: 'bogus', result: 'data', records: [], reason: 'bad sig' } }), 'fail', 'bogus'],
    ['failed lookup', host({ tlsa: { name: '_443._tcp.h.test', state: 'indeterminate', result: 'data', records: [], reason: 'timeout' } }), 'unknown', 'indeterminate'],
    ['unsigned', host({ tlsa: { name: '_443._tcp.h.test', state: 'insecure', result: 'data', records: [] } }), 'none', 'insecure'],
    ['no TLSA', host({ tlsa: { name: '_443._tcp.h.test', state: 'secure', result: 'nxdomain', records: [] } }), 'none', 'no-tlsa'],
    ['no such name', host({ address: { state: 'secure', result: 'nxdomain', records: [] }, tlsa: { name: '_443._tcp.h.test', state: 'secure', result: 'nxdomain', records: [] } }), 'none', 'nxdomain'],
  ] as const)('host: %s', (_what, r, level, state) => {
    const row = rowOf('h.test', { kind: 'host', result: r });
    expect(row).toMatchObject({ input: 'h.test', kind: 'host', level, state, queries: 7, elapsedMs: 12 });
    expect(row.reason.length).toBeGreaterThan(0);
  });

  const mail = (over: Partial<MailResult>, hosts: Partial<MailResult['hosts'][number]>[] = []): MailResult => ({
    domain: 'm.test',
    mx: { state: 'secure', result: 'data', records: ['10 mx.m.test.'] },
    implicitMx: false,
    nullMx: false,
    hosts: hosts.map((h) => ({
      host: 'mx.m.test',
      preference: 10,
      address: { state: 'secure', result: 'data', records: [] },
      tlsa: { name: '_25._tcp.mx.m.test', state: 'secure', result: 'data', records: [] },
      usable: [],
      dane: 'dane',
      reasonCode: 'dane',
      reason: 'usable records',
      ...h,
    })),
    skippedHosts: 0,
    summary: 'all',
    chain: [],
    queries: 9,
    elapsedMs: 30,
    ...over,
  });

  test.each([
    ['all hosts with TLSA, not compared', mail({}, [{}]), 'dns-ok', 'all'],
    ['some', mail({ summary: 'some' }, [{}, { host: 'mx2.m.test', dane: 'no-tlsa', reason: 'no TLSA records' }]), 'partial', 'some'],
    ['bogus MX', mail({ summary: 'bogus', mx: { state: 'bogus', result: 'data', records: [], reason: 'bad sig' } }), 'fail', 'bogus'],
    ['null MX', mail({ summary: 'no-mail', nullMx: true }), 'none', 'no-mail'],
    ['unsigned', mail({ summary: 'not-applicable', mx: { state: 'insecure', result: 'data', records: [] } }), 'none', 'not-applicable'],
    ['no such domain', mail({ summary: 'no-mail', mx: { state: 'secure', result: 'nxdomain', records: [] } }), 'none', 'nxdomain'],
  ] as const)('mail: %s', (_what, r, level, state) => {
    expect(rowOf('m.test', { kind: 'mail', result: r })).toMatchObject({ kind: 'mail', level, state, queries: 9 });
  });

  test('mail with connections (the --mx --connect seam): a mismatch fails, all matching is verified', () => {
    const withConn = (dane: string[]) => mail({}, [{ connections: dane.map((d, i) => ({ address: `192.0.2.${i}`, dane: d, reason: `r${i}` })) } as never]);
    expect(rowOf('m.test', { kind: 'mail', result: withConn(['match', 'mismatch']) })).toMatchObject({ level: 'fail', state: 'mismatch', reason: 'mx.m.test (192.0.2.1): r1' });
    expect(rowOf('m.test', { kind: 'mail', result: withConn(['match', 'unreachable']) })).toMatchObject({ level: 'unknown', state: 'unreachable' });
    expect(rowOf('m.test', { kind: 'mail', result: withConn(['match', 'match']) })).toMatchObject({ level: 'ok', state: 'match' });
  });

  test.each([
    ['secure', 'dns-ok'],
    ['insecure', 'none'],
    ['bogus', 'fail'],
    ['indeterminate', 'unknown'],
  ] as const)('lookup (--type): %s → %s', (state, level) => {
    const r = { name: 'x.test', type: 'TXT', state, result: 'data' as const, records: ['"v=spf1 -all"'], chain: [], elapsedMs: 3, ...(state === 'secure' ? {} : { reason: 'why', reasonCode: 'resolver-error' as const }) };
    expect(rowOf('x.test', { kind: 'lookup', result: r })).toMatchObject({ kind: 'lookup', level, state, queries: null, reason: state === 'secure' ? 'TXT data: "v=spf1 -all"' : 'why' });
  });

  test('a long reason is cut to the named limit', () => {
    const row = errorRow('x.test', 'y'.repeat(1000));
    expect(row.reason).toHaveLength(BATCH_LIMITS.maxReportReasonLength);
    expect(row).toMatchObject({ level: 'error', kind: 'error', queries: null });
  });
});

describe('summary and progress', () => {
  const stats: BatchStats = { names: 10, skippedLines: 2, resumed: 3, byLevel: { fail: 1, error: 2, unknown: 0, partial: 0, none: 4, 'dns-ok': 3, ok: 0 }, resolverFailures: 0, startedMs: 0 };
  test('summary: names, rate, every level in words', () => {
    const s = summaryText(stats, 4000, ['report: r.html']);
    expect(s).toMatch(/^check --batch: 10 names in 4\.0 s \(2\.5\/s\); 2 blank or comment lines; 3 done in an earlier run/);
    expect(s).toContain('✗ failing 1 · ! not checked 2 · ? indeterminate 0');
    expect(s.trimEnd().split('\n').at(-1)).toBe('  report: r.html');
  });
  test('progress: done of total, rate, time left', () => {
    expect(progressText(stats, 5, 33, 2000)).toBe('10 of ~33 names · 5.0/s · 5 in flight · 3 failing or unchecked · ~4 s left');
    expect(progressText(stats, 0, null, 2000)).toBe('10 names · 5.0/s · 0 in flight · 3 failing or unchecked');
  });
});

describe('HTML report', () => {
  const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&\u2028';
  const rows = ([
    { input: 'ok.test', kind: 'host', level: 'dns-ok', state: 'tlsa', words: 'TLSA secure', reason: 'fine', queries: 7, elapsedMs: 5 },
    { input: hostile, kind: 'host', level: 'fail', state: hostile, words: hostile, reason: hostile, queries: 1, elapsedMs: 2 },
    errorRow('bad..name', `not a valid host name: ${hostile}`),
  ] as BatchRow[]).sort(compareRows);
  const meta = { source: `list-${hostile}.txt`, generated: '2026-12-06T00:00:00Z', resolver: `https://r.test/${hostile}`, what: 'hosts, port 443', elapsedSeconds: 1.5, resumed: 0 };
  const html = [...reportChunks(rows, meta)].join('');

  test('escaping: HTML text and JSON inside a script', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const j = jsonForScript({ s: hostile });
    expect(j).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(j)).toEqual({ s: hostile });
  });

  test('failing first', () => {
    expect(rows.map((r) => r.level)).toEqual(['fail', 'error', 'dns-ok']);
    expect(LEVELS.indexOf('fail')).toBe(0);
  });

  test('hostile strings never appear raw; exactly our two script elements; data round-trips', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(1)</script>');
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(data)).toEqual(rows.map((r) => [r.level, r.state, r.words, r.input, r.reason, r.kind, r.queries, r.elapsedMs, null]));
    // The noscript table holds the same rows, escaped.
    expect(html).toContain(`<td class="name">${escapeHtml(hostile)}</td>`);
  });

  test('no network: a CSP with default-src none and the one script allowed by its hash; no URL to fetch', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).toMatch(/^default-src 'none';/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    const tags = [...html.replace(/<script[\s\S]*?<\/script>/g, '<script>').matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
    expect(tags.filter((t) => /\s(src|href|action|srcset)\s*=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/);
  });

  test('--svg <dir>: each row with a picture links it by a relative URL, in the data and the noscript table; rows without none', () => {
    const withPics = rows.map((r) => (r.kind === 'error' ? r : { ...r, svg: svgFileName(parseName(r.input) ?? 'x.') }));
    const page = [...reportChunks(withPics, { ...meta, pictures: pictureBase('/out/report.html', '/out/pics "#?/') })].join('');
    const data = JSON.parse(/<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(page)![1]) as unknown[][];
    const links = data.map((d) => d[8]);
    expect(links[2]).toBe('pics%20%22%23%3F/ok.test.svg');
    expect(links[1]).toBeNull(); // the error row: no picture
    expect(links[0]).toMatch(/^pics%20%22%23%3F\/[a-z0-9._-]+\.svg$/); // the hostile name, made a safe file name
    expect(page).toContain('<td class="name"><a href="pics%20%22%23%3F/ok.test.svg" title="chain of trust picture (SVG)">ok.test</a></td>');
    expect(page.match(/<a href=/g)).toHaveLength(2);
    expect(page).not.toContain('<img');
    expect(pictureBase('/out/report.html', '/out')).toBe('');
    expect(pictureBase('/out/r/report.html', '/out/javascript:alert(1)')).toBe('..%2Fjavascript%3Aalert(1)/'.replace('%2F', '/'));
  });

  test('the whole page is well nested (every opened element closed in order)', () => {
    const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');
    const voids = new Set(['meta', 'br', 'input', '!doctype']);
    const stack: string[] = [];
    for (const m of body.matchAll(/<(\/?)([a-z!][a-z0-9]*)\b[^>]*>/gi)) {
      const name = m[2].toLowerCase();
      if (voids.has(name)) continue;
      if (m[1]) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });
});
