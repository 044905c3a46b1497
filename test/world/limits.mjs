// Resource-limit zones of the test world (issue #8, "KeyTrap and friends"), used by build.mjs:
//
// - `generate` (zone field): records produced at build time instead of listed in the catalogue:
//     { kind: 'cname-chain', prefix, links, address }   prefix0 → prefix1 → … → prefix<links> A address
//     { kind: 'txt-flood', name, count, size }           `count` TXT records of `size` octets each
//     { kind: 'tlsa-flood', name, count, size }          `count` TLSA 3 1 0 records of `size` octets
// - `keytrap` (zone field, keys ksk+zsk): { collidingKeys, sigsPerRRset }. `collidingKeys` valid
//   P-256 DNSKEYs that all share one key tag are published (and signed into the DNSKEY RRset by
//   the KSK); after signing, every signature the ZSK made is replaced by `sigsPerRRset` RRSIGs
//   with that colliding key tag and random signature bytes. A validator without limits tries
//   collidingKeys × sigsPerRRset ECDSA verifications per RRset (CVE-2023-50387), all failing.
// - `nsec3Iterations` (zone field, denial nsec3): above 150 dnssec-signzone (BIND 9.18) refuses,
//   so such zones are signed with ldns-signzone (RFC 9276 says 0; CVE-2023-50868).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { p256 } from '@noble/curves/nist.js';

/** RFC 4034 Appendix B key tag of DNSKEY RDATA. */
export function keyTagOf(rdata) {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i] : rdata[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/**
 * A genuine P-256 public key X||Y. Pure JS (@noble/curves): Node 20 deadlocked after a few thousand
 * `crypto.generateKeyPairSync('ec')` calls (seen in CI), and a colliding set needs thousands.
 */
function p256PublicKey() {
  return Buffer.from(p256.getPublicKey(p256.utils.randomSecretKey(), false)).subarray(1);
}

const ZONE_FLAG = 0x0100;
/**
 * Flag bits free to vary: SEP and bits RFC 4034 §2.1.1 reserves ("MUST be ignored upon receipt"),
 * except those BIND still reads with their RFC 2535 KEY meaning (0xC000 key type, 0x1000
 * extended flags, 0x0200 owner type) and REVOKE (0x0080, RFC 5011).
 */
const FREE_FLAGS = 0x0c7f;

/**
 * `count` DNSKEYs (algorithm 13, genuine P-256 points, so every verification attempt costs a full
 * ECDSA verify) with the same key tag. Only the flags word is chosen to make the tags collide:
 * the Zone Key bit is set, the other bits from FREE_FLAGS. Returns { tag, records: [{ flags, publicKey }] }.
 */
export function collidingKeys(count, avoidTags = []) {
  // Pre-generated set (keytrap-keys.json); regenerate only if its tag collides with the zone's own keys.
  try {
    const fixed = JSON.parse(fs.readFileSync(new URL('./keytrap-keys.json', import.meta.url), 'utf8'));
    if (fixed.records.length >= count && !avoidTags.includes(fixed.tag)) return { tag: fixed.tag, records: fixed.records.slice(0, count) };
  } catch {}
  const records = [];
  let tag = null;
  while (records.length < count) {
    const key = p256PublicKey();
    const rdata = Buffer.concat([Buffer.from([0, 0, 3, 13]), key]);
    if (tag === null) {
      rdata.writeUInt16BE(ZONE_FLAG, 0);
      const t = keyTagOf(rdata);
      if (avoidTags.includes(t)) continue;
      tag = t;
      records.push({ flags: ZONE_FLAG, publicKey: key.toString('base64') });
      continue;
    }
    for (let free = 0; free <= FREE_FLAGS; free++) {
      if ((free & ~FREE_FLAGS) !== 0) continue;
      const f = ZONE_FLAG | free;
      rdata.writeUInt16BE(f, 0);
      if (keyTagOf(rdata) === tag) {
        records.push({ flags: f, publicKey: key.toString('base64') });
        break;
      }
    }
  }
  return { tag, records };
}

/** Zone-file lines of a zone's `generate` entries (names relative to the zone). */
export function generatedRecords(z) {
  const L = [];
  for (const g of z.generate ?? []) {
    if (g.kind === 'cname-chain') {
      for (let i = 0; i < g.links; i++) L.push(`${g.prefix}${i} CNAME ${g.prefix}${i + 1}`);
      L.push(`${g.prefix}${g.links} A ${g.address}`);
    } else if (g.kind === 'txt-flood') {
      for (let i = 0; i < g.count; i++) {
        const text = `${String(i).padStart(4, '0')}-`.padEnd(g.size, String.fromCharCode(97 + (i % 26)));
        L.push(`${g.name} TXT "${text}"`);
      }
    } else if (g.kind === 'tlsa-flood') {
      for (let i = 0; i < g.count; i++) L.push(`${g.name} TLSA 3 1 0 ${crypto.randomBytes(g.size).toString('hex')}`);
    } else throw new Error(`zone ${z.name}: unknown generate kind ${g.kind}`);
  }
  return L;
}

/** The colliding DNSKEY lines of a keytrap zone (sets z.keytrapTag). */
export function keytrapRecords(z, origin) {
  if (!z.keytrap) return [];
  const { tag, records } = collidingKeys(z.keytrap.collidingKeys, [z.ksk.keyTag, z.zsk?.keyTag].filter((t) => t !== undefined));
  z.keytrapTag = tag;
  return records.map((r) => `${origin} DNSKEY ${r.flags} 3 13 ${r.publicKey}`);
}

/**
 * After signing: every RRSIG made by the ZSK becomes `sigsPerRRset` RRSIGs with the colliding key
 * tag and random signature bytes (same covered type, labels, TTLs and validity window).
 */
export function applyKeytrap(file, z) {
  if (!z.keytrap) return;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let replaced = 0;
  const out = lines.flatMap((line) => {
    const f = line.split(/\s+/);
    if (f[3] !== 'RRSIG' || Number(f[10]) !== z.zsk.keyTag) return [line];
    replaced++;
    return Array.from({ length: z.keytrap.sigsPerRRset }, () => [...f.slice(0, 10), String(z.keytrapTag), f[11], crypto.randomBytes(64).toString('base64')].join(' '));
  });
  if (!replaced) throw new Error(`keytrap ${z.name}: no ZSK signature found in ${file}`);
  fs.writeFileSync(file, out.join('\n'));
}

/** ldns-signzone arguments for an NSEC3 zone with more iterations than dnssec-signzone allows. */
export function ldnsSignArgs(z, { inception, expiration, out, origin, file, keyBases }) {
  const day = (t) => new Date(t * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const args = ['-n', '-t', String(z.nsec3Iterations), '-s', z.salt ?? '-', '-i', day(inception), '-e', day(expiration), '-o', origin, '-f', out];
  if (z.optOut) args.push('-p');
  if (z.salt === undefined) args.splice(args.indexOf('-s'), 2); // ldns: no -s = empty salt
  return [...args, file, ...keyBases];
}
