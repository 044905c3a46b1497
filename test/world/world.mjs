// JS API of the offline test world: startWorld(), stopWorld(), readWorld().
// The world runs as detached processes (named x2, unbound, node servers) that outlive the caller;
// their pids live in run/state.json so any later process can stop them.
import fs from 'node:fs';
import path from 'node:path';
import http2 from 'node:http2';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildWorld } from './build.mjs';
import { run, sleep } from './lib/proc.mjs';
import { dnsQuery, dohQuery, closeDohSessions } from './lib/client.mjs';
import { ADDR, FRONT_PORT, DOH_PORT, DNS_PORT, aliasAddresses } from './lib/addresses.mjs';

export const WORLD_DIR = path.dirname(fileURLToPath(import.meta.url));
export const RUN_DIR = path.join(WORLD_DIR, 'run');
export const WORLD_JSON = path.join(RUN_DIR, 'world.json');
export const CATALOGUE = path.join(WORLD_DIR, 'catalogue.json');
const STATE = path.join(RUN_DIR, 'state.json');

export function readCatalogue() {
  return JSON.parse(fs.readFileSync(CATALOGUE, 'utf8'));
}

/** Parsed run/world.json; throws if the world has not been started. */
export function readWorld() {
  if (!fs.existsSync(WORLD_JSON)) throw new Error(`test world not running: ${WORLD_JSON} missing (npm run world:start)`);
  return JSON.parse(fs.readFileSync(WORLD_JSON, 'utf8'));
}

function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE, 'utf8'));
  } catch {
    return null;
  }
}

function procAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
/** Only processes whose command line points into our run dir are ours to signal. */
function isOurs(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(RUN_DIR);
  } catch {
    return false;
  }
}

async function loAddresses() {
  const r = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo']);
  return new Set([...r.text.matchAll(/inet (127\.[\d.]+)\/32/g)].map((m) => m[1]));
}

async function ensureAliases(addrs, log) {
  const have = await loAddresses();
  const missing = addrs.filter((a) => !have.has(a));
  if (!missing.length) return [];
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(
      `the test world needs ${missing.length} loopback aliases (e.g. ${missing[0]}/32 on lo) and is not running as root.\n` +
        `Run as root, or create them first: ${missing.map((a) => `ip addr add ${a}/32 dev lo`).slice(0, 3).join('; ')}; ...`,
    );
  }
  await run('ip', ['-force', '-batch', '-'], { input: missing.map((a) => `addr add ${a}/32 dev lo`).join('\n') + '\n', allowFail: true });
  const now = await loAddresses();
  const still = missing.filter((a) => !now.has(a));
  if (still.length) throw new Error(`could not add loopback aliases: ${still.join(', ')}`);
  log(`added ${missing.length} loopback aliases`);
  return missing;
}

async function removeAliases(addrs) {
  if (!addrs?.length || (process.getuid && process.getuid() !== 0)) return;
  await run('ip', ['-force', '-batch', '-'], { input: addrs.map((a) => `addr del ${a}/32 dev lo`).join('\n') + '\n', allowFail: true });
}

function writeState(state) {
  fs.writeFileSync(STATE, JSON.stringify(state, null, 2));
}

function daemon(state, name, cmd, args) {
  const out = fs.openSync(path.join(RUN_DIR, 'logs', `${name}.out.log`), 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.on('error', () => {});
  child.unref();
  state.pids[name] = child.pid;
  writeState(state);
  return child;
}

function tail(file, n = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitFor(what, fn, { timeoutMs = 20000, child, logFile } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${what}: process exited with ${child.exitCode}\n--- ${logFile}\n${tail(logFile)}`);
    }
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms (${last?.message ?? 'no answer'})${logFile ? `\n--- ${logFile}\n${tail(logFile)}` : ''}`);
}

function httpsGet(url, ca) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const s = http2.connect(u.origin, { ca });
    s.on('error', reject);
    const req = s.request({ ':path': u.pathname });
    const chunks = [];
    let status = 0;
    req.on('response', (h) => (status = h[':status']));
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      s.close();
      resolve({ status, body: Buffer.concat(chunks).toString() });
    });
    req.on('error', (e) => {
      s.close();
      reject(e);
    });
    req.end();
  });
}

/** Quick end-to-end probes: authoritative servers, both resolvers (DNS + DoH), front. */
async function probe(world, { timeoutMs = 1500 } = {}) {
  const ca = fs.readFileSync(world.ca);
  for (const a of world.authoritative) {
    const m = await dnsQuery(a.ip, DNS_PORT, a.zones[0], 'SOA', { rd: false, timeoutMs });
    if (m.rcode !== 'NOERROR' || !m.aa) throw new Error(`${a.name} ${a.ip}: ${m.rcode}`);
  }
  for (const [name, r] of Object.entries(world.resolvers)) {
    const m = await dnsQuery(r.dns, r.port, 'www.alg13.test', 'A', { timeoutMs });
    if (m.rcode !== 'NOERROR' || !m.ad) throw new Error(`${name}: www.alg13.test A -> ${m.rcode} ad=${m.ad}`);
    const d = await dohQuery(r.doh, 'www.alg13.test', 'A', { ca, method: 'GET', timeoutMs });
    if (d.rcode !== 'NOERROR' || !d.ad) throw new Error(`${name} DoH: ${d.rcode} ad=${d.ad}`);
  }
  const h = await httpsGet(`${world.front.base}/health`, ca);
  if (h.status !== 200) throw new Error(`front /health -> ${h.status}`);
  closeDohSessions();
  return true;
}

/** Is a previously started world still up, healthy and far enough from signature expiry? */
export async function worldStatus() {
  const state = readState();
  if (!state || !fs.existsSync(WORLD_JSON)) return { running: false, reason: 'not started' };
  const dead = Object.entries(state.pids).filter(([, pid]) => !procAlive(pid));
  if (dead.length) return { running: false, reason: `dead: ${dead.map(([n]) => n).join(', ')}` };
  const world = readWorld();
  if (Date.parse(world.sigExpiration) - Date.now() < 2 * 86400 * 1000) return { running: false, reason: 'signatures close to expiry' };
  // zones signed with the short "soon" window (expiry warnings) must keep at least a day
  if (world.sigSoonExpiration && Date.parse(world.sigSoonExpiration) - Date.now() < 86400 * 1000) {
    return { running: false, reason: 'expiring-soon zone close to expiry' };
  }
  try {
    await probe(world);
  } catch (e) {
    closeDohSessions();
    return { running: false, reason: `unhealthy: ${e.message}` };
  }
  return { running: true, world };
}

/**
 * Start the world (idempotent). If a healthy world is running it is reused unless fresh=true.
 * Returns { world, reused, ms }.
 */
export async function startWorld({ fresh = false, log = (m) => console.log(`[world] ${m}`) } = {}) {
  const t0 = Date.now();
  if (!fresh) {
    const st = await worldStatus();
    if (st.running) {
      log(`already running since ${st.world.startedAt}: reusing`);
      return { world: st.world, reused: true, ms: Date.now() - t0 };
    }
    if (st.reason !== 'not started') log(`existing world not usable (${st.reason}): restarting`);
  }
  const catalogue = readCatalogue();
  const aliases = aliasAddresses(catalogue);
  if (process.getuid && process.getuid() !== 0) {
    const have = await loAddresses();
    const missing = aliases.filter((a) => !have.has(a));
    if (missing.length) await ensureAliases(aliases, log); // throws the explanatory error
  }
  await stopWorld({ log: () => {} });
  for (const bin of ['named', 'unbound', 'dnssec-keygen', 'dnssec-signzone', 'dnssec-dsfromkey', 'openssl', 'ip']) {
    const found = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(path.join(d, bin)));
    if (!found) throw new Error(`missing tool: ${bin} (apt-get install bind9 bind9-utils unbound openssl iproute2)`);
  }
  const added = await ensureAliases(aliases, log);

  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(RUN_DIR, 'logs'), { recursive: true });
  const state = { pids: {}, aliases: added, startedAt: new Date().toISOString() };
  writeState(state);
  try {
    const b = await buildWorld({ runDir: RUN_DIR, catalogue, log: (m) => log(`build: ${m}`) });
    const children = {
      auth: daemon(state, 'auth', 'named', ['-4', '-f', '-c', b.confs.auth]),
      bind: daemon(state, 'bind', 'named', ['-4', '-f', '-c', b.confs.bind]),
      unbound: daemon(state, 'unbound', 'unbound', ['-d', '-c', b.confs.unbound]),
      servers: daemon(state, 'servers', process.execPath, [path.join(WORLD_DIR, 'servers.mjs'), b.serversJson, 'sites']),
      // the DoH front in a process of its own (servers.mjs says why)
      front: daemon(state, 'front', process.execPath, [path.join(WORLD_DIR, 'servers.mjs'), b.serversJson, 'front']),
    };
    const world = describe(b, catalogue, t0);
    const L = (n) => path.join(RUN_DIR, 'logs', n);
    // authoritative first (resolvers need it), the others in parallel
    await Promise.all([
      waitFor('authoritative named', async () => {
        for (const a of world.authoritative) {
          const m = await dnsQuery(a.ip, DNS_PORT, a.zones[0], 'SOA', { rd: false, timeoutMs: 300 });
          if (m.rcode !== 'NOERROR') return false;
        }
        return true;
      }, { child: children.auth, logFile: L('auth.out.log') }),
      waitFor('node servers', async () => fs.existsSync(path.join(RUN_DIR, 'servers.ready')), { child: children.servers, logFile: L('servers.out.log') }),
      waitFor('DoH front', async () => fs.existsSync(path.join(RUN_DIR, 'servers-front.ready')), { child: children.front, logFile: L('front.out.log') }),
    ]);
    await Promise.all([
      waitFor('BIND resolver', async () => (await dnsQuery(ADDR.bind, DNS_PORT, 'alg13.test', 'SOA', { timeoutMs: 500 })).rcode === 'NOERROR', { child: children.bind, logFile: L('bind.log') }),
      waitFor('unbound resolver', async () => (await dnsQuery(ADDR.unbound, DNS_PORT, 'alg13.test', 'SOA', { timeoutMs: 500 })).rcode === 'NOERROR', { child: children.unbound, logFile: L('unbound.log') }),
    ]);
    await waitFor('end-to-end probe', () => probe(world), { timeoutMs: 10000 });
    world.startupMs = Date.now() - t0;
    fs.writeFileSync(WORLD_JSON, JSON.stringify(world, null, 2) + '\n');
    log(`started in ${(world.startupMs / 1000).toFixed(1)} s (${world.sites.length} sites, ${world.zones.length} zones)`);
    return { world, reused: false, ms: world.startupMs };
  } catch (e) {
    await stopWorld({ log: () => {} }).catch(() => {});
    throw e;
  }
}

function describe(b, catalogue, t0) {
  const servers = catalogue.servers;
  const front = `https://${ADDR.front}:${FRONT_PORT}`;
  const L = (n) => path.join(RUN_DIR, 'logs', n);
  return {
    version: 1,
    runDir: RUN_DIR,
    catalogue: CATALOGUE,
    root: { ip: servers.root, ns: 'a.root-servers.', hints: b.hints },
    authoritative: Object.entries(servers).map(([name, ip]) => ({
      name, ip, port: DNS_PORT, zones: b.zones.filter((z) => z.server === name).map((z) => (z.name === '.' ? '.' : `${z.name}.`)),
    })),
    resolvers: {
      bind: { doh: `https://${ADDR.bind}:${DOH_PORT}/dns-query`, dns: ADDR.bind, port: DNS_PORT, software: 'BIND 9.18 named' },
      unbound: { doh: `https://${ADDR.unbound}:${DOH_PORT}/dns-query`, dns: ADDR.unbound, port: DNS_PORT, software: 'unbound 1.17' },
    },
    front: {
      base: front,
      doh: `${front}/dns-query`,
      delayDoh: `${front}/delay/{ms}/dns-query`,
      upstream: JSON.parse(fs.readFileSync(b.serversJson, 'utf8')).front.defaultUpstream,
      viaDoh: { bind: `${front}/via/bind/dns-query`, unbound: `${front}/via/unbound/dns-query` },
      stats: `${front}/stats`,
      reset: `${front}/reset`,
      log: path.join(RUN_DIR, 'front-queries.log'),
    },
    ca: b.ca,
    otherCa: b.otherCa,
    trustAnchor: { zone: b.anchor.zone, json: b.anchor.json, bind: b.anchor.bind, islands: b.anchor.islands },
    unboundHostConf: b.confs.unboundHost,
    sites: b.sites.map(({ host, ip, port, case: c, tlsaName, tlsa, cert, chain }) => ({ host, ip, port, case: c, tlsaName, tlsa, cert, chain })),
    smtp: b.smtp, // issue #15: mail servers on port 25 (id, kind, host, domain, ip, ip6, tlsa, key, chain)
    zones: b.zones.map((z) => ({
      name: z.name === '.' ? '.' : `${z.name}.`,
      server: z.server, ip: servers[z.server], signed: z.signed,
      ...(z.signed && {
        algorithm: z.alg,
        denial: z.denial,
        ...(z.denial === 'nsec3' && { nsec3: { salt: z.salt ?? '', iterations: z.nsec3Iterations ?? 0, optOut: !!z.optOut } }),
        keys: [z.ksk, z.zsk].filter(Boolean).map((k) => ({ keyTag: k.keyTag, flags: k.flags, algorithm: k.algorithm })),
        ...(z.unpublished && { unpublishedKeyTag: z.unpublished.keyTag }),
        validity: z.validity ?? 'normal',
      }),
      file: z.signed ? z.signedFile : z.file,
    })),
    bench: { zone: 'bench.test.', hosts: 500, pattern: 'h{n}.bench.test', tlsa: b.benchTlsa },
    logs: { auth: L('auth.log'), bind: L('bind.log'), unbound: L('unbound.log'), servers: L('servers.out.log') },
    startedAt: new Date(t0).toISOString(),
    sigInception: new Date(b.windows.normal.inception * 1000).toISOString(),
    sigExpiration: new Date(b.windows.normal.expiration * 1000).toISOString(),
    ...(b.zones.some((z) => z.validity === 'soon') && { sigSoonExpiration: new Date(b.windows.soon.expiration * 1000).toISOString() }),
  };
}

/** Stop everything the world started (idempotent). */
export async function stopWorld({ log = (m) => console.log(`[world] ${m}`) } = {}) {
  const state = readState();
  const pids = new Map(Object.entries(state?.pids ?? {}));
  // fall back on daemon pid files if state.json is gone
  for (const [n, f] of [['auth', 'auth/named.pid'], ['bind', 'bind/named.pid'], ['unbound', 'unbound/unbound.pid']]) {
    try {
      const pid = Number(fs.readFileSync(path.join(RUN_DIR, f), 'utf8').trim());
      if (pid && !pids.has(n)) pids.set(n, pid);
    } catch {}
  }
  const mine = [...pids.entries()].filter(([, pid]) => procAlive(pid) && isOurs(pid));
  for (const [, pid] of mine) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
  const deadline = Date.now() + 5000;
  while (mine.some(([, pid]) => procAlive(pid)) && Date.now() < deadline) await sleep(50);
  for (const [n, pid] of mine) {
    if (procAlive(pid)) {
      log(`${n} (${pid}) did not stop: SIGKILL`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  // aliases: the ones we added, or (if state is lost) the world's plan
  let aliases = state?.aliases;
  if (!state) {
    try {
      aliases = aliasAddresses(readCatalogue());
    } catch {
      aliases = [];
    }
  }
  await removeAliases(aliases);
  for (const f of [WORLD_JSON, STATE, path.join(RUN_DIR, 'servers.ready')]) fs.rmSync(f, { force: true });
  if (mine.length) log(`stopped ${mine.map(([n]) => n).join(', ')}`);
  else log('not running');
  return { stopped: mine.map(([n]) => n) };
}
