/**
 * A small deterministic ZIP writer (and a reader for our own archives), for `npm run package`.
 *
 * Same input files → same bytes: entries sorted by name (UTF-16 code units of the '/'-separated
 * relative path), one fixed DOS timestamp (1980-01-01 00:00:00, the earliest a ZIP can say), fixed
 * Unix permissions (regular file 0644), no directory entries, no extra fields (no extended
 * timestamps, uid/gid), no archive comment, paths relative to the archive root. Deflate is zlib's
 * level 9 from Node's bundled zlib; an entry is stored instead when deflate would not make it
 * smaller. No ZIP64: an archive over 4 GiB or 65,535 entries is refused (ours are a few hundred KB).
 *
 * Format: PKWARE APPNOTE.TXT 6.3.10 §4.3 (local header, central directory, end of central directory).
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, '/'-separated, relative (no leading '/', no '..'). */
  name: string;
  data: Uint8Array;
}

/** DOS date 1980-01-01 ((1980-1980) << 9 | 1 << 5 | 1) and time 00:00:00. */
const DOS_DATE = 0x0021;
const DOS_TIME = 0x0000;
/** "Version made by": Unix (3) in the high byte, spec 2.0 in the low byte (APPNOTE §4.4.2). */
const MADE_BY_UNIX = (3 << 8) | 20;
const VERSION_NEEDED = 20;
/** General purpose flag bit 11: names are UTF-8 (APPNOTE §4.4.4, Appendix D). */
const FLAG_UTF8 = 0x0800;
/** External attributes: st_mode of a regular file with 0644 in the high 16 bits. */
const FILE_MODE_0644 = (0o100644 << 16) >>> 0;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;

/** Checks an archive path: relative, '/'-separated, no empty, '.' or '..' segment. */
export function checkEntryName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name)) {
    throw new Error(`zip: bad entry name "${name}" (relative '/'-separated paths only)`);
  }
  for (const part of name.split('/')) {
    if (part === '' || part === '.' || part === '..') throw new Error(`zip: bad entry name "${name}"`);
  }
}

/** The archive bytes for these entries (sorted by name here; duplicate names are an error). */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length > MAX_ENTRIES) throw new Error(`zip: ${sorted.length} entries; no ZIP64 here`);
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < sorted.length; i++) {
    const { name, data } = sorted[i]!;
    checkEntryName(name);
    if (i > 0 && sorted[i - 1]!.name === name) throw new Error(`zip: duplicate entry "${name}"`);
    const nameBytes = Buffer.from(name, 'utf8');
    const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const deflated = deflateRawSync(raw, { level: 9 });
    const method = deflated.length < raw.length ? METHOD_DEFLATE : METHOD_STORE;
    const body = method === METHOD_DEFLATE ? deflated : raw;
    const crc = crc32(raw) >>> 0;
    if (raw.length > MAX_SIZE || offset > MAX_SIZE) throw new Error('zip: archive too large; no ZIP64 here');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    chunks.push(local, nameBytes, body);

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(SIG_CENTRAL, 0);
    entry.writeUInt16LE(MADE_BY_UNIX, 4);
    entry.writeUInt16LE(VERSION_NEEDED, 6);
    entry.writeUInt16LE(FLAG_UTF8, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(raw.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt16LE(0, 30); // extra field length
    entry.writeUInt16LE(0, 32); // comment length
    entry.writeUInt16LE(0, 34); // disk number start
    entry.writeUInt16LE(0, 36); // internal attributes
    entry.writeUInt32LE(FILE_MODE_0644, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);

    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  if (offset + centralSize > MAX_SIZE) throw new Error('zip: archive too large; no ZIP64 here');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...chunks, ...central, end]);
}

export interface ReadEntry {
  name: string;
  data: Buffer;
  method: number;
  /** Unix st_mode from the external attributes (0 when not made on Unix). */
  mode: number;
  dosDate: number;
  dosTime: number;
}

/**
 * Reads a ZIP without ZIP64 or encryption (ours, and most): the entries in central-directory order,
 * each checked against its local header and its CRC-32. Throws on anything it does not understand.
 */
export function readZip(zip: Buffer): ReadEntry[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > zip.length) throw new Error('zip: no end of central directory');
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== SIG_CENTRAL) throw new Error(`zip: bad central directory entry ${i}`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const csize = zip.readUInt32LE(at + 20);
    const usize = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const madeBy = zip.readUInt16LE(at + 4);
    const external = zip.readUInt32LE(at + 38);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x0001) throw new Error(`zip: ${name} is encrypted`);
    if (zip.readUInt32LE(localAt) !== SIG_LOCAL) throw new Error(`zip: ${name}: bad local header`);
    const localName = zip.subarray(localAt + 30, localAt + 30 + zip.readUInt16LE(localAt + 26)).toString('utf8');
    if (localName !== name) throw new Error(`zip: ${name}: local header names ${localName}`);
    const start = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const body = zip.subarray(start, start + csize);
    let data: Buffer;
    if (method === METHOD_STORE) data = Buffer.from(body);
    else if (method === METHOD_DEFLATE) data = inflateRawSync(body);
    else throw new Error(`zip: ${name}: compression method ${method} not supported`);
    if (data.length !== usize) throw new Error(`zip: ${name}: ${data.length} bytes, header says ${usize}`);
    if ((crc32(data) >>> 0) !== crc) throw new Error(`zip: ${name}: CRC-32 mismatch`);
    entries.push({ name, data, method, mode: madeBy >> 8 === 3 ? external >>> 16 : 0, dosDate, dosTime });
  }
  return entries;
}
