import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../util/encoding';
import { buildMessage, parseMessage } from '../wire/packet';
import { encodeRData } from '../wire/rdata';
import { RRType, type Message } from '../wire/types';
import { DohClient, validateDohUrl, type FetchLike } from './doh';

const URL1 = 'https://doh1.test/dns-query';
const URL2 = 'https://doh2.test/dns-query';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  query: Message;
}

type Reply =
  | { status?: number; contentType?: string | null; contentLength?: string; body?: Uint8Array; edit?: (m: Message) => void }
  | 'reject'
  | 'hang'
  | 'body-reject';

/** Answer every query with an A record, unless `script` says otherwise for call number n. */
function fakeFetch(script: (n: number, call: Call) => Reply = () => ({})) {
  const calls: Call[] = [];
  const signals: AbortSignal[] = [];
  const fetch: FetchLike = async (input, init) => {
    const u = new URL(input);
    const raw = init.method === 'GET' ? fromBase64Url(u.searchParams.get('dns')!)! : init.body!;
    const call: Call = { url: input, method: init.method, headers: init.headers, query: parseMessage(raw) };
    calls.push(call);
    if (init.signal) signals.push(init.signal);
    const r = script(calls.length, call);
    if (r === 'reject') throw new TypeError('Failed to fetch');
    if (r === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const q = call.query;
    const resp: Message = {
      header: { ...q.header, qr: true, ra: true },
      question: q.question,
      answer: [
        {
          name: q.question[0].name,
          type: RRType.A,
          class: 1,
          ttl: 60,
          rdata: encodeRData({ kind: 'A', address: '192.0.2.1' }),
          data: { kind: 'A', address: '192.0.2.1' },
        },
      ],
      authority: [],
      additional: [],
      edns: { udpPayloadSize: 1232, version: 0, dnssecOk: true, extendedRcode: 0, options: [] },
    };
    if (r !== 'body-reject') r.edit?.(resp);
    const body = r !== 'body-reject' && r.body ? r.body : buildMessage(resp);
    const ct = r !== 'body-reject' && r.contentType !== undefined ? r.contentType : 'application/dns-message';
    const headers = new Map<string, string>();
    if (ct !== null) headers.set('content-type', ct);
    if (r !== 'body-reject' && r.contentLength) headers.set('content-length', r.contentLength);
    const status = r !== 'body-reject' ? (r.status ?? 200) : 200;
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
      arrayBuffer: async () => {
        if (r === 'body-reject') throw new TypeError('connection reset');
        return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
      },
    };
  };
  return { fetch, calls, signals };
}

describe('validateDohUrl', () => {
  it('accepts https URLs with a path and strips {?dns}', () => {
    expect(validateDohUrl('https://dns.example/dns-query{?dns}')).toEqual({ ok: true, url: 'https://dns.example/dns-query' });
    expect(validateDohUrl(' https://dns.example:8443/q?ct=1 ')).toEqual({ ok: true, url: 'https://dns.example:8443/q?ct=1' });
  });
  it('rejects everything else', () => {
    for (const bad of [
      'http://dns.example/dns-query',
      'http://127.0.0.1/dns-query',
      'https://dns.example',
      'https://dns.example/',
      'https://user:pw@dns.example/dns-query',
      'https://dns.example/dns-query#x',
      'https://dns.example/dns-query?dns=AAAA',
      'https://dns.example/{path}',
      'dns.example/dns-query',
      '',
    ]) {
      expect(validateDohUrl(bad).ok, bad).toBe(false);
    }
  });
});

describe('DohClient', () => {
  it('POSTs a DO+CD query with id 0 (RFC 8484 §4.1)', async () => {
    const f = fakeFetch();
    const c = new DohClient({ urls: [URL1], fetch: f.fetch });
    const r = await c.query('Example.COM', RRType.A);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.url).toBe(URL1);
    expect(r.message.answer[0].data).toEqual({ kind: 'A', address: '192.0.2.1' });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0];
    expect(call.method).toBe('POST');
    expect(call.headers).toEqual({ accept: 'application/dns-message', 'content-type': 'application/dns-message' });
    expect(call.query.header).toMatchObject({ id: 0, rd: true, cd: true });
    expect(call.query.edns).toMatchObject({ dnssecOk: true });
    expect(call.query.question).toEqual([{ name: 'Example.COM.', type: 1, class: 1 }]);
    expect(c.stats.queries).toBe(1);
    expect(c.stats.bytesOut).toBe(128);
    expect(c.stats.bytesIn).toBe(r.bytes.length);
  });
  it('GETs with ?dns= base64url, appending to an existing query string', async () => {
    const f = fakeFetch();
    const c = new DohClient({ urls: ['https://doh.test/q?ct=x'], method: 'GET', fetch: f.fetch });
    const r = await c.query('example.com.', RRType.DNSKEY);
    expect(r.ok).toBe(true);
    expect(f.calls[0].url).toMatch(/^https:\/\/doh\.test\/q\?ct=x&dns=[A-Za-z0-9_-]+$/);
    expect(f.calls[0].headers).toEqual({ accept: 'application/dns-message' });
    expect(f.calls[0].query.question[0].type).toBe(RRType.DNSKEY);
  });
  it('accepts content-type parameters and a 0x20-mixed question', async () => {
    const f = fakeFetch(() => ({ contentType: 'Application/DNS-Message; charset=binary', edit: (m) => (m.question[0].name = 'EXAMPLE.com.') }));
    expect((await new DohClient({ urls: [URL1], fetch: f.fetch }).query('example.com.', 1)).ok).toBe(true);
  });

  const errorCases: [string, Reply, string, number?][] = [
    ['http-status', { status: 404 }, 'http-status', 404],
    ['content-type', { contentType: 'text/html' }, 'content-type'],
    ['missing content-type', { contentType: null }, 'content-type'],
    ['declared body-size', { contentLength: '70000' }, 'body-size'],
    ['actual body-size', { body: new Uint8Array(65536) }, 'body-size'],
    ['malformed', { body: new Uint8Array([0, 0, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9]) }, 'malformed'],
    ['not a response', { edit: (m) => (m.header.qr = false) }, 'malformed'],
    ['id-mismatch', { edit: (m) => (m.header.id = 4660) }, 'id-mismatch'],
    ['question name', { edit: (m) => (m.question[0].name = 'example.net.') }, 'question-mismatch'],
    ['question type', { edit: (m) => (m.question[0].type = 28) }, 'question-mismatch'],
    ['question class', { edit: (m) => (m.question[0].class = 3) }, 'question-mismatch'],
    ['no question', { edit: (m) => (m.question = []) }, 'question-mismatch'],
  ];
  it.each(errorCases)('%s → %s without retry', async (_label, reply, kind, status) => {
    const f = fakeFetch(() => reply);
    const c = new DohClient({ urls: [URL1], fetch: f.fetch, retries: 3 });
    const r = await c.query('example.com.', 1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe(kind);
    expect(r.error.url).toBe(URL1);
    expect(r.error.status).toBe(status);
    expect(r.error.message).toBeTruthy();
    expect(f.calls).toHaveLength(1);
  });
  it('a body shorter than a DNS header is a transport failure, retried, not malformed data', async () => {
    for (const body of [new Uint8Array(0), new Uint8Array([1, 2, 3])]) {
      const f = fakeFetch(() => ({ body }));
      const r = await new DohClient({ urls: [URL1], fetch: f.fetch, retries: 1 }).query('example.com.', 1);
      expect(r.ok ? 'ok' : r.error.kind).toBe('truncated');
      expect(f.calls).toHaveLength(2);
    }
  });
  it('network errors are retried with backoff, then reported', async () => {
    const f = fakeFetch(() => 'reject');
    const c = new DohClient({ urls: [URL1], fetch: f.fetch, retries: 2 });
    const t0 = Date.now();
    const r = await c.query('example.com.', 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250); // 100 + 200 ms
    expect(r).toEqual({ ok: false, error: { kind: 'network', message: 'Failed to fetch', url: URL1 } });
    expect(f.calls).toHaveLength(3);
  });
  it('a failing body read is a network error', async () => {
    const f = fakeFetch(() => 'body-reject');
    const r = await new DohClient({ urls: [URL1], fetch: f.fetch, retries: 0 }).query('example.com.', 1);
    expect(!r.ok && r.error.kind).toBe('network');
  });
  it('5xx is retried, then fails over to the next URL', async () => {
    const f = fakeFetch((_n, call) => (call.url === URL1 ? { status: 503 } : {}));
    const c = new DohClient({ urls: [URL1, URL2], fetch: f.fetch });
    const r = await c.query('example.com.', 1);
    expect(r.ok && r.url).toBe(URL2);
    expect(f.calls.map((x) => x.url)).toEqual([URL1, URL1, URL2]);
    expect(c.stats.queries).toBe(3);
  });
  it('fails over on non-transient errors too, and reports the last error', async () => {
    const f = fakeFetch(() => ({ edit: (m) => (m.header.id = 1) }));
    const r = await new DohClient({ urls: [URL1, URL2], fetch: f.fetch }).query('example.com.', 1);
    expect(r).toMatchObject({ ok: false, error: { kind: 'id-mismatch', url: URL2 } });
    expect(f.calls).toHaveLength(2);
  });
  it('times out', async () => {
    const f = fakeFetch(() => 'hang');
    const c = new DohClient({ urls: [URL1], fetch: f.fetch, timeoutMs: 20, retries: 0 });
    const r = await c.query('example.com.', 1);
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout', url: URL1 } });
    expect(f.signals[0].aborted).toBe(true);
  });
  it('aborts on the caller signal, before or during the request', async () => {
    const f = fakeFetch(() => 'hang');
    const c = new DohClient({ urls: [URL1, URL2], fetch: f.fetch, timeoutMs: 5000 });
    const ac = new AbortController();
    const p = c.query('example.com.', 1, ac.signal);
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect(await p).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(f.signals[0].aborted).toBe(true);
    expect(f.calls).toHaveLength(1); // no failover after abort
    expect(await c.query('example.com.', 1, ac.signal)).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });
  it('deduplicates concurrent identical queries', async () => {
    const f = fakeFetch();
    const c = new DohClient({ urls: [URL1], fetch: f.fetch });
    const [a, b, d] = await Promise.all([c.query('example.com.', 1), c.query('EXAMPLE.com', 1), c.query('example.com.', 28)]);
    expect(a).toBe(b);
    expect(d).not.toBe(a);
    expect(f.calls).toHaveLength(2);
    await c.query('example.com.', 1); // settled queries are not cached
    expect(f.calls).toHaveLength(3);
  });
  it('one caller aborting does not cancel a shared query; all aborting does', async () => {
    let release: () => void = () => {};
    let gate = new Promise<void>((r) => (release = r));
    const inner = fakeFetch();
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = async (input, init) => {
      signals.push(init.signal!);
      await gate;
      return inner.fetch(input, init);
    };
    const c = new DohClient({ urls: [URL1], fetch });
    const a1 = new AbortController();
    const a2 = new AbortController();
    const p1 = c.query('example.com.', 1, a1.signal);
    const p2 = c.query('example.com.', 1, a2.signal);
    a1.abort();
    expect(await p1).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(signals[0].aborted).toBe(false);
    release();
    expect((await p2).ok).toBe(true);

    gate = new Promise<void>((r) => (release = r));
    const b1 = new AbortController();
    const b2 = new AbortController();
    const q1 = c.query('example.org.', 1, b1.signal);
    const q2 = c.query('example.org.', 1, b2.signal);
    await new Promise((r) => setTimeout(r, 0));
    b1.abort();
    b2.abort();
    expect(await q1).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(await q2).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(signals[1].aborted).toBe(true);
    // a new caller after everyone aborted gets a fresh request
    const q3 = c.query('example.org.', 1);
    release();
    expect((await q3).ok).toBe(true);
    expect(signals).toHaveLength(3);
  });
  it('throws only for programming errors', () => {
    expect(() => new DohClient({ urls: [], fetch: fakeFetch().fetch })).toThrow(TypeError);
    expect(() => new DohClient({ urls: ['http://x/dns-query'], fetch: fakeFetch().fetch })).toThrow(TypeError);
    const c = new DohClient({ urls: [URL1], fetch: fakeFetch().fetch });
    expect(() => c.query('a..b', 1)).toThrow(TypeError);
    expect(() => c.query('a.', 70000)).toThrow(TypeError);
  });
  it('a synchronously throwing fetch is a network error', async () => {
    const fetch: FetchLike = () => {
      throw new Error('boom');
    };
    const r = await new DohClient({ urls: [URL1], fetch, retries: 0 }).query('a.', 1);
    expect(r).toMatchObject({ ok: false, error: { kind: 'network', message: 'boom' } });
  });
});
