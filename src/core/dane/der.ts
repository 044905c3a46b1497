/**
 * A small reader of DER (ITU-T X.690 §8, §10) for the X.509 structures DANE needs (./x509.ts).
 *
 * Accepted: single-octet identifiers (every tag X.509 uses; X.690 §8.1.2.2) and definite lengths
 * (§8.1.3.3–5), also in long form. Refused: the high-tag-number form (§8.1.2.4), the indefinite
 * length (§8.1.3.6, not DER: §10.1) and lengths beyond the enclosing element. Non-minimal length
 * octets (BER) are read as written: what DANE matches and signatures cover is the bytes exactly as
 * presented (RFC 6698 §2.1.2, RFC 5280 §4.1.1.3), so tolerating them cannot change a result.
 *
 * Malformed input throws `DerError`; ./x509.ts catches it at its one entry point and returns a
 * typed failure, so nothing outside this module and x509.ts ever sees the exception.
 */

export class DerError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'DerError';
  }
}

/** Identifier octets X.509 uses (X.690 §8.1.2: class, constructed bit, tag number). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  TeletexString: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag number `n`, constructed (EXPLICIT or a constructed IMPLICIT type) or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** One element: identifier octet, and where its header and contents lie in the reader's bytes. */
export interface Tlv {
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first contents octet. */
  contentStart: number;
  /** Offset just past the contents. */
  end: number;
}

/** Lengths above this cannot occur inside the inputs we read (certificates are bounded far below). */
const MAX_LENGTH_OCTETS = 4;

/** Reads consecutive elements between `pos` and `limit` of `bytes`. */
export class DerReader {
  private pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    private readonly limit = bytes.length,
  ) {
    this.pos = start;
  }

  /** A reader over the contents of `t` (an element read from the same bytes). */
  static inside(bytes: Uint8Array, t: Tlv): DerReader {
    return new DerReader(bytes, t.contentStart, t.end);
  }

  get atEnd(): boolean {
    return this.pos >= this.limit;
  }

  /** The identifier octet of the next element, or -1 at the end. */
  peekTag(): number {
    return this.atEnd ? -1 : this.bytes[this.pos]!;
  }

  /** The next element, whatever its tag. */
  next(): Tlv {
    const b = this.bytes;
    const start = this.pos;
    if (start >= this.limit) throw new DerError('element expected, end of data found');
    const tag = b[start]!;
    if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number form (X.690 §8.1.2.4) is not used by X.509');
    let p = start + 1;
    if (p >= this.limit) throw new DerError('length octets missing');
    const first = b[p++]!;
    let length: number;
    if (first < 0x80) length = first;
    else if (first === 0x80) throw new DerError('indefinite length (X.690 §8.1.3.6) is not DER');
    else {
      const n = first & 0x7f;
      if (n > MAX_LENGTH_OCTETS) throw new DerError(`length in ${n} octets`);
      if (p + n > this.limit) throw new DerError('length octets truncated');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + b[p++]!;
    }
    const end = p + length;
    if (end > this.limit) throw new DerError('element longer than its container');
    this.pos = end;
    return { tag, start, contentStart: p, end };
  }

  /** The next element, which must carry `tag`. */
  expect(tag: number, what: string): Tlv {
    const t = this.next();
    if (t.tag !== tag) throw new DerError(`${what}: tag 0x${tag.toString(16)} expected, 0x${t.tag.toString(16)} found`);
    return t;
  }

  /** The next element if it carries `tag`, else nothing is consumed. */
  optional(tag: number): Tlv | null {
    return this.peekTag() === tag ? this.next() : null;
  }

  /** Nothing may follow (a SEQUENCE's known components end here). */
  end(what: string): void {
    if (!this.atEnd) throw new DerError(`${what}: unexpected data after the last component`);
  }
}

/** The contents of `t`. */
export function contents(bytes: Uint8Array, t: Tlv): Uint8Array {
  return bytes.subarray(t.contentStart, t.end);
}

/** The whole encoding of `t` (identifier, length and contents). */
export function encoding(bytes: Uint8Array, t: Tlv): Uint8Array {
  return bytes.subarray(t.start, t.end);
}

/** OBJECT IDENTIFIER contents in dotted form (X.690 §8.19). */
export function readOid(c: Uint8Array): string {
  if (c.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (v === 0 && b === 0x80) throw new DerError('OBJECT IDENTIFIER arc with a leading 0x80 (X.690 §8.19.2)');
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        // §8.19.4: the first subidentifier is 40 × first arc + second arc.
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - 40 * first);
      } else arcs.push(v);
      v = 0;
    }
  }
  if ((c[c.length - 1]! & 0x80) !== 0) throw new DerError('OBJECT IDENTIFIER ends inside an arc');
  return arcs.join('.');
}

/** BIT STRING contents without unused bits (X.690 §8.6.2): keys and signatures are whole octets. */
export function readOctetAlignedBits(c: Uint8Array, what: string): Uint8Array {
  if (c.length === 0 || c[0] !== 0) throw new DerError(`${what}: BIT STRING with unused bits`);
  return c.subarray(1);
}

/** A non-negative INTEGER small enough for a number (X.690 §8.3); larger or negative values throw. */
export function readSmallUint(c: Uint8Array, what: string): number {
  if (c.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if ((c[0]! & 0x80) !== 0) throw new DerError(`${what}: negative INTEGER`);
  if (c.length > 6) throw new DerError(`${what}: INTEGER too large`);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** The magnitude of a non-negative INTEGER (X.690 §8.3), leading zero octets removed. */
export function readUnsignedBytes(c: Uint8Array, what: string): Uint8Array {
  if (c.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if ((c[0]! & 0x80) !== 0) throw new DerError(`${what}: negative INTEGER`);
  let i = 0;
  while (i < c.length - 1 && c[i] === 0) i++;
  return c.subarray(i);
}

/** BOOLEAN contents (X.690 §8.2: one octet, any non-zero value is TRUE; DER writes 0xFF). */
export function readBoolean(c: Uint8Array, what: string): boolean {
  if (c.length !== 1) throw new DerError(`${what}: BOOLEAN of ${c.length} octets`);
  return c[0] !== 0;
}
