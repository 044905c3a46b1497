// Long-running Node processes of the test world: the HTTPS sites (one per TLSA case, each on its
// own loopback address) with the mail servers, and the DoH front (delay + counting) in front of a
// world resolver. Usage: node servers.mjs <run/servers.json> [sites|front|all]
// world.mjs runs the sites and the front as two processes, as a browser meets them (a web server
// and a DoH resolver on other machines): in one event loop a page and the DoH answers the
// extension asks for while it loads would wait for each other (bench/results/page-load.md).
import fs from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import { parseQuestion, decodeMessage, fromB64url } from './lib/dnswire.mjs';
import { dohRequest } from './lib/client.mjs';
import { encodeQuery } from './lib/dnswire.mjs';
import { decodeFull } from './lib/dnsmsg.mjs';
import { ATTACKS, FAILURES, dsFailure, errorAnswer, lie } from './lib/lies.mjs';
import { startMailServers } from './mail-servers.mjs';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const role = process.argv[3] ?? 'all';
if (!['sites', 'front', 'all'].includes(role)) throw new Error(`unknown role ${role}: sites, front or all`);
const runSites = role !== 'front';
const runFront = role !== 'sites';
// Zone apexes of the world (for the DS failure modes): every zone of the catalogue.
const catalogue = JSON.parse(fs.readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8'));
const apexes = new Set(catalogue.zones.map((z) => (z.name === '.' ? '.' : `${z.name.toLowerCase().replace(/\.$/, '')}.`)));
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
for (const s of runSites ? cfg.sites : []) {
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
// Per-tag counters (`/t/<tag>/...`): a test counts its own requests while others use the front.
const tagged = new Map();
function tagStats(tag) {
  let t = tagged.get(tag);
  if (!t) {
    if (tagged.size >= 1000) tagged.delete(tagged.keys().next().value);
    t = { since: new Date().toISOString(), total: 0, lies: 0, byName: {}, byRoute: {}, queries: [] };
    tagged.set(tag, t);
  }
  return t;
}
function resetStats() {
  Object.assign(stats, newStats()); // tagged counters stay: their owners may still be counting
  fs.writeFileSync(F.log, '');
}
fs.writeFileSync(F.log, '');
const inc = (o, k) => (o[k] = (o[k] ?? 0) + 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// [/t/<tag>][/via/<upstream>][/delay/<ms>][/lie/<attack> | /fail/<mode>]/dns-query
const ROUTE = /^(?:\/t\/([A-Za-z0-9_-]{1,64}))?(?:\/via\/(bind|unbound))?(?:\/delay\/(\d{1,6}))?(?:\/lie\/([a-z0-9-]{1,40})|\/fail\/([a-z0-9-]{1,40}))?\/dns-query$/;

function send(res, status, headers, body) {
  res.writeHead(status, { 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function handle(req, res) {
  const url = new URL(req.url, 'https://front');
  if (req.method === 'OPTIONS') {
    return send(res, 204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept' });
  }
  if (url.pathname === '/stats') {
    const tag = url.searchParams.get('tag');
    if (tag !== null) return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(tagged.get(tag) ?? { total: 0, lies: 0, byName: {}, byRoute: {}, queries: [] }));
    return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(stats));
  }
  if (url.pathname === '/lies') return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ attacks: Object.fromEntries(Object.entries(ATTACKS).map(([k, v]) => [k, v.what])), failures: FAILURES }));
  if (url.pathname === '/reset') {
    resetStats();
    return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ ok: true }));
  }
  if (url.pathname === '/health') return send(res, 200, { 'content-type': 'text/plain' }, 'ok\n');
  const m = ROUTE.exec(url.pathname);
  if (!m) return send(res, 404, { 'content-type': 'text/plain' }, 'not found\n');
  const [, tag, via, delayText, attack, failure] = m;
  if (attack && !ATTACKS[attack]) return send(res, 404, { 'content-type': 'text/plain' }, `unknown attack ${attack}\n`);
  if (failure && !FAILURES[failure]) return send(res, 404, { 'content-type': 'text/plain' }, `unknown failure mode ${failure}\n`);
  const upstream = via ?? F.defaultUpstream;
  const delay = Number(delayText ?? 0);
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
  const route = attack ? `lie/${attack}` : failure ? `fail/${failure}` : 'forward';
  let entry = null;
  if (!tag) {
    // Tagged requests are counted only under their tag, so that they never disturb the totals
    // another user of the front is watching.
    inc(stats.byUpstream, upstream);
    inc(stats.byDelay, String(delay));
    inc(stats.byType, q.type);
    inc(stats.byMethod, req.method);
    inc(stats.byName, `${q.name}/${q.type}`);
    stats.total++;
    if (attack || failure) inc((stats.byRoute ??= {}), route);
  } else {
    const t = tagStats(tag);
    t.total++;
    inc(t.byName, `${q.name}/${q.type}`);
    inc(t.byRoute, route);
    if (t.queries.length < 5000) t.queries.push((entry = { at: Date.now(), name: q.name, type: q.type, method: req.method, route }));
  }
  const started = Date.now();
  const logLine = (what) => {
    // When the answer left (the tagged entry): the benches compare both times with the client's.
    if (entry) entry.answeredAt = Date.now();
    fs.appendFile(F.log, `${new Date().toISOString()} ${req.method} ${upstream} delay=${delay}${tag ? ` tag=${tag}` : ''}${route !== 'forward' ? ` ${route}` : ''} ${q.name} ${q.type} ${what} ${Date.now() - started}ms\n`, () => {});
  };
  if (delay) await sleep(delay);
  const dnsHeaders = (body) => ({ 'content-type': 'application/dns-message', 'content-length': body.length });
  const dsLie = dsFailure(failure, wire, apexes);
  if (dsLie) {
    logLine(`${failure} LIED`);
    stats.lies = (stats.lies ?? 0) + (tag ? 0 : 1);
    if (tag) tagStats(tag).lies++;
    return send(res, 200, dnsHeaders(dsLie), dsLie);
  }
  // Failure modes that never reach the upstream.
  switch (failure) {
    case 'http-500':
    case 'http-503':
    case 'http-404':
      logLine(failure);
      return send(res, Number(failure.slice(5)), { 'content-type': 'text/plain' }, `${failure}: the front was told to fail\n`);
    case 'html': {
      logLine('html');
      const page = '<!doctype html><html><head><title>Sign in to the network</title></head><body><h1>Welcome</h1><p>Please log in.</p></body></html>\n';
      return send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, page);
    }
    case 'servfail':
    case 'refused': {
      logLine(failure.toUpperCase());
      const body = errorAnswer(wire, failure === 'servfail' ? 2 : 5);
      return send(res, 200, dnsHeaders(body), body);
    }
    case 'garbage': {
      logLine('garbage');
      const body = Buffer.from('this is not a DNS message at all, just some bytes');
      return send(res, 200, dnsHeaders(body), body);
    }
    case 'hang': {
      logLine('hang');
      // Leave the request open; give up after a minute so nothing leaks forever.
      const t = setTimeout(() => (req.stream ? req.stream.close() : req.socket.destroy()), 60_000);
      req.on('close', () => clearTimeout(t));
      return;
    }
    case 'reset':
      logLine('reset');
      if (req.stream) req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else req.socket.destroy();
      return;
  }
  try {
    const r = await dohRequest(F.upstreams[upstream], wire, { method: 'POST', ca });
    // A stream the upstream reset or ended early arrives as an empty body: a gateway error, not an answer.
    if (r.status === 200 && r.body.length === 0) throw new Error('empty upstream response');
    let body = r.body;
    let note = '';
    if (attack && r.status === 200) {
      const tools = {
        upstream: async (name, type) => {
          const sub = await dohRequest(F.upstreams[upstream], encodeQuery(name, type, { id: 0, cd: true }), { method: 'POST', ca });
          return decodeFull(sub.body);
        },
      };
      const out = await lie(attack, wire, r.body, tools);
      body = out.body;
      note = out.changed ? ' LIED' : ' (passed)';
      if (out.changed) {
        stats.lies = (stats.lies ?? 0) + (tag ? 0 : 1);
        if (tag) tagStats(tag).lies++;
      }
    }
    let rcode = '?';
    try {
      rcode = decodeMessage(body).rcode;
    } catch {}
    logLine(`cd=${q.cd ? 1 : 0} ${rcode}${note}`);
    const ct = failure === 'content-type' ? 'text/plain' : (r.headers['content-type'] ?? 'application/dns-message');
    send(res, r.status, { 'content-type': ct, 'content-length': body.length }, body);
  } catch (e) {
    stats.errors++;
    logLine(`ERROR ${e.message}`);
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
if (runFront) servers.push(listen(front, F.port, F.ip));
if (runSites) servers.push(...startMailServers(cfg.smtp ?? [], listen)); // issue #15: port 25 mail servers

try {
  await Promise.all(servers);
  fs.writeFileSync(role === 'front' ? cfg.readyFile.replace(/\.ready$/, '-front.ready') : cfg.readyFile, `${process.pid}\n`);
  log(`ready: ${runSites ? `${cfg.sites.length} sites` : 'no sites'}, ${runFront ? `front on https://${F.ip}:${F.port}` : 'no front'}`);
} catch (e) {
  log(`listen failed: ${e.message}`);
  process.exit(1);
}
const bye = () => process.exit(0);
process.on('SIGTERM', bye);
process.on('SIGINT', bye);
