/**
 * Presentation (zone-file) format: type mnemonics, RDATA text, RR lines, and a small zone-text
 * parser for trust anchors and test fixtures (RFC 1035 §5.1, RFC 3597 §5, RFC 4034 §2.2/§3.2/
 * §4.2/§5.3, RFC 5155 §3.3/§4.3, RFC 6698 §2.2).
 */
import { fromBase32Hex, fromBase64, fromHex, toBase32Hex, toBase64, toHex } from '../util/encoding';
import { parseName } from './name';
import { encodeRData, ipv4Bytes, ipv6Bytes, parseRData } from './rdata';
import { RRType, type Name, type RData, type RR } from './types';

/** Mnemonics of the IANA "Resource Record (RR) TYPEs" registry that we print by name. */
const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL',
  11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB',
  24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 33: 'SRV', 35: 'NAPTR', 36: 'KX',
  37: 'CERT', 39: 'DNAME', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA',
  53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG',
  251: 'IXFR', 252: 'AXFR', 255: 'ANY', 256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};
const TYPE_NUMBERS: Record<string, number> = Object.fromEntries(Object.entries(TYPE_NAMES).map(([n, s]) => [s, Number(n)]));

/** Mnemonic of an RR type, or "TYPE<n>" (RFC 3597 §5). */
export function typeToString(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** RR type from a mnemonic (case-insensitive) or "TYPE<n>" (RFC 3597 §5); null if unknown or out of range. */
export function typeFromString(text: string): number | null {
  const s = text.toUpperCase();
  if (Object.prototype.hasOwnProperty.call(TYPE_NUMBERS, s)) return TYPE_NUMBERS[s];
  const m = /^TYPE([0-9]{1,5})$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 0xffff ? n : null;
}

/** "IN", "CH", "HS" or "CLASS<n>" (RFC 3597 §5). */
export function classToString(klass: number): string {
  return klass === 1 ? 'IN' : klass === 3 ? 'CH' : klass === 4 ? 'HS' : `CLASS${klass}`;
}

export function classFromString(text: string): number | null {
  const s = text.toUpperCase();
  if (s === 'IN') return 1;
  if (s === 'CH') return 3;
  if (s === 'HS') return 4;
  const m = /^CLASS([0-9]{1,5})$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 0xffff ? n : null;
}

/** Seconds since the epoch (32-bit serial) as YYYYMMDDHHmmSS UTC (RFC 4034 §3.2). */
export function formatRrsigTime(t: number): string {
  const d = new Date((t >>> 0) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** RFC 4034 §3.2: YYYYMMDDHHmmSS, or a decimal count of seconds. Null if invalid. */
export function parseRrsigTime(text: string): number | null {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const v = ms / 1000;
    if (new Date(ms).getUTCDate() !== d || v < 0 || v > 0xffffffff) return null;
    return v;
  }
  if (/^[0-9]{1,10}$/.test(text)) {
    const v = Number(text);
    return v <= 0xffffffff ? v : null;
  }
  return null;
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

// ---------------------------------------------------------------------------------------------
// Parsing presentation text.

/** Malformed presentation text; `message` says what. */
export class PresentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresentationError';
  }
}

interface Token {
  text: string;
  quoted: boolean;
}

/**
 * Split one logical line (parentheses already joined) into tokens: whitespace separated,
 * '"' quoted strings kept whole, ';' starts a comment, '\' escapes the next character (kept in
 * the token text so names and strings can interpret it).
 */
function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '(' || c === ')') {
      i++;
      continue;
    }
    if (c === ';') break;
    if (c === '"') {
      let t = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) {
          t += line[i] + line[i + 1];
          i += 2;
        } else t += line[i++];
      }
      if (i >= line.length) throw new PresentationError('unterminated quoted string');
      i++;
      out.push({ text: t, quoted: true });
      continue;
    }
    let t = '';
    while (i < line.length && !' \t\r\n();"'.includes(line[i])) {
      if (line[i] === '\\' && i + 1 < line.length) {
        t += line[i] + line[i + 1];
        i += 2;
      } else t += line[i++];
    }
    out.push({ text: t, quoted: false });
  }
  return out;
}

/** Octets of a <character-string> token (RFC 1035 §5.1 escapes; non-ASCII as UTF-8). */
function stringBytes(text: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\\') {
      const digits = text.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(digits)) {
        const v = Number(digits);
        if (v > 255) throw new PresentationError(`bad escape \\${digits}`);
        out.push(v);
        i += 4;
        continue;
      }
      if (i + 1 >= text.length) throw new PresentationError('dangling backslash');
      i++;
    }
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    for (const b of enc.encode(ch)) out.push(b);
    i += ch.length;
  }
  if (out.length > 255) throw new PresentationError('character-string longer than 255 octets');
  return Uint8Array.from(out);
}

/** TTL: decimal seconds or BIND-style units ("1h30m", "2d"); null if invalid. */
export function parseTtl(text: string): number | null {
  if (/^[0-9]+$/.test(text)) {
    const v = Number(text);
    return v <= 0xffffffff ? v : null;
  }
  if (!/^([0-9]+[smhdwSMHDW])+$/.test(text)) return null;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const m of text.matchAll(/([0-9]+)([smhdwSMHDW])/g)) total += Number(m[1]) * unit[m[2].toLowerCase()];
  return total <= 0xffffffff ? total : null;
}

interface ParseContext {
  origin: Name;
}

/** Owner or RDATA name: absolute if it ends with an unescaped '.', "@" is the origin, else relative to it. */
function resolveName(text: string, ctx: ParseContext): Name {
  if (text === '@') return ctx.origin;
  const absolute = /(^|[^\\])(\\\\)*\.$/.test(text);
  const full = absolute ? text : ctx.origin === '.' ? text + '.' : text + '.' + ctx.origin;
  const n = parseName(full);
  if (n === null) throw new PresentationError(`bad domain name ${JSON.stringify(text)}`);
  return n;
}

function num(text: string | undefined, max: number, what: string): number {
  if (text === undefined || !/^[0-9]+$/.test(text)) throw new PresentationError(`${what}: expected a number, got ${text ?? 'nothing'}`);
  const v = Number(text);
  if (v > max) throw new PresentationError(`${what}: ${v} is out of range`);
  return v;
}

function hexField(parts: string[], what: string, allowEmpty = false): Uint8Array {
  const joined = parts.join('');
  if (joined === '' && !allowEmpty) throw new PresentationError(`${what}: missing`);
  const b = fromHex(joined);
  if (!b) throw new PresentationError(`${what}: bad hex`);
  return b;
}

function base64Field(parts: string[], what: string): Uint8Array {
  const joined = parts.join('');
  if (joined === '') throw new PresentationError(`${what}: missing`);
  const b = fromBase64(joined);
  if (!b) throw new PresentationError(`${what}: bad base64`);
  return b;
}

function saltField(text: string | undefined): Uint8Array {
  if (text === undefined) throw new PresentationError('salt missing');
  if (text === '-') return new Uint8Array(0); // RFC 5155 §3.3
  const b = fromHex(text);
  if (!b || b.length > 255) throw new PresentationError('bad salt');
  return b;
}

function typesField(parts: string[]): number[] {
  return parts.map((t) => {
    const n = typeFromString(t);
    if (n === null) throw new PresentationError(`unknown type ${t}`);
    return n;
  });
}

function noMore(tokens: Token[], count: number, what: string): void {
  if (tokens.length > count) throw new PresentationError(`${what}: unexpected ${tokens[count].text}`);
}

/** Typed RDATA from its tokens; the generic "\# len hex" form (RFC 3597 §5) works for every type. */
function parseRDataText(type: number, tokens: Token[], ctx: ParseContext): { data: RData; rdata: Uint8Array } {
  const t = tokens.map((x) => x.text);
  if (t[0] === '\\#' && !tokens[0].quoted) {
    const len = num(t[1], 0xffff, 'generic RDATA length');
    const bytes = hexField(t.slice(2), 'generic RDATA', true);
    if (bytes.length !== len) throw new PresentationError(`generic RDATA: length ${len} but ${bytes.length} octets`);
    try {
      return parseRData(type, bytes, 0, bytes.length);
    } catch (e) {
      throw new PresentationError(`generic RDATA does not parse as ${typeToString(type)}: ${(e as Error).message}`);
    }
  }
  const data = ((): RData => {
    switch (type) {
      case RRType.A: {
        noMore(tokens, 1, 'A');
        if (!t[0] || !ipv4Bytes(t[0])) throw new PresentationError(`bad IPv4 address ${t[0]}`);
        return { kind: 'A', address: t[0] };
      }
      case RRType.AAAA: {
        noMore(tokens, 1, 'AAAA');
        const b = t[0] ? ipv6Bytes(t[0]) : null;
        if (!b) throw new PresentationError(`bad IPv6 address ${t[0]}`);
        return { kind: 'AAAA', address: t[0] };
      }
      case RRType.NS:
      case RRType.CNAME:
      case RRType.DNAME:
      case RRType.PTR: {
        noMore(tokens, 1, typeToString(type));
        if (!t[0]) throw new PresentationError('target name missing');
        const kind = type === RRType.NS ? 'NS' : type === RRType.CNAME ? 'CNAME' : type === RRType.DNAME ? 'DNAME' : 'PTR';
        return { kind, target: resolveName(t[0], ctx) };
      }
      case RRType.MX:
        noMore(tokens, 2, 'MX');
        if (!t[1]) throw new PresentationError('MX exchange missing');
        return { kind: 'MX', preference: num(t[0], 0xffff, 'MX preference'), exchange: resolveName(t[1], ctx) };
      case RRType.TXT:
        if (tokens.length === 0) throw new PresentationError('TXT needs at least one string');
        return { kind: 'TXT', strings: t.map(stringBytes) };
      case RRType.SOA: {
        noMore(tokens, 7, 'SOA');
        if (!t[0] || !t[1]) throw new PresentationError('SOA names missing');
        const ttlish = (s: string | undefined, what: string) => {
          const v = s === undefined ? null : parseTtl(s);
          if (v === null) throw new PresentationError(`SOA ${what}: bad value ${s ?? ''}`);
          return v;
        };
        return {
          kind: 'SOA',
          mname: resolveName(t[0], ctx),
          rname: resolveName(t[1], ctx),
          serial: num(t[2], 0xffffffff, 'SOA serial'),
          refresh: ttlish(t[3], 'refresh'),
          retry: ttlish(t[4], 'retry'),
          expire: ttlish(t[5], 'expire'),
          minimum: ttlish(t[6], 'minimum'),
        };
      }
      case RRType.DS:
      case RRType.CDS:
        // RFC 4034 §5.3: digest hex may contain whitespace
        return {
          kind: 'DS',
          keyTag: num(t[0], 0xffff, 'DS key tag'),
          algorithm: num(t[1], 255, 'DS algorithm'),
          digestType: num(t[2], 255, 'DS digest type'),
          digest: hexField(t.slice(3), 'DS digest'),
        };
      case RRType.DNSKEY:
      case RRType.CDNSKEY:
        // RFC 4034 §2.2: base64 key may contain whitespace
        return {
          kind: 'DNSKEY',
          flags: num(t[0], 0xffff, 'DNSKEY flags'),
          protocol: num(t[1], 255, 'DNSKEY protocol'),
          algorithm: num(t[2], 255, 'DNSKEY algorithm'),
          publicKey: base64Field(t.slice(3), 'DNSKEY public key'),
        };
      case RRType.RRSIG: {
        // RFC 4034 §3.2
        const covered = t[0] === undefined ? null : typeFromString(t[0]);
        if (covered === null) throw new PresentationError(`RRSIG: bad type covered ${t[0] ?? ''}`);
        const exp = t[4] === undefined ? null : parseRrsigTime(t[4]);
        const inc = t[5] === undefined ? null : parseRrsigTime(t[5]);
        if (exp === null || inc === null) throw new PresentationError('RRSIG: bad time');
        if (!t[7]) throw new PresentationError('RRSIG: signer missing');
        return {
          kind: 'RRSIG',
          typeCovered: covered,
          algorithm: num(t[1], 255, 'RRSIG algorithm'),
          labels: num(t[2], 255, 'RRSIG labels'),
          originalTtl: num(t[3], 0xffffffff, 'RRSIG original TTL'),
          expiration: exp,
          inception: inc,
          keyTag: num(t[6], 0xffff, 'RRSIG key tag'),
          signerName: resolveName(t[7], ctx),
          signature: base64Field(t.slice(8), 'RRSIG signature'),
        };
      }
      case RRType.NSEC:
        if (!t[0]) throw new PresentationError('NSEC: next name missing');
        return { kind: 'NSEC', nextName: resolveName(t[0], ctx), types: typesField(t.slice(1)) };
      case RRType.NSEC3: {
        const next = t[4] === undefined ? null : fromBase32Hex(t[4]);
        if (!next || next.length === 0 || next.length > 255) throw new PresentationError('NSEC3: bad next hashed owner');
        return {
          kind: 'NSEC3',
          hashAlgorithm: num(t[0], 255, 'NSEC3 algorithm'),
          flags: num(t[1], 255, 'NSEC3 flags'),
          iterations: num(t[2], 0xffff, 'NSEC3 iterations'),
          salt: saltField(t[3]),
          nextHashed: next,
          types: typesField(t.slice(5)),
        };
      }
      case RRType.NSEC3PARAM:
        noMore(tokens, 4, 'NSEC3PARAM');
        return {
          kind: 'NSEC3PARAM',
          hashAlgorithm: num(t[0], 255, 'NSEC3PARAM algorithm'),
          flags: num(t[1], 255, 'NSEC3PARAM flags'),
          iterations: num(t[2], 0xffff, 'NSEC3PARAM iterations'),
          salt: saltField(t[3]),
        };
      case RRType.TLSA:
        // RFC 6698 §2.2: association data hex may contain whitespace
        return {
          kind: 'TLSA',
          usage: num(t[0], 255, 'TLSA usage'),
          selector: num(t[1], 255, 'TLSA selector'),
          matchingType: num(t[2], 255, 'TLSA matching type'),
          data: hexField(t.slice(3), 'TLSA data', true),
        };
      default:
        throw new PresentationError(`${typeToString(type)} RDATA only in the generic form "\\# len hex" (RFC 3597 §5)`);
    }
  })();
  let rdata: Uint8Array;
  try {
    rdata = encodeRData(data);
  } catch (e) {
    throw new PresentationError((e as Error).message);
  }
  // Normalise through the wire parser so `data` equals what parseMessage would give.
  try {
    return parseRData(type, rdata, 0, rdata.length);
  } catch (e) {
    throw new PresentationError((e as Error).message);
  }
}

export interface ParseLineOptions {
  /** TTL when the line has none (default 0). */
  defaultTtl?: number;
  /** Origin for relative names and "@" (default the root). */
  origin?: Name;
  /** Owner when the line starts with whitespace (RFC 1035 §5.1: the previous owner). */
  previousOwner?: Name;
}

/**
 * Parse one zone-file RR line: `[owner] [ttl] [class] TYPE RDATA` (TTL and class in either order,
 * RFC 1035 §5.1), comments after ';'. Parentheses must be on this line (parseZoneText joins lines).
 * Throws PresentationError on bad input.
 */
export function parseRRLine(line: string, defaultTtl?: number, opts: ParseLineOptions = {}): RR {
  const ctx: ParseContext = { origin: opts.origin ?? '.' };
  const tokens = tokenize(line);
  if (tokens.length === 0) throw new PresentationError('empty line');
  let i = 0;
  let owner: Name;
  if (/^[ \t]/.test(line)) {
    if (opts.previousOwner === undefined) throw new PresentationError('line starts with blank but there is no previous owner');
    owner = opts.previousOwner;
  } else {
    owner = resolveName(tokens[0].text, ctx);
    i = 1;
  }
  let ttl: number | null = null;
  let klass: number | null = null;
  for (let k = 0; k < 2 && i < tokens.length; k++) {
    const tx = tokens[i].text;
    if (ttl === null && parseTtl(tx) !== null) {
      ttl = parseTtl(tx);
      i++;
    } else if (klass === null && classFromString(tx) !== null) {
      klass = classFromString(tx);
      i++;
    }
  }
  if (i >= tokens.length) throw new PresentationError('record type missing');
  const type = typeFromString(tokens[i].text);
  if (type === null) throw new PresentationError(`unknown record type ${tokens[i].text}`);
  if (type === RRType.OPT) throw new PresentationError('OPT is not a zone-file record');
  const { data, rdata } = parseRDataText(type, tokens.slice(i + 1), ctx);
  return { name: owner, type, class: klass ?? 1, ttl: ttl ?? opts.defaultTtl ?? defaultTtl ?? 0, rdata, data };
}

export interface ZoneParse {
  records: RR[];
  /** 1-based line number where each record starts (same index as `records`). */
  lines: number[];
  errors: { line: number; message: string }[];
}

/**
 * Parse zone text: RR lines, `$ORIGIN` and `$TTL` directives (RFC 1035 §5.1, RFC 2308 §4),
 * comments, parentheses spanning lines, blank owners repeating the previous one. Errors are
 * collected per line; parsing continues with the next line. Never throws.
 */
export function parseZoneText(text: string, opts: { origin?: Name; defaultTtl?: number } = {}): ZoneParse {
  const out: ZoneParse = { records: [], lines: [], errors: [] };
  let origin: Name = opts.origin ?? '.';
  let defaultTtl = opts.defaultTtl;
  let lastTtl: number | undefined;
  let previousOwner: Name | undefined;
  const physical = text.split(/\r?\n/);
  for (let n = 0; n < physical.length; n++) {
    const startLine = n + 1;
    let logical = physical[n];
    // Join lines while parentheses are open (outside quotes and comments).
    let depth = parenDelta(logical);
    while (depth > 0 && n + 1 < physical.length) {
      n++;
      logical += '\n' + physical[n];
      depth += parenDelta(physical[n]);
    }
    try {
      if (depth !== 0) throw new PresentationError('unbalanced parentheses');
      const tokens = tokenize(logical);
      if (tokens.length === 0) continue;
      const head = tokens[0].text.toUpperCase();
      if (!/^[ \t]/.test(logical) && head === '$ORIGIN') {
        if (tokens.length !== 2) throw new PresentationError('$ORIGIN needs one name');
        origin = resolveName(tokens[1].text, { origin });
        continue;
      }
      if (!/^[ \t]/.test(logical) && head === '$TTL') {
        const v = tokens.length === 2 ? parseTtl(tokens[1].text) : null;
        if (v === null) throw new PresentationError('$TTL needs one TTL value');
        defaultTtl = v;
        continue;
      }
      if (!/^[ \t]/.test(logical) && head.startsWith('$')) throw new PresentationError(`unsupported directive ${tokens[0].text}`);
      const rr = parseRRLine(logical, undefined, { origin, previousOwner, defaultTtl: defaultTtl ?? lastTtl });
      previousOwner = rr.name;
      lastTtl = rr.ttl;
      out.records.push(rr);
      out.lines.push(startLine);
    } catch (e) {
      if (!(e instanceof PresentationError)) throw e;
      out.errors.push({ line: startLine, message: e.message });
    }
  }
  return out;
}

/** Net parenthesis depth change of one physical line, ignoring quoted text, escapes and comments. */
function parenDelta(line: string): number {
  let d = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ';') break;
    else if (!quoted && c === '(') d++;
    else if (!quoted && c === ')') d--;
  }
  return d;
}
