/**
 * RDATA in presentation format, parsed to wire RDATA (RFC 1035 §5.1, RFC 3597 §5, RFC 4034
 * §2.2/§3.2/§4.2/§5.3, RFC 5155 §3.3/§4.3, RFC 6698 §2.2).
 */
import { fromBase32Hex, fromBase64, fromHex } from '../util/encoding';
import { parseName } from './name';
import { encodeRData, ipv4Bytes, ipv6Bytes, parseRData } from './rdata';
import { RRType, type Name, type RData } from './types';
import { PresentationError, parseTtl, stringBytes, type Token } from './lexer';
import { typeFromString, typeToString } from './mnemonics';

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

export interface ParseContext {
  origin: Name;
}

/** Owner or RDATA name: absolute if it ends with an unescaped '.', "@" is the origin, else relative to it. */
export function resolveName(text: string, ctx: ParseContext): Name {
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
export function parseRDataText(type: number, tokens: Token[], ctx: ParseContext): { data: RData; rdata: Uint8Array } {
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
