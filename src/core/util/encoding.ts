/**
 * Byte/text encodings used by the core (RFC 4648). Pure TypeScript: no Buffer, no atob/btoa
 * (so behaviour is identical in an MV3 service worker and in Node).
 * Decoders return `null` on malformed input instead of throwing.
 */

const HEX = '0123456789abcdef';

/** Lowercase hex (RFC 4648 §8, base16). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30; // 0-9
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10; // A-F
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10; // a-f
  return -1;
}

/** Hex to bytes, case-insensitive. Null on odd length or a non-hex character (no whitespace allowed). */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(text.charCodeAt(2 * i));
    const lo = hexNibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function encode64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63] + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + (pad ? '=' : '');
  }
  return out;
}

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  return encode64(bytes, B64, true);
}

/** base64url without padding (RFC 4648 §5; RFC 8484 §4.1 "dns" parameter). */
export function toBase64Url(bytes: Uint8Array): string {
  return encode64(bytes, B64URL, false);
}

function b64Value(c: number, url: boolean): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (!url && c === 0x2b) return 62; // '+'
  if (!url && c === 0x2f) return 63; // '/'
  if (url && c === 0x2d) return 62; // '-'
  if (url && c === 0x5f) return 63; // '_'
  return -1;
}

function decode64(text: string, url: boolean): Uint8Array | null {
  let s = text;
  // Padding is optional; when present it must complete a quantum (RFC 4648 §3.2).
  if (s.endsWith('==')) s = s.slice(0, -2);
  else if (s.endsWith('=')) s = s.slice(0, -1);
  if (s.length !== text.length && text.length % 4 !== 0) return null;
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const v = b64Value(s.charCodeAt(i), url);
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding (RFC 4648 §3.5): reject.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Standard base64 (padding optional), no whitespace. Null on bad input. */
export function fromBase64(text: string): Uint8Array | null {
  return decode64(text, false);
}

/** base64url (padding optional). Null on bad input. */
export function fromBase64Url(text: string): Uint8Array | null {
  return decode64(text, true);
}

const B32HEX = '0123456789abcdefghijklmnopqrstuv';

/** base32hex, lowercase, no padding (RFC 4648 §7; NSEC3 owner labels, RFC 5155 §3.3). */
export function toBase32Hex(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = ((acc << 8) | bytes[i]) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32HEX[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += B32HEX[(acc << (5 - bits)) & 31];
  return out;
}

/** base32hex decode, case-insensitive, padding optional. Null on bad input or non-zero trailing bits. */
export function fromBase32Hex(text: string): Uint8Array | null {
  let s = text;
  while (s.endsWith('=')) s = s.slice(0, -1);
  if (s.length !== text.length && text.length % 8 !== 0) return null;
  // Valid unpadded lengths mod 8: 0, 2, 4, 5, 7 (RFC 4648 §6).
  const r = s.length % 8;
  if (r === 1 || r === 3 || r === 6) return null;
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x61 && c <= 0x76) v = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x56) v = c - 0x41 + 10;
    else return null;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** Concatenate byte arrays into a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** WebCrypto wants ArrayBuffer-backed views; copy only when the view is over something else. */
export function webCryptoBytes(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u);
}

/** Byte-wise equality (not constant time; nothing here is secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic unsigned-octet comparison; a proper prefix sorts first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
