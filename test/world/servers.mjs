// Long-running Node process of the test world: the HTTPS sites (one per TLSA case, each on its
// own loopback address) and the DoH front (delay + counting) in front of a world resolver.
// Usage: node servers.mjs <run/servers.json>
import fs from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import { parseQuestion, decodeMessage, fromB64url } from './lib/dnswire.mjs';
import { dohRequest } from './lib/client.mjs';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const log = (...a) => console.log(new Date().toISOString(), ...a);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function listen(server, port, ip) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// ------------------------------------------------------------------ sites
const servers = [];
for (const s of cfg.sites) {
  const srv = https.createServer({ key: fs.readFileSync(s.key), cert: fs.readFileSync(s.chain) }, (req, res) => {
    const body = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(s.case)}</title></head>` +
      `<body><h1>${esc(s.host)}</h1><p id="case" data-case="${esc(s.case)}">case: ${esc(s.case)}</p>` +
      `<p>TLSA at ${esc(s.tlsaName)}: ${s.tlsa.length}</p></body></html>\n`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-world-case': s.case, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  srv.on('tlsClientError', () => {});
  servers.push(listen(srv, s.port, s.ip));
}

// ------------------------------------------------------------------ DoH front
const F = cfg.front;
const ca = fs.readFileSync(F.ca);
const stats = newStats();
function newStats() {
  return { since: new Date().toISOString(), total: 0, errors: 0, byUpstream: {}, byDelay: {}, byType: {}, byMethod: {}, byName: {} };
}
function resetStats() {
  Object.assign(stats, newStats());
  fs.writeFileSync(F.log, '');
}
fs.writeFileSync(F.log, '');
const inc = (o, k) => (o[k] = (o[k] ?? 0) + 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ROUTE = /^(?:\/via\/(bind|unbound))?(?:\/delay\/(\d{1,6}))?\/dns-query$/;

function send(res, status, headers, body) {
  res.writeHead(status, { 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function handle(req, res) {
  const url = new URL(req.url, 'https://front');
  if (req.method === 'OPTIONS') {
    return send(res, 204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept' });
  }
  if (url.pathname === '/stats') return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(stats));
  if (url.pathname === '/reset') {
    resetStats();
    return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ ok: true }));
  }
  if (url.pathname === '/health') return send(res, 200, { 'content-type': 'text/plain' }, 'ok\n');
  const m = ROUTE.exec(url.pathname);
  if (!m) return send(res, 404, { 'content-type': 'text/plain' }, 'not found\n');
  const upstream = m[1] ?? F.defaultUpstream;
  const delay = Number(m[2] ?? 0);
  let wire;
  if (req.method === 'GET') {
    const dns = url.searchParams.get('dns');
    if (!dns) return send(res, 400, { 'content-type': 'text/plain' }, 'missing dns parameter\n');
    wire = fromB64url(dns);
  } else if (req.method === 'POST') {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    wire = Buffer.concat(chunks);
  } else return send(res, 405, { 'content-type': 'text/plain' }, 'method not allowed\n');
  const q = parseQuestion(wire);
  inc(stats.byUpstream, upstream);
  inc(stats.byDelay, String(delay));
  inc(stats.byType, q.type);
  inc(stats.byMethod, req.method);
  inc(stats.byName, `${q.name}/${q.type}`);
  stats.total++;
  const started = Date.now();
  if (delay) await sleep(delay);
  try {
    const r = await dohRequest(F.upstreams[upstream], wire, { method: 'POST', ca });
    let rcode = '?';
    try {
      rcode = decodeMessage(r.body).rcode;
    } catch {}
    fs.appendFile(F.log, `${new Date().toISOString()} ${req.method} ${upstream} delay=${delay} ${q.name} ${q.type} cd=${q.cd ? 1 : 0} ${rcode} ${Date.now() - started}ms\n`, () => {});
    send(res, r.status, { 'content-type': r.headers['content-type'] ?? 'application/dns-message', 'content-length': r.body.length }, r.body);
  } catch (e) {
    stats.errors++;
    fs.appendFile(F.log, `${new Date().toISOString()} ${req.method} ${upstream} delay=${delay} ${q.name} ${q.type} ERROR ${e.message}\n`, () => {});
    send(res, 502, { 'content-type': 'text/plain' }, `upstream error: ${e.message}\n`);
  }
}

const front = http2.createSecureServer({ key: fs.readFileSync(F.key), cert: fs.readFileSync(F.cert), allowHTTP1: true }, (req, res) => {
  handle(req, res).catch((e) => {
    try {
      send(res, 500, { 'content-type': 'text/plain' }, `${e.message}\n`);
    } catch {}
  });
});
front.on('sessionError', () => {});
servers.push(listen(front, F.port, F.ip));

try {
  await Promise.all(servers);
  fs.writeFileSync(cfg.readyFile, `${process.pid}\n`);
  log(`ready: ${cfg.sites.length} sites, front on https://${F.ip}:${F.port}`);
} catch (e) {
  log(`listen failed: ${e.message}`);
  process.exit(1);
}
const bye = () => process.exit(0);
process.on('SIGTERM', bye);
process.on('SIGINT', bye);
