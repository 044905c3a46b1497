/**
 * Printing records in presentation (zone-file) format (RFC 1035 §5.1, RFC 3597 §5, RFC 4034
 * §2.2/§3.2/§4.2/§5.3, RFC 5155 §3.3/§4.3, RFC 6698 §2.2).
 */
import { toBase32Hex, toBase64, toHex } from '../util/encoding';
import { type RR } from './types';
import { classToString, typeToString } from './mnemonics';

/** Seconds since the epoch (32-bit serial) as YYYYMMDDHHmmSS UTC (RFC 4034 §3.2). */
export function formatRrsigTime(t: number): string {
  const d = new Date((t >>> 0) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** A <character-string> in quotes, '"' and '\' escaped, non-printable octets as \DDD (RFC 1035 §5.1). */
function quoteString(s: Uint8Array): string {
  let out = '"';
  for (const b of s) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out + '"';
}

function typeList(types: number[]): string {
  return types.map(typeToString).join(' ');
}

function unknownText(bytes: Uint8Array): string {
  return bytes.length === 0 ? '\\# 0' : `\\# ${bytes.length} ${toHex(bytes)}`; // RFC 3597 §5
}

/** RDATA in presentation format. Hex is lowercase except DS digests (uppercase, as IANA and dnssec-dsfromkey print them). */
export function rdataToString(rr: Pick<RR, 'type' | 'rdata' | 'data'>): string {
  const d = rr.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return d.target;
    case 'MX':
      return `${d.preference} ${d.exchange}`;
    case 'TXT':
      return d.strings.map(quoteString).join(' ');
    case 'SOA':
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'DS':
      return `${d.keyTag} ${d.algorithm} ${d.digestType} ${toHex(d.digest).toUpperCase()}`; // RFC 4034 §5.3
    case 'DNSKEY':
      return `${d.flags} ${d.protocol} ${d.algorithm} ${toBase64(d.publicKey)}`; // RFC 4034 §2.2
    case 'RRSIG':
      // RFC 4034 §3.2
      return [
        typeToString(d.typeCovered),
        d.algorithm,
        d.labels,
        d.originalTtl,
        formatRrsigTime(d.expiration),
        formatRrsigTime(d.inception),
        d.keyTag,
        d.signerName,
        toBase64(d.signature),
      ].join(' ');
    case 'NSEC':
      return [d.nextName, typeList(d.types)].filter((s) => s !== '').join(' '); // RFC 4034 §4.2
    case 'NSEC3':
      // RFC 5155 §3.3: salt "-" when empty, next hashed owner in base32hex
      return [
        d.hashAlgorithm,
        d.flags,
        d.iterations,
        d.salt.length ? toHex(d.salt) : '-',
        toBase32Hex(d.nextHashed),
        typeList(d.types),
      ]
        .filter((s) => s !== '')
        .join(' ');
    case 'NSEC3PARAM':
      return `${d.hashAlgorithm} ${d.flags} ${d.iterations} ${d.salt.length ? toHex(d.salt) : '-'}`; // RFC 5155 §4.3
    case 'TLSA':
      return `${d.usage} ${d.selector} ${d.matchingType} ${toHex(d.data)}`; // RFC 6698 §2.2
    case 'unknown':
      return unknownText(rr.rdata);
  }
}

/** One zone-file line: "name ttl class TYPE rdata" (single spaces). */
export function rrToString(rr: RR): string {
  return `${rr.name} ${rr.ttl} ${classToString(rr.class)} ${typeToString(rr.type)} ${rdataToString(rr)}`;
}
