// Builds the offline DNSSEC/DANE test world into run/: CA + certificates, DNSSEC keys,
// zone files, signed zones, trust anchors and server configurations.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { run as runRaw, mapLimit } from './lib/proc.mjs';

// every tool runs inside the run dir so stray output files (dsset-*, ...) cannot land elsewhere
let CWD = process.cwd();
const run = (cmd, args, opts = {}) => runRaw(cmd, args, { cwd: CWD, ...opts });
import { ADDR, FRONT_PORT, DOH_PORT, DNS_PORT } from './lib/addresses.mjs';
import { applyKeytrap, generatedRecords, keytrapRecords, ldnsSignArgs } from './limits.mjs';
import { DANE_PKI, makeDanePki, sentAfterLeaf } from './lib/dane-pki.mjs';

const ALG = {
  8: { name: 'RSASHA256', bits: 2048 },
  10: { name: 'RSASHA512', bits: 2048 },
  13: { name: 'ECDSAP256SHA256' },
  14: { name: 'ECDSAP384SHA384' },
  15: { name: 'ED25519' },
  16: { name: 'ED448' },
};
const DIGEST = { 2: 'SHA-256', 4: 'SHA-384' };
const DAY = 86400;

const abs = (n) => (n === '.' ? '.' : `${n.replace(/\.$/, '')}.`);
const fileBase = (zone) => (zone === '.' ? 'root' : zone.replace(/\.$/, ''));
const labels = (n) => (n === '.' || n === '' ? [] : n.replace(/\.$/, '').split('.'));
function isSubdomain(name, zone) {
  const a = labels(name);
  const z = labels(zone);
  if (z.length > a.length) return false;
  return z.every((l, i) => l.toLowerCase() === a[a.length - z.length + i].toLowerCase());
}
export function owningZone(name, zones) {
  let best = null;
  for (const z of zones) {
    if (isSubdomain(name, z.name) && (!best || labels(z.name).length > labels(best.name).length)) best = z;
  }
  return best;
}
function parentZone(zone, zones) {
  if (zone.name === '.') return null;
  const parentName = labels(zone.name).slice(1).join('.') || '.';
  return owningZone(parentName, zones);
}
function stamp(unix) {
  return new Date(unix * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

// ---------------------------------------------------------------- certificates
async function makeCerts(runDir, catalogue, limit) {
  const dir = path.join(runDir, 'certs');
  fs.mkdirSync(dir, { recursive: true });
  const p = (f) => path.join(dir, f);
  const keyArgs = (key) =>
    key === 'rsa'
      ? ['-newkey', 'rsa:2048']
      : key === 'ed25519'
        ? ['-newkey', 'ed25519']
        : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  // world CA and an unrelated "other" CA
  await Promise.all([
    run('openssl', ['req', '-x509', ...keyArgs('ec'), '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '30', '-subj', '/O=dnssec-tlsa-validator test world/CN=Test World CA', ...caExt]),
    run('openssl', ['req', '-x509', ...keyArgs('ec'), '-nodes', '-keyout', p('other-ca.key'), '-out', p('other-ca.pem'), '-days', '30', '-subj', '/CN=Some Other CA', ...caExt]),
  ]);
  const leafExt = (names, ips = []) => [
    // no names at all: no subjectAltName (a leaf named only by its subject CN, RFC 7672 §3.2.3)
    ...(names.length + ips.length > 0 ? ['-addext', `subjectAltName=${[...names.map((n) => `DNS:${n}`), ...ips.map((i) => `IP:${i}`)].join(',')}`] : []),
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'extendedKeyUsage=serverAuth',
  ];
  await makeDanePki(run, p, keyArgs); // intermediates, DNS-only and cross-signed roots (issue #20)
  const jobs = [];
  const mk = (name, key, issuer, names, ips, sends = sentAfterLeaf({ cert: { issuer } }), cn = names[0]) => {
    const args = ['req', '-x509', ...keyArgs(key), '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.pem`), '-days', '20', '-subj', `/CN=${cn}`, ...leafExt(names, ips)];
    if (issuer !== 'self') args.push('-CA', p(`${issuer}.pem`), '-CAkey', p(`${issuer}.key`));
    jobs.push(async () => {
      await run('openssl', args);
      // the served chain: leaf, then what the case sends (the CA for CA-issued certificates)
      const chain = [name, ...sends].map((f) => fs.readFileSync(p(`${f}.pem`), 'utf8')).join('');
      fs.writeFileSync(p(`${name}.chain.pem`), chain);
    });
  };
  // resolvers + front: one certificate with the IP literals as subjectAltName
  mk('infra', 'ec', 'ca', ['resolver.world.test', 'front.world.test'], [ADDR.bind, ADDR.unbound, ADDR.front]);
  mk('bench-unrelated', 'ec', 'ca', ['bench.test']);
  for (const c of catalogue.cases) {
    if (!c.site) continue;
    const names = c.cert.names ?? [c.host];
    mk(`site-${c.id}`, c.cert.key, c.cert.issuer, names, [], sentAfterLeaf(c));
    if (c.tlsaRecords.some((t) => t.of === 'retired')) mk(`retired-${c.id}`, c.cert.key, c.cert.issuer, names);
  }
  // issue #15 SMTP servers: the served certificate, and the "retired" (before renewal) or "next" one
  for (const s of [...(catalogue.smtp?.servers ?? []), ...(catalogue.smtp?.services ?? [])]) {
    const names = s.cert.names ?? [s.host];
    const sends = sentAfterLeaf({ cert: { issuer: s.cert.issuer } });
    mk(`smtp-${s.id}`, 'ec', s.cert.issuer, names, [], sends, s.cert.cn ?? names[0]);
    for (const t of s.tlsaRecords) if (t.of === 'retired' || t.of === 'next') mk(`smtp-${s.id}-${t.of}`, 'ec', s.cert.issuer, names, [], sends, s.cert.cn ?? names[0]);
  }
  await mapLimit(jobs, limit, (j) => j());
  return { dir, p };
}

/** DER of the certificate (selector 0) and of its SubjectPublicKeyInfo (selector 1), from the PEM file. */
async function certDers(pem) {
  const x = new crypto.X509Certificate(fs.readFileSync(pem));
  return { 0: x.raw, 1: x.publicKey.export({ type: 'spki', format: 'der' }) };
}
function tlsaData(ders, selector, matching) {
  const der = ders[selector];
  if (matching === 0) return der.toString('hex');
  return crypto.createHash(matching === 1 ? 'sha256' : 'sha512').update(der).digest('hex');
}

// ---------------------------------------------------------------- DNSSEC keys
async function keygen(dir, zone, alg, ksk) {
  fs.mkdirSync(dir, { recursive: true });
  const a = ALG[alg];
  const args = ['-q', '-K', dir, '-a', a.name];
  if (a.bits) args.push('-b', String(a.bits));
  if (ksk) args.push('-f', 'KSK');
  args.push('-n', 'ZONE', abs(zone));
  const r = await run('dnssec-keygen', args);
  const base = path.join(dir, r.text.trim());
  const keyText = fs.readFileSync(`${base}.key`, 'utf8');
  const rr = keyText.split('\n').find((l) => l && !l.startsWith(';'));
  const m = rr.match(/DNSKEY\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+)$/);
  const tag = Number(path.basename(base).split('+')[2]);
  return { base, rr: rr.trim(), flags: Number(m[1]), algorithm: Number(m[3]), publicKey: m[4].replace(/\s+/g, ''), keyTag: tag };
}
async function dsLines(key, digests) {
  const out = [];
  for (const d of digests) {
    const r = await run('dnssec-dsfromkey', ['-a', DIGEST[d], `${key.base}.key`]);
    out.push(r.text.trim());
  }
  return out;
}

// ---------------------------------------------------------------- main
export async function buildWorld({ runDir, catalogue, log = () => {} }) {
  const t0 = Date.now();
  CWD = runDir;
  fs.mkdirSync(runDir, { recursive: true });
  const limit = 4;
  const now = Math.floor(Date.now() / 1000);
  const windows = {
    normal: { inception: now - DAY, expiration: now + 10 * DAY },
    expired: { inception: now - 20 * DAY, expiration: now - DAY },
    future: { inception: now + 5 * DAY, expiration: now + 15 * DAY },
    // still valid, but close to expiry: the extension's expiry warning (issue #9)
    soon: { inception: now - DAY, expiration: now + 2 * DAY },
  };
  const servers = catalogue.servers;
  const zones = catalogue.zones.map((z) => ({ ...z, signed: z.signed !== false, extra: [] }));
  for (const d of ['zones', 'keys', 'logs', 'auth', 'bind', 'unbound']) fs.mkdirSync(path.join(runDir, d), { recursive: true });

  // 1. certificates and DNSSEC keys in parallel
  const certsP = makeCerts(runDir, catalogue, limit);
  const keyJobs = [];
  for (const z of zones) {
    if (!z.signed) continue;
    const dir = path.join(runDir, 'keys', fileBase(z.name));
    const udir = path.join(dir, 'unpublished');
    z.keyDir = dir;
    if (z.keys === 'csk') keyJobs.push(async () => (z.ksk = await keygen(dir, z.name, z.alg, true)));
    else {
      keyJobs.push(async () => (z.ksk = await keygen(dir, z.name, z.alg, true)));
      keyJobs.push(async () => (z.zsk = await keygen(dir, z.name, z.alg, false)));
    }
    if (z.ds === 'with-stale' || z.ds === 'wrong') keyJobs.push(async () => (z.unpublished = await keygen(udir, z.name, z.alg, true)));
  }
  // RSA first: they are the slow ones
  keyJobs.reverse();
  await mapLimit(keyJobs, limit, (j) => j());
  log(`keys generated (${keyJobs.length}) ${Date.now() - t0} ms`);
  const certs = await certsP;
  log(`certificates generated ${Date.now() - t0} ms`);

  // 2. DS records for each signed child
  await mapLimit(zones.filter((z) => z.signed && z.name !== '.'), limit, async (z) => {
    const digests = z.dsDigests ?? [2];
    if (z.ds === 'wrong') z.dsRecords = await dsLines(z.unpublished, digests);
    else if (z.ds === 'with-stale') z.dsRecords = [...(await dsLines(z.ksk, digests)), ...(await dsLines(z.unpublished, digests))];
    else z.dsRecords = await dsLines(z.ksk, digests);
  });

  // 3. site records (A + TLSA) computed from the real certificate files
  const derCache = new Map();
  const ders = (f) => {
    if (!derCache.has(f)) derCache.set(f, certDers(f));
    return derCache.get(f);
  };
  const srcFile = (c, of) =>
    certs.p({ leaf: `site-${c.id}.pem`, ca: 'ca.pem', 'other-ca': 'other-ca.pem', retired: `retired-${c.id}.pem` }[of] ?? (DANE_PKI.includes(of) ? `${of}.pem` : undefined));
  const needed = new Set([certs.p('bench-unrelated.pem')]);
  for (const c of catalogue.cases) if (c.site) for (const t of c.tlsaRecords) needed.add(srcFile(c, t.of));
  await mapLimit([...needed], limit, (f) => ders(f));
  const sites = [];
  for (const c of catalogue.cases) {
    if (!c.site) continue;
    const target = c.addressTarget ?? c.host;
    const tz = owningZone(target, zones);
    tz.extra.push(`${abs(target)} A ${c.ip}`);
    const rrdata = [];
    for (const t of c.tlsaRecords) {
      const data = tlsaData(await ders(srcFile(c, t.of)), t.selector, t.matching);
      rrdata.push(`${t.usage} ${t.selector} ${t.matching} ${data}`);
    }
    const lz = owningZone(c.tlsaName, zones);
    for (const r of rrdata) lz.extra.push(`${abs(c.tlsaName)} TLSA ${r}`);
    sites.push({
      host: c.host, ip: c.ip, port: c.port, case: c.id, tlsaName: c.tlsaName, tlsa: rrdata,
      cert: certs.p(`site-${c.id}.pem`), key: certs.p(`site-${c.id}.key`), chain: certs.p(`site-${c.id}.chain.pem`),
    });
  }
  const benchTlsa = `3 1 1 ${tlsaData(await ders(certs.p('bench-unrelated.pem')), 1, 1)}`;
  const smtp = await smtpRecords(catalogue, zones, certs, ders);

  log(`TLSA data computed ${Date.now() - t0} ms`);
  // 4. zone files
  const serial = now;
  for (const z of zones) {
    const origin = abs(z.name);
    const L = [`$TTL 300`, `$ORIGIN ${origin}`];
    if (z.name === '.') {
      L.push(`@ SOA a.root-servers. hostmaster.root-servers. ${serial} 1800 900 604800 60`, `@ NS a.root-servers.`);
    } else {
      L.push(`@ SOA ns1.${origin} hostmaster.${origin} ${serial} 1800 900 604800 60`, `@ NS ns1.${origin}`, `ns1 A ${servers[z.server]}`);
    }
    L.push(...z.records, ...z.extra, ...generatedRecords(z));
    if (z.bench) {
      for (let i = 0; i < z.bench.hosts; i++) {
        L.push(`${z.bench.prefix}${i} A ${z.bench.net}${(i % 250) + 1}`, `_443._tcp.${z.bench.prefix}${i} TLSA ${benchTlsa}`);
      }
    }
    for (const child of zones.filter((c) => parentZone(c, zones) === z)) {
      const co = abs(child.name);
      L.push(`${co} NS ns1.${co}`, `ns1.${co} A ${servers[child.server]}`);
      if (child.signed && !child.noDs) L.push(...child.dsRecords); // noDs: an island of trust
    }
    if (z.signed) {
      L.push(z.ksk.rr);
      if (z.zsk) L.push(z.zsk.rr);
      L.push(...keytrapRecords(z, origin)); // limits.mjs: colliding key tags (KeyTrap zones only)
    }
    z.file = path.join(runDir, 'zones', `${fileBase(z.name)}.zone`);
    fs.writeFileSync(z.file, L.join('\n') + '\n');
  }

  // 5. signing
  await mapLimit(zones.filter((z) => z.signed), limit, async (z) => {
    const w = windows[z.validity ?? 'normal'];
    const out = path.join(runDir, 'zones', `${fileBase(z.name)}.signed`);
    if (z.denial === 'nsec3' && z.nsec3Iterations > 150) {
      // dnssec-signzone (BIND 9.18) refuses more than 150 NSEC3 iterations: ldns-signzone does not.
      const keyBases = [z.ksk.base, z.zsk?.base].filter(Boolean);
      await run('ldns-signzone', ldnsSignArgs(z, { ...w, out, origin: abs(z.name), file: z.file, keyBases }));
      z.signedFile = out;
      return;
    }
    const args = ['-K', z.keyDir, '-d', z.keyDir, '-o', abs(z.name), '-O', 'full', '-f', out, '-s', stamp(w.inception), '-e', stamp(w.expiration)];
    if (z.keys === 'csk') args.push('-z');
    if (z.denial === 'nsec3') {
      args.push('-3', z.salt ?? '-', '-H', '0');
      if (z.optOut) args.push('-A');
    }
    if (z.validity && z.validity !== 'normal') args.push('-P');
    args.push(z.file, `${z.ksk.base}.key`);
    if (z.zsk) args.push(`${z.zsk.base}.key`);
    await run('dnssec-signzone', args);
    if (z.edits) applyEdits(out, z);
    applyKeytrap(out, z); // limits.mjs: no-op unless the zone is a KeyTrap zone
    z.signedFile = out;
  });
  log(`zones signed ${Date.now() - t0} ms`);

  // 6. trust anchors, hints
  const root = zones.find((z) => z.name === '.');
  const rootDs = (await dsLines(root.ksk, [2]))[0];
  const dsm = rootDs.match(/DS\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9A-Fa-f]+)/);
  const anchor = {
    zone: path.join(runDir, 'root-anchor.zone'),
    json: path.join(runDir, 'root-anchor.json'),
    bind: path.join(runDir, 'root-anchor.bind.conf'),
  };
  fs.writeFileSync(anchor.zone, `; test world root trust anchor (DS and KSK), zone-file format\n${rootDs.replace(/^\.\s+IN/, '. 86400 IN')}\n. 86400 IN DNSKEY ${root.ksk.flags} 3 ${root.ksk.algorithm} ${root.ksk.publicKey}\n`);
  const anchorJson = {
    name: '.',
    ds: [{ keyTag: Number(dsm[1]), algorithm: Number(dsm[2]), digestType: Number(dsm[3]), digest: dsm[4].toUpperCase() }],
    dnskey: [{ flags: root.ksk.flags, protocol: 3, algorithm: root.ksk.algorithm, publicKey: root.ksk.publicKey, keyTag: root.ksk.keyTag }],
  };
  fs.writeFileSync(anchor.json, JSON.stringify(anchorJson, null, 2) + '\n');
  // Islands of trust: the root anchor plus the DS of every signed zone whose parent does not publish it.
  anchor.islands = path.join(runDir, 'island-anchor.zone');
  fs.writeFileSync(anchor.islands, [fs.readFileSync(anchor.zone, 'utf8').trimEnd(), '; islands of trust (DS not published by the parent)', ...zones.filter((z) => z.signed && z.noDs).flatMap((z) => z.dsRecords)].join('\n') + '\n');
  fs.writeFileSync(anchor.bind, `trust-anchors {\n  "." static-ds ${dsm[1]} ${dsm[2]} ${dsm[3]} "${dsm[4]}";\n};\n`);
  const hints = path.join(runDir, 'root.hints');
  fs.writeFileSync(hints, `. 3600000 NS a.root-servers.\na.root-servers. 3600000 A ${ADDR.root}\n`);

  // 7. server configurations
  const confs = writeConfigs({ runDir, zones, servers, anchor, hints, certs });
  // sites + front
  const serversJson = path.join(runDir, 'servers.json');
  fs.writeFileSync(serversJson, JSON.stringify({
    sites,
    front: {
      ip: ADDR.front, port: FRONT_PORT, key: certs.p('infra.key'), cert: certs.p('infra.chain.pem'), ca: certs.p('ca.pem'),
      upstreams: { bind: `https://${ADDR.bind}:${DOH_PORT}/dns-query`, unbound: `https://${ADDR.unbound}:${DOH_PORT}/dns-query` },
      defaultUpstream: process.env.WORLD_FRONT_UPSTREAM === 'bind' ? 'bind' : 'unbound',
      log: path.join(runDir, 'front-queries.log'),
    },
    smtp,
    readyFile: path.join(runDir, 'servers.ready'),
  }, null, 2));
  log(`configs written ${Date.now() - t0} ms`);

  return {
    windows, zones, sites, smtp, anchor, hints, confs, serversJson,
    ca: certs.p('ca.pem'), otherCa: certs.p('other-ca.pem'), benchTlsa,
  };
}

/**
 * Issue #15: the mail servers of catalogue.smtp — per case `<id>.smtp.test MX 10 mx.<id>.smtp.test`,
 * its A/AAAA and `_25._tcp` TLSA records (from the real certificate files), and what servers.mjs
 * needs to run it (mail-servers.mjs).
 */
async function smtpRecords(catalogue, zones, certs, ders) {
  const out = [];
  for (const s of [...(catalogue.smtp?.servers ?? []), ...(catalogue.smtp?.services ?? [])]) {
    const z = owningZone(s.host, zones);
    const port = s.port ?? 25;
    // mail servers: the domain's MX; other services: an SRV record when the protocol uses one (RFC 7673)
    if (!s.port) z.extra.push(`${abs(s.domain)} MX 10 ${abs(s.host)}`);
    if (s.srv) z.extra.push(`${s.srv}.${abs(s.domain)} SRV 0 5 ${port} ${abs(s.host)}`);
    if (s.ip) z.extra.push(`${abs(s.host)} A ${s.ip}`);
    if (s.ip6) z.extra.push(`${abs(s.host)} AAAA ${s.ip6}`);
    const file = (of) => certs.p({ leaf: `smtp-${s.id}.pem`, ca: 'ca.pem', 'other-ca': 'other-ca.pem', retired: `smtp-${s.id}-retired.pem`, next: `smtp-${s.id}-next.pem` }[of]);
    const tlsa = [];
    for (const t of s.tlsaRecords) tlsa.push(`${t.usage} ${t.selector} ${t.matching} ${tlsaData(await ders(file(t.of)), t.selector, t.matching)}`);
    for (const r of tlsa) z.extra.push(`_${port}._tcp.${abs(s.host)} TLSA ${r}`);
    out.push({ id: s.id, kind: s.kind, port, hideStarttls: s.hideStarttls, implicitTls: s.implicitTls, host: s.host, domain: s.domain, ip: s.ip, ip6: s.ip6, tlsa, key: certs.p(`smtp-${s.id}.key`), chain: certs.p(`smtp-${s.id}.chain.pem`) });
  }
  return out;
}

function applyEdits(file, z) {
  let lines = fs.readFileSync(file, 'utf8').split('\n');
  const origin = abs(z.name);
  for (const e of z.edits) {
    const owner = `${e.name}.${origin}`.toLowerCase();
    let hits = 0;
    lines = lines.flatMap((line) => {
      const f = line.split(/\s+/);
      if (f[0]?.toLowerCase() !== owner || f[3] !== 'RRSIG' || f[4] !== e.type) return [line];
      hits++;
      if (e.op === 'drop-rrsig') return [];
      // corrupt-rrsig: flip one byte in the middle of the signature
      const sig = Buffer.from(f.slice(12).join(''), 'base64');
      sig[Math.floor(sig.length / 2)] ^= 0xff;
      return [[...f.slice(0, 12), sig.toString('base64')].join(' ')];
    });
    if (!hits) throw new Error(`edit ${e.op} ${owner} ${e.type}: no RRSIG found in ${file}`);
  }
  fs.writeFileSync(file, lines.join('\n'));
}

function writeConfigs({ runDir, zones, servers, anchor, hints, certs }) {
  const logs = path.join(runDir, 'logs');
  const q = (s) => JSON.stringify(s);
  // ---- authoritative named: one process, one view per server address
  const views = Object.entries(servers).map(([name, ip]) => {
    const zs = zones
      .filter((z) => z.server === name)
      .map((z) => `    zone ${q(abs(z.name))} { type primary; file ${q(z.signed ? z.signedFile ?? path.join(runDir, 'zones', `${fileBase(z.name)}.signed`) : z.file)}; };`);
    return `view ${q(name)} {\n  match-destinations { ${ip}; };\n  match-clients { 127.0.0.0/8; };\n${zs.join('\n')}\n};`;
  });
  const auth = path.join(runDir, 'auth', 'named.conf');
  fs.writeFileSync(auth, `// test world authoritative servers (generated)
options {
  directory ${q(path.join(runDir, 'auth'))};
  pid-file ${q(path.join(runDir, 'auth', 'named.pid'))};
  session-keyfile ${q(path.join(runDir, 'auth', 'session.key'))};
  managed-keys-directory ${q(path.join(runDir, 'auth'))};
  listen-on port ${DNS_PORT} { ${Object.values(servers).join('; ')}; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  empty-zones-enable no;
  allow-transfer { none; };
  querylog yes;
  max-records-per-type 0; // limits zones: ~64 KiB RRsets (BIND 9.18.28+ default is 100)
};
controls { };
logging {
  channel main { file ${q(path.join(logs, 'auth.log'))} versions 0 size 50m; print-time yes; severity info; };
  category default { main; };
  category queries { main; };
  category lame-servers { null; };
};
${views.join('\n')}
`);
  // ---- BIND validating resolver with DoH
  const bind = path.join(runDir, 'bind', 'named.conf');
  fs.writeFileSync(bind, `// test world BIND 9.18 validating resolver (generated)
include ${q(anchor.bind)};
tls world-tls { key-file ${q(certs.p('infra.key'))}; cert-file ${q(certs.p('infra.chain.pem'))}; };
http world-doh { endpoints { "/dns-query"; }; };
options {
  directory ${q(path.join(runDir, 'bind'))};
  pid-file ${q(path.join(runDir, 'bind', 'named.pid'))};
  session-keyfile ${q(path.join(runDir, 'bind', 'session.key'))};
  managed-keys-directory ${q(path.join(runDir, 'bind'))};
  listen-on port ${DNS_PORT} { ${ADDR.bind}; };
  listen-on port ${DOH_PORT} tls world-tls http world-doh { ${ADDR.bind}; };
  listen-on-v6 { none; };
  query-source address ${ADDR.bind};
  recursion yes;
  allow-query { 127.0.0.0/8; };
  allow-recursion { 127.0.0.0/8; };
  allow-query-cache { 127.0.0.0/8; };
  dnssec-validation yes;
  empty-zones-enable no;
  notify no;
  servfail-ttl 0;
  lame-ttl 0;
  max-ncache-ttl 60;
  trust-anchor-telemetry no;
  querylog yes;
  max-records-per-type 0; // limits zones: ~64 KiB RRsets (BIND 9.18.28+ default is 100)
};
controls { };
zone "." { type hint; file ${q(hints)}; };
logging {
  channel main { file ${q(path.join(logs, 'bind.log'))} versions 0 size 50m; print-time yes; severity info; };
  category default { main; };
  category queries { main; };
  category dnssec { main; };
  category lame-servers { null; };
};
`);
  // ---- unbound validating resolver with DoH
  const common = `  do-ip6: no
  do-not-query-localhost: no
  root-hints: ${q(hints)}
  trust-anchor-file: ${q(anchor.zone)}
  module-config: "validator iterator"
  local-zone: "test." nodefault
  local-zone: "example." nodefault
  val-log-level: 2
  val-bogus-ttl: 5
  trust-anchor-signaling: no
  use-syslog: no
  username: ""
  chroot: ""
`;
  const unbound = path.join(runDir, 'unbound', 'unbound.conf');
  fs.writeFileSync(unbound, `# test world unbound 1.17 validating resolver (generated)
server:
  verbosity: 1
  num-threads: 1
  directory: ${q(path.join(runDir, 'unbound'))}
  pidfile: ${q(path.join(runDir, 'unbound', 'unbound.pid'))}
  logfile: ${q(path.join(logs, 'unbound.log'))}
  log-time-ascii: yes
  log-queries: yes
  interface: ${ADDR.unbound}@${DNS_PORT}
  interface: ${ADDR.unbound}@${DOH_PORT}
  https-port: ${DOH_PORT}
  http-endpoint: "/dns-query"
  tls-service-key: ${q(certs.p('infra.key'))}
  tls-service-pem: ${q(certs.p('infra.chain.pem'))}
  outgoing-interface: ${ADDR.unbound}
  access-control: 127.0.0.0/8 allow
  so-reuseport: no
${common}
remote-control:
  control-enable: no
`);
  // ---- configuration for unbound-host cross-checks (libunbound, recursing itself)
  const unboundHost = path.join(runDir, 'unbound', 'unbound-host.conf');
  fs.writeFileSync(unboundHost, `# libunbound config for unbound-host -C (world test cross-check)
server:
  verbosity: 0
  outgoing-interface: ${ADDR.probe}
${common}`);
  return { auth, bind, unbound, unboundHost };
}
