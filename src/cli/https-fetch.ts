/**
 * A `FetchLike` for Node over HTTP/2 (node:http2), one warm session per origin.
 *
 * Why not the global fetch: Node 20's fetch (undici) speaks only HTTP/1.1 unless told otherwise,
 * while BIND 9.18's and unbound's DoH servers speak only HTTP/2 (RFC 8484 §5.2 recommends
 * HTTP/2). Browsers negotiate HTTP/2 themselves. The CA is the system's plus NODE_EXTRA_CA_CERTS
 * unless `ca` is given (tests pass the test world's CA).
 */
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import type { FetchLike } from '../core/transport/doh';

export interface Http2Fetch extends FetchLike {
  close(): void;
}

/**
 * Streams in flight per origin. BIND 9.18 drops the whole connection when a client opens more
 * concurrent streams than it accepts (measured against the test world: 40 fine, 60 not), so stay below and queue.
 */
const MAX_STREAMS = 32;

export function httpsFetch(opts: { ca?: string | Buffer; maxStreams?: number } = {}): Http2Fetch {
  const sessions = new Map<string, ClientHttp2Session>();
  const inFlight = new WeakMap<ClientHttp2Session, number>();
  const maxStreams = opts.maxStreams ?? MAX_STREAMS;
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    active < maxStreams ? (active++, Promise.resolve()) : new Promise((r) => waiting.push(() => (active++, r())));
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  const session = (origin: string): ClientHttp2Session => {
    const existing = sessions.get(origin);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const s = connect(origin, opts.ca ? { ca: opts.ca } : {});
    s.on('error', () => sessions.delete(origin));
    s.on('close', () => sessions.delete(origin));
    s.on('goaway', () => sessions.delete(origin));
    s.unref();
    sessions.set(origin, s);
    return s;
  };

  const f = (async (input, init) => {
    await acquire();
    try {
      return await one(input, init);
    } finally {
      release();
    }
  }) as Http2Fetch;

  const one: FetchLike = (input, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(input);
      let s: ClientHttp2Session;
      try {
        s = session(url.origin);
      } catch (e) {
        reject(e);
        return;
      }
      const headers: Record<string, string | number> = {
        [constants.HTTP2_HEADER_METHOD]: init.method,
        [constants.HTTP2_HEADER_PATH]: url.pathname + url.search,
        ...init.headers,
      };
      if (init.body) headers['content-length'] = init.body.byteLength;
      const req = s.request(headers, { endStream: !init.body, signal: init.signal });
      // Keep the process alive while any stream of this session is open; an idle warm session
      // must not keep it alive.
      const open = (inFlight.get(s) ?? 0) + 1;
      inFlight.set(s, open);
      s.ref();
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        const left = (inFlight.get(s) ?? 1) - 1;
        inFlight.set(s, left);
        if (left === 0 && !s.destroyed) s.unref();
      };
      let status = 0;
      let resHeaders: Record<string, unknown> = {};
      const chunks: Buffer[] = [];
      req.on('response', (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS] ?? 0);
        resHeaders = h;
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('close', () => {
        finished();
        reject(new Error('HTTP/2 stream closed before the response ended')); // no-op once settled
      });
      req.on('error', (e) => {
        finished();
        reject(e);
      });
      req.on('end', () => {
        finished();
        if (status === 0) {
          reject(new Error('HTTP/2 stream closed without a response'));
          return;
        }
        const body = Buffer.concat(chunks);
        resolve({
          ok: status >= 200 && status < 300,
          status,
          headers: { get: (n: string) => (resHeaders[n.toLowerCase()] as string | undefined) ?? null },
          arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
        });
      });
      if (init.body) req.end(Buffer.from(init.body));
    });
  f.close = () => {
    for (const s of sessions.values()) s.close();
    sessions.clear();
  };
  return f;
}
