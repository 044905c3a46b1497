// Tiny DNS clients used by the world (readiness probes, DoH front upstream, world test).
// All destinations are loopback addresses taken from world.json.
import dgram from 'node:dgram';
import net from 'node:net';
import http2 from 'node:http2';
import { encodeQuery, decodeMessage, b64url } from './dnswire.mjs';

function assertLoopback(ip) {
  if (!/^127\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`refusing non-loopback destination ${ip}`);
}

export function udpQuery(ip, port, msg, timeoutMs = 2000) {
  assertLoopback(ip);
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      sock.close();
      reject(new Error(`udp timeout ${ip}:${port}`));
    }, timeoutMs);
    sock.on('error', (e) => {
      clearTimeout(t);
      sock.close();
      reject(e);
    });
    sock.on('message', (m) => {
      clearTimeout(t);
      sock.close();
      resolve(m);
    });
    sock.send(msg, port, ip);
  });
}

export function tcpQuery(ip, port, msg, timeoutMs = 3000) {
  assertLoopback(ip);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: ip, port });
    const chunks = [];
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`tcp timeout ${ip}:${port}`));
    }, timeoutMs);
    s.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      s.write(Buffer.concat([len, msg]));
    });
    s.on('data', (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) {
        clearTimeout(t);
        s.end();
        resolve(all.subarray(2, 2 + all.readUInt16BE(0)));
      }
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/** Query over UDP, retry over TCP when truncated. Returns decoded message. */
export async function dnsQuery(ip, port, name, type, opts = {}) {
  const msg = encodeQuery(name, type, { id: Math.floor(Math.random() * 65535), ...opts });
  let raw = await udpQuery(ip, port, msg, opts.timeoutMs);
  let m = decodeMessage(raw);
  if (m.tc) {
    raw = await tcpQuery(ip, port, msg, opts.timeoutMs);
    m = decodeMessage(raw);
  }
  return m;
}

const sessions = new Map();
function h2session(origin, ca) {
  let s = sessions.get(origin);
  if (s && !s.closed && !s.destroyed) return s;
  s = http2.connect(origin, { ca });
  s.on('error', () => sessions.delete(origin));
  s.on('close', () => sessions.delete(origin));
  s.unref();
  sessions.set(origin, s);
  return s;
}

export function closeDohSessions() {
  for (const s of sessions.values()) s.close();
  sessions.clear();
}

/**
 * RFC 8484 request over HTTP/2. method GET or POST. Returns { status, headers, body }.
 * `wire` is the raw DNS message.
 */
export function dohRequest(url, wire, { method = 'POST', ca, timeoutMs = 5000 } = {}) {
  const u = new URL(url);
  assertLoopback(u.hostname);
  return new Promise((resolve, reject) => {
    const sess = h2session(u.origin, ca);
    const headers =
      method === 'GET'
        ? { ':method': 'GET', ':path': `${u.pathname}?dns=${b64url(wire)}`, accept: 'application/dns-message' }
        : {
            ':method': 'POST',
            ':path': u.pathname,
            accept: 'application/dns-message',
            'content-type': 'application/dns-message',
            'content-length': String(wire.length), // BIND rejects POST without it
          };
    const req = sess.request(headers);
    const t = setTimeout(() => {
      req.close(http2.constants.NGHTTP2_CANCEL);
      reject(new Error(`doh timeout ${url}`));
    }, timeoutMs);
    let status = 0;
    let respHeaders = {};
    const chunks = [];
    req.on('response', (h) => {
      status = h[':status'];
      respHeaders = h;
    });
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      clearTimeout(t);
      resolve({ status, headers: respHeaders, body: Buffer.concat(chunks) });
    });
    req.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    if (method === 'POST') req.end(wire);
    else req.end();
  });
}

export async function dohQuery(url, name, type, { method = 'POST', ca, cd = false, timeoutMs } = {}) {
  const wire = encodeQuery(name, type, { id: 0, cd });
  const r = await dohRequest(url, wire, { method, ca, timeoutMs });
  if (r.status !== 200) throw new Error(`DoH ${method} ${url} -> HTTP ${r.status}: ${r.body.toString()}`);
  return decodeMessage(r.body);
}
