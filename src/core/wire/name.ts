/**
 * Domain names: presentation text <-> wire labels, compression-aware reading, canonical order.
 *
 * A `Name` (see types.ts) is absolute presentation text with a trailing dot, root ".".
 * The mapping is one to one: label octets that are letters, digits, '-', '_' or '*' appear as
 * themselves, '.' and '\' as "\." and "\\", every other octet as "\DDD" (RFC 1035 §5.1).
 * Case is preserved; comparisons are ASCII case-insensitive (RFC 4343 §3).
 */
import { WireError, type Name } from './types';

/** RFC 1035 §2.3.4: labels are 63 octets or less. */
export const MAX_LABEL_OCTETS = 63;
/** RFC 1035 §2.3.4: names are 255 octets or less in wire form (length octets included). */
export const MAX_NAME_OCTETS = 255;

const ROOT: Name = '.';
const encoder = new TextEncoder();

function isPlainOctet(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || // '-'
    b === 0x5f || // '_'
    b === 0x2a // '*'
  );
}

/** One wire label as `Name` text (escaped per the module comment). */
export function labelToText(label: Uint8Array): string {
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const b = label[i];
    if (isPlainOctet(b)) out += String.fromCharCode(b);
    else if (b === 0x2e) out += '\\.';
    else if (b === 0x5c) out += '\\\\';
    else out += '\\' + String(b).padStart(3, '0'); // RFC 1035 §5.1 \DDD
  }
  return out;
}

/**
 * Parse presentation text into wire labels (RFC 1035 §5.1: "\X" is X literally, "\DDD" a decimal
 * octet). Non-ASCII characters contribute their UTF-8 octets. Returns null for empty labels,
 * bad escapes, labels over 63 octets or names over 255 octets. A missing trailing dot is accepted
 * (the name is taken as absolute).
 */
function textToLabels(text: string): Uint8Array[] | null {
  if (text === '' || text === '.') return [];
  const plain = plainTextToLabels(text);
  if (plain !== undefined) return plain;
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  let wire = 1; // the root label's length octet
  let i = 0;
  let endedWithDot = false;
  const finishLabel = (): boolean => {
    if (cur.length === 0 || cur.length > MAX_LABEL_OCTETS) return false; // RFC 1035 §2.3.4
    wire += 1 + cur.length;
    if (wire > MAX_NAME_OCTETS) return false; // RFC 1035 §2.3.4
    labels.push(Uint8Array.from(cur));
    cur = [];
    return true;
  };
  while (i < text.length) {
    endedWithDot = false;
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      // '\'
      if (i + 1 >= text.length) return null;
      const d1 = text.charCodeAt(i + 1);
      if (d1 >= 0x30 && d1 <= 0x39) {
        const digits = text.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(digits)) return null;
        const v = Number(digits);
        if (v > 255) return null;
        cur.push(v);
        i += 4;
      } else {
        const cp = text.codePointAt(i + 1) ?? 0;
        const ch = String.fromCodePoint(cp);
        for (const b of encoder.encode(ch)) cur.push(b);
        i += 1 + ch.length;
      }
    } else if (c === 0x2e) {
      // '.'
      if (!finishLabel()) return null;
      i += 1;
      endedWithDot = true;
    } else if (c < 0x80) {
      cur.push(c);
      i += 1;
    } else {
      const cp = text.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      for (const b of encoder.encode(ch)) cur.push(b);
      i += ch.length;
    }
    if (cur.length > MAX_LABEL_OCTETS) return null;
  }
  if (!endedWithDot && !finishLabel()) return null;
  return labels;
}

/**
 * textToLabels for text without escapes or non-ASCII characters (nearly every name): each
 * character is its octet, so labels are cut at the dots without per-octet lists. The same limits
 * (RFC 1035 §2.3.4) and the same results; undefined when the text needs the general parser.
 */
function plainTextToLabels(text: string): Uint8Array[] | null | undefined {
  const labels: Uint8Array[] = [];
  const n = text.length;
  let start = 0;
  let wire = 1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x2e;
    if (c === 0x5c || c >= 0x80) return undefined;
    if (c !== 0x2e) continue;
    if (i === n && start === n) break; // the text ended with its dot
    const len = i - start;
    if (len === 0 || len > MAX_LABEL_OCTETS) return null;
    wire += 1 + len;
    if (wire > MAX_NAME_OCTETS) return null;
    const label = new Uint8Array(len);
    for (let k = 0; k < len; k++) label[k] = text.charCodeAt(start + k);
    labels.push(label);
    start = i + 1;
  }
  return labels;
}

/** Wire labels to a `Name`. Throws RangeError when a label or the name is too long (programming error). */
export function labelsToName(labels: Uint8Array[]): Name {
  if (labels.length === 0) return ROOT;
  let wire = 1;
  let out = '';
  for (const l of labels) {
    if (l.length === 0 || l.length > MAX_LABEL_OCTETS) throw new RangeError('label length out of range');
    wire += 1 + l.length;
    out += labelToText(l) + '.';
  }
  if (wire > MAX_NAME_OCTETS) throw new RangeError('name longer than 255 octets');
  return out;
}

/**
 * Normalise presentation text to a `Name`: escapes resolved and re-escaped canonically, trailing
 * dot added, case preserved. "" and "." give the root. Null if invalid.
 */
export function parseName(text: string): Name | null {
  const labels = textToLabels(text);
  return labels === null ? null : labelsToName(labels);
}

/** Wire labels of a `Name` (root → []). Throws TypeError if `name` is not valid presentation text. */
export function nameToLabels(name: Name): Uint8Array[] {
  const labels = textToLabels(name);
  if (labels === null) throw new TypeError(`invalid name: ${JSON.stringify(name)}`);
  return labels;
}

function lowerLabel(l: Uint8Array): Uint8Array {
  const out = new Uint8Array(l.length);
  for (let i = 0; i < l.length; i++) {
    const b = l[i];
    out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b; // only ASCII A-Z (RFC 4034 §6.2, RFC 4343 §3)
  }
  return out;
}

/** Uncompressed wire form; `lowercase` maps ASCII A–Z to a–z only (RFC 4034 §6.2). */
export function nameToWire(name: Name, lowercase = false): Uint8Array {
  const labels = nameToLabels(name);
  let len = 1;
  for (const l of labels) len += 1 + l.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const l of labels) {
    out[o++] = l.length;
    out.set(lowercase ? lowerLabel(l) : l, o);
    o += l.length;
  }
  out[o] = 0;
  return out;
}

export interface ReadNameOptions {
  /** Follow compression pointers (RFC 1035 §4.1.4). Default true. */
  compression?: boolean;
  /** The octets of the name read in place must lie before `end` (e.g. the end of RDATA). Default buf.length. */
  end?: number;
}

/**
 * Read a possibly compressed name at `offset`. `next` is the offset after the name in place
 * (after the first pointer, if any). Throws WireError on overrun, a pointer that does not point
 * strictly before the run of labels it ends (rules out loops and forward pointers),
 * unknown label types (RFC 6891 §5), or a name over 255 octets (RFC 1035 §2.3.4).
 */
export function readName(buf: Uint8Array, offset: number, opts: ReadNameOptions = {}): { name: Name; next: number } {
  const compression = opts.compression ?? true;
  let limit = Math.min(opts.end ?? buf.length, buf.length);
  const labels: Uint8Array[] = [];
  let pos = offset;
  let next = -1;
  let runStart = offset;
  let wire = 1;
  for (;;) {
    if (pos >= limit) throw new WireError('name overruns its bounds', pos);
    const len = buf[pos];
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      // RFC 1035 §4.1.4 compression pointer
      if (!compression) throw new WireError('compression pointer where names must not be compressed', pos);
      if (pos + 1 >= limit) throw new WireError('truncated compression pointer', pos);
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      if (next < 0) next = pos + 2;
      // Only strictly backward jumps, each before the previous run start: guarantees termination.
      if (target >= runStart) throw new WireError('forward or looping compression pointer', pos);
      runStart = target;
      pos = target;
      limit = buf.length;
      continue;
    }
    if (kind !== 0) throw new WireError('unsupported label type', pos); // RFC 6891 §5, RFC 2671 extended labels
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if (pos + 1 + len > limit) throw new WireError('label overruns its bounds', pos);
    wire += 1 + len;
    if (wire > MAX_NAME_OCTETS) throw new WireError('name longer than 255 octets', pos);
    labels.push(buf.slice(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labelsToName(labels), next };
}

const UPPER = /[A-Z]/;
const UPPER_ALL = /[A-Z]/g;

/** ASCII-lowercased `Name` (RFC 4034 §6.2). Escapes are unaffected: they contain no letters. */
export function canonicalName(name: Name): Name {
  return UPPER.test(name) ? name.replace(UPPER_ALL, (c) => c.toLowerCase()) : name;
}

/**
 * One question (name, type) as a key, `name./type` with the name in canonical case (RFC 4034
 * §6.2): how the fetcher, the DoH client, the validator's answer cache and the kept answers (and
 * their snapshots) name a question.
 */
export function questionKey(name: Name, type: number): string {
  return `${canonicalName(name)}/${type}`;
}

/** Case-insensitive equality (RFC 4343 §3). Both arguments must be normalised `Name`s. */
export function namesEqual(a: Name, b: Name): boolean {
  return a === b || canonicalName(a) === canonicalName(b);
}

function compareLowerLabels(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a[i];
    let y = b[i];
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (y >= 0x41 && y <= 0x5a) y |= 0x20;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/**
 * Canonical DNS name order (RFC 4034 §6.1): compare labels from the rightmost, each as a
 * lowercased octet string (absent octet sorts first); a name sorts before its subdomains.
 */
export function compareNames(a: Name, b: Name): -1 | 0 | 1 {
  const la = nameToLabels(a);
  const lb = nameToLabels(b);
  let i = la.length - 1;
  let j = lb.length - 1;
  for (; i >= 0 && j >= 0; i--, j--) {
    const d = compareLowerLabels(la[i], lb[j]);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (i < 0 && j < 0) return 0;
  return i < 0 ? -1 : 1;
}

/** True when `name` is `ancestor` or below it (case-insensitive, label-wise). */
export function isSubdomain(name: Name, ancestor: Name): boolean {
  const ln = nameToLabels(name);
  const la = nameToLabels(ancestor);
  if (la.length > ln.length) return false;
  const off = ln.length - la.length;
  for (let i = 0; i < la.length; i++) if (compareLowerLabels(ln[off + i], la[i]) !== 0) return false;
  return true;
}

/** The name with its leftmost label removed; null for the root. */
export function parentName(name: Name): Name | null {
  const l = nameToLabels(name);
  return l.length === 0 ? null : labelsToName(l.slice(1));
}

/** Number of labels, root = 0. */
export function labelCount(name: Name): number {
  return nameToLabels(name).length;
}

/** RRSIG Labels field value for an owner name: labels not counting the root or a leading "*" (RFC 4034 §3.1.3). */
export function rrsigLabelCount(name: Name): number {
  const l = nameToLabels(name);
  return l.length > 0 && l[0].length === 1 && l[0][0] === 0x2a ? l.length - 1 : l.length;
}

/** `labelText` (one or more labels of presentation text, relative) prepended to `parent`. Null if invalid or too long. */
export function joinName(labelText: string, parent: Name): Name | null {
  const rel = textToLabels(labelText);
  if (rel === null || rel.length === 0) return null;
  try {
    return labelsToName([...rel, ...nameToLabels(parent)]);
  } catch {
    return null; // over 255 octets
  }
}

/** All ancestors from the root down to `name` itself: [".", "com.", "example.com."]. */
export function ancestors(name: Name): Name[] {
  const l = nameToLabels(name);
  const out: Name[] = [];
  for (let n = 0; n <= l.length; n++) out.push(labelsToName(l.slice(l.length - n)));
  return out;
}

/** Longest common ancestor of two names (case-insensitive; spelled as in `a`). */
export function commonAncestor(a: Name, b: Name): Name {
  const la = nameToLabels(a);
  const lb = nameToLabels(b);
  let n = 0;
  while (n < la.length && n < lb.length && compareLowerLabels(la[la.length - 1 - n], lb[lb.length - 1 - n]) === 0) n++;
  return labelsToName(la.slice(la.length - n));
}

/** "*." + name (RFC 4592). Throws RangeError if the result would exceed 255 octets. */
export function wildcardOf(name: Name): Name {
  return labelsToName([Uint8Array.of(0x2a), ...nameToLabels(name)]);
}

/** The rightmost `n` labels of `name` (whole name if n ≥ its label count, root if n ≤ 0). */
export function truncateToLabels(name: Name, n: number): Name {
  const l = nameToLabels(name);
  if (n >= l.length) return labelsToName(l);
  if (n <= 0) return ROOT;
  return labelsToName(l.slice(l.length - n));
}
