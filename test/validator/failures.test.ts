/**
 * Resolver failures against the world's DoH front (`/fail/<mode>/`, `/delay/<ms>/`) and a closed
 * port: the DoH client's typed errors, retries with backoff and failover (attempts counted by the
 * front under a per-test tag), the validator's `indeterminate` verdict with its reason, the
 * `check` CLI's exit status and message, and the extension's Engine with a dead primary resolver
 * and with kept answers that no longer prove a mail check (they are dropped and asked again).
 * The browser side (toolbar never stuck on "checking", pages still load) is in
 * test/browser/hostile-e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Engine } from '../../src/background/engine';
import { countingFetch, memoryAnswerStorage } from '../../src/background/kept-answers.test-helper';
import { fromBase64, toBase64 } from '../../src/core/util/encoding';
import { parseMessage } from '../../src/core/wire/packet';
import { httpsFetch } from '../../src/cli/https-fetch';
import { toCheckResult, validateHost } from '../../src/core/check';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient, type ResolverErrorKind } from '../../src/core/transport/doh';
import { parseName } from '../../src/core/wire/name';
import { RRType } from '../../src/core/wire/types';
import { defaultOptions } from '../../src/shared/options';
import { readWorld } from '../world/world.mjs';
import { check } from '../cli/run-check';
import { frontTagStats, taggedResolver } from '../support/front';

const world = readWorld();
const ca = readFileSync(world.ca);
const anchorText = readFileSync(world.trustAnchor.zone, 'utf8');
const parsed = parseTrustAnchors(anchorText);
if (!parsed.ok) throw new Error('world trust anchor');
const anchors = parsed.anchors;
const fetch = httpsFetch({ ca });
afterAll(() => fetch.close());

/** Nothing listens there: connection refused at once. */
const DEAD = `https://${new URL(world.front.base).hostname}:9/dns-query`;
const tag = () => `fail-${randomUUID()}`;
const route = (t: string, r: string) => taggedResolver(world.front.base, t, r);
const attempts = (t: string) => frontTagStats(fetch, world.front.base, t);

interface Mode {
  mode: string;
  route: string;
  kind: ResolverErrorKind;
  message: RegExp;
  /** Transient failures are retried (timeout, network, HTTP 5xx). */
  retried: boolean;
}

const MODES: Mode[] = [
  { mode: 'HTTP 500', route: '/fail/http-500', kind: 'http-status', message: /HTTP status 500/, retried: true },
  { mode: 'HTTP 503', route: '/fail/http-503', kind: 'http-status', message: /HTTP status 503/, retried: true },
  { mode: 'HTTP 404', route: '/fail/http-404', kind: 'http-status', message: /HTTP status 404/, retried: false },
  { mode: 'an HTML page with 200', route: '/fail/html', kind: 'content-type', message: /text\/html/, retried: false },
  { mode: 'the DNS answer as text/plain', route: '/fail/content-type', kind: 'content-type', message: /text\/plain/, retried: false },
  { mode: 'a reset stream', route: '/fail/reset', kind: 'network', message: /./, retried: true },
  { mode: 'slow (delay beyond the timeout)', route: '/delay/3000', kind: 'timeout', message: /no answer within 400 ms/, retried: true },
  { mode: 'no answer at all', route: '/fail/hang', kind: 'timeout', message: /no answer within 400 ms/, retried: true },
];

describe.concurrent('DohClient: typed errors, retries', () => {
  test.each(MODES.map((m) => [m.mode, m] as const))('%s', async (_n, m) => {
    const t = tag();
    const client = new DohClient({ urls: [route(t, m.route)], fetch, retries: 1, timeoutMs: 400 });
    const r = await client.query('www.alg13.test.', RRType.A);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind, r.error.message).toBe(m.kind);
    expect(r.error.message).toMatch(m.message);
    const seen = await attempts(t);
    expect(seen.total).toBe(m.retried ? 2 : 1);
  });

  test('resolver down (closed port): network error after one retry', async () => {
    const client = new DohClient({ urls: [DEAD], fetch, retries: 1 });
    const t0 = performance.now();
    const r = await client.query('www.alg13.test.', RRType.A);
    expect(!r.ok && r.error.kind).toBe('network');
    expect(!r.ok && r.error.message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95); // one backoff of 100 ms
  });

  test('retries back off exponentially: 100 ms, then 200 ms', async () => {
    const t = tag();
    const client = new DohClient({ urls: [route(t, '/fail/http-500')], fetch, retries: 2 });
    const r = await client.query('www.alg13.test.', RRType.A);
    expect(!r.ok && r.error.kind).toBe('http-status');
    const seen = await attempts(t);
    expect(seen.total).toBe(3);
    const at = seen.queries.map((q) => q.at);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(95);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(195);
  });
});

describe.concurrent('failover to the second resolver', () => {
  test.each([
    ['down (closed port)', () => DEAD, 0],
    ['HTTP 500 (retried first)', (t: string) => route(t, '/fail/http-500'), 2],
    ['HTML with 200 (not retried)', (t: string) => route(t, '/fail/html'), 1],
    ['slow', (t: string) => route(t, '/delay/3000'), 2],
  ] as const)('primary %s → the answer comes from the secondary', async (_n, primary, firstAttempts) => {
    const t1 = tag();
    const t2 = tag();
    const secondary = route(t2, '');
    const client = new DohClient({ urls: [primary(t1), secondary], fetch, retries: 1, timeoutMs: 400 });
    const r = await client.query('www.alg13.test.', RRType.A);
    expect(r.ok).toBe(true);
    expect(r.ok && r.url).toBe(secondary);
    expect((await attempts(t1)).total).toBe(firstAttempts);
    expect((await attempts(t2)).total).toBe(1);
  });

  test('a whole verdict with a dead primary: secure, every question answered by the secondary', async () => {
    const t2 = tag();
    const v = new Validator({ resolver: new DohClient({ urls: [DEAD, route(t2, '')], fetch, retries: 0 }), anchors });
    const r = toCheckResult('www.alg13.test', 443, await validateHost(v, parseName('www.alg13.test')!, 443), 0);
    expect(r.address.state).toBe('secure');
    expect(r.tlsa.state).toBe('secure');
    expect((await attempts(t2)).total).toBe(r.queries);
  });
});

describe.concurrent('the validator: indeterminate with the reason, never secure', () => {
  test.each([
    ['down', () => DEAD, 'resolver-error', /network: .*ECONNREFUSED/],
    ['HTTP 500', (t: string) => route(t, '/fail/http-500'), 'resolver-error', /http-status: HTTP status 500/],
    ['HTTP 404', (t: string) => route(t, '/fail/http-404'), 'resolver-error', /http-status: HTTP status 404/],
    ['HTML', (t: string) => route(t, '/fail/html'), 'resolver-error', /content-type: unexpected content-type "text\/html"/],
    ['wrong content type', (t: string) => route(t, '/fail/content-type'), 'resolver-error', /content-type/],
    ['slow', (t: string) => route(t, '/delay/3000'), 'resolver-error', /timeout: no answer within 400 ms/],
    ['SERVFAIL', (t: string) => route(t, '/fail/servfail'), 'resolver-rcode', /resolver answered SERVFAIL/],
    ['REFUSED', (t: string) => route(t, '/fail/refused'), 'resolver-rcode', /resolver answered REFUSED/],
  ] as const)('%s', async (_n, url, code, message) => {
    const v = new Validator({ resolver: new DohClient({ urls: [url(tag())], fetch, retries: 0, timeoutMs: 400 }), anchors });
    const r = toCheckResult('www.alg13.test', 443, await validateHost(v, parseName('www.alg13.test')!, 443), 0);
    for (const part of [r.address, r.tlsa]) {
      expect(part.state).toBe('indeterminate');
      expect(part.reasonCode).toBe(code);
      expect(part.reason).toMatch(message);
    }
  });

  test('a body that is no DNS message (application/dns-message): bogus malformed-answer, never secure', async () => {
    const v = new Validator({ resolver: new DohClient({ urls: [route(tag(), '/fail/garbage')], fetch, retries: 0 }), anchors });
    const r = await v.lookup(parseName('www.alg13.test')!, RRType.A);
    expect(r.state).toBe('bogus');
    expect(r.reason?.code).toBe('malformed-answer');
  });
});


describe.concurrent('the check CLI', () => {
  test.each([
    ['down', DEAD, /unreachable: .*ECONNREFUSED/],
    ['HTTP 500', route('cli-500', '/fail/http-500'), /unreachable: HTTP status 500/],
    ['HTTP 404', route('cli-404', '/fail/http-404'), /unreachable: HTTP status 404/],
    ['HTML', route('cli-html', '/fail/html'), /unreachable: unexpected content-type "text\/html"/],
    ['wrong content type', route('cli-ct', '/fail/content-type'), /unreachable: unexpected content-type "text\/plain"/],
  ])('resolver %s: exit 3 with the reason', async (_n, url, message) => {
    const r = await check(['www.alg13.test', '--resolver', url, '--trust-anchor', world.trustAnchor.zone, '--json']);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stderr).toMatch(message);
  });

  test.each([
    ['SERVFAIL', '/fail/servfail'],
    ['REFUSED', '/fail/refused'],
  ])('%s: a verdict (exit 0): indeterminate with the RCODE as reason', async (name, r) => {
    const out = await check(['www.alg13.test', '--resolver', route(tag(), r), '--trust-anchor', world.trustAnchor.zone, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const j = JSON.parse(out.stdout);
    expect(j.address).toMatchObject({ state: 'indeterminate', reasonCode: 'resolver-rcode' });
    expect(j.address.reason).toMatch(new RegExp(`resolver answered ${name}`));
    expect(j.tlsa.state).toBe('indeterminate');
  });
});

describe('the extension engine (background) against the world', () => {
  const options = (primary: string, secondary: string | null) => ({
    ...defaultOptions(),
    resolver: { kind: 'custom' as const, url: primary },
    secondaryResolver: secondary ? { kind: 'custom' as const, url: secondary } : null,
    trustAnchor: { kind: 'custom' as const, text: anchorText },
  });

  test('dead primary, working secondary: a secure verdict', async () => {
    const engine = new Engine({ fetch });
    engine.configure(options(DEAD, route(tag(), '')));
    const c = await engine.check('www.alg13.test', 443);
    expect(c.result.address.state).toBe('secure');
    expect(c.resolvers).toEqual([DEAD, expect.stringContaining('/dns-query')]);
  });

  test('both dead: the check resolves (never hangs) to indeterminate with the reason', async () => {
    const engine = new Engine({ fetch });
    engine.configure(options(DEAD, route(tag(), '/fail/http-404')));
    const t0 = performance.now();
    const c = await engine.check('www.alg13.test', 443);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(c.result.address).toMatchObject({ state: 'indeterminate', reasonCode: 'resolver-error' });
    expect(c.result.address.reason).toMatch(/HTTP status 404/);
  });
});

describe('the engine keeps the answers of a proven mail check, and asks again when they no longer prove it', () => {
  const options = { ...defaultOptions(), resolver: { kind: 'custom' as const, url: route(tag(), '') }, secondaryResolver: null, trustAnchor: { kind: 'custom' as const, text: anchorText } };

  const counting = () => countingFetch(fetch);

  test('a restarted background checks mail.test from the kept answers; a changed kept MX answer is dropped and asked again', async () => {
    const mem = memoryAnswerStorage();
    const net1 = counting();
    const first = new Engine({ fetch: net1.fetch, answers: mem.storage });
    first.configure(options);
    const r1 = await first.checkMail('mail.test');
    expect([r1.mx.state, r1.summary]).toEqual(['secure', 'some']);
    const kept = mem.s.stored!.answers.map((a) => ({ q: a.q, e: a.e }));
    expect(kept.map((a) => a.q)).toEqual(expect.arrayContaining(['mail.test./15', 'mx1.mail.test./1', '_25._tcp.mx1.mail.test./52']));

    // A new life: the same result, asking the resolver only what was not kept or ran out since.
    // The shared world resolver hands out cached answers with their TTLs counted down (negative
    // answers live 60 s here, SOA minimum): one another test had it fetch 59 s ago arrives with
    // TTL 0 and is not kept (RFC 1035 §3.2.1), so "no question at all" depends on the suite's order.
    const servable = (t: number) => new Set(kept.filter((a) => a.e > t).map((a) => a.q));
    const net = counting();
    const second = new Engine({ fetch: net.fetch, answers: mem.storage });
    second.configure(options);
    const t2 = Date.now();
    const r2 = await second.checkMail('mail.test');
    const t2end = Date.now();
    expect([r2.mx.state, r2.summary, r2.hosts.map((h) => h.dane)]).toEqual([r1.mx.state, r1.summary, r1.hosts.map((h) => h.dane)]);
    const askedFirst = new Set(net1.questions());
    const asked = new Set(net.questions());
    const servableAtStart = servable(t2);
    const servableAtEnd = servable(t2end);
    expect(servableAtEnd.size, 'answers kept and still servable').toBeGreaterThan(askedFirst.size / 2);
    // Nothing servable from the kept answers was asked, and nothing new…
    expect([...asked].filter((q) => servableAtEnd.has(q) || !askedFirst.has(q))).toEqual([]);
    // …and what could not be served was.
    expect([...askedFirst].filter((q) => !servableAtStart.has(q) && !asked.has(q))).toEqual([]);

    // The kept MX answer changed (the first MX preference, its signature kept): not proven any more.
    const entry = mem.s.stored!.answers.find((a) => a.q === 'mail.test./15')!;
    const bytes = fromBase64(entry.b)!;
    const mx = parseMessage(bytes).answer.find((rr) => rr.type === RRType.MX)!.rdata;
    // The parsed RDATA has the exchange name uncompressed: find its preference and first label.
    const wire = mx.subarray(0, 3 + mx[2]!);
    const at = bytes.findIndex((_, i) => wire.every((x, j) => bytes[i + j] === x));
    expect(at).toBeGreaterThan(12);
    bytes[at + 1] ^= 0x01;
    entry.b = toBase64(bytes);
    const net3 = counting();
    const third = new Engine({ fetch: net3.fetch, answers: mem.storage });
    third.configure(options);
    const r3 = await third.checkMail('mail.test');
    expect([r3.mx.state, r3.summary]).toEqual(['secure', 'some']); // without the retry: bogus
    expect(net3.asked()).toBeGreaterThan(0);
  });
});
