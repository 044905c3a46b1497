/**
 * `check --batch … --svg <dir>`: the file name of each name's chain picture inside <dir>. Pure.
 *
 * The names come from the batch file, so they are hostile input: a name may carry any octet as a
 * \DDD escape (RFC 1035 §5.1), '/' and '\' included, and be up to 255 octets long (×4 escaped). The
 * mapping keeps every file inside the directory and never lets two different names share a file:
 *
 * - the canonical name (parseName: escapes normalised) without its final dot, ASCII A–Z folded to
 *   a–z (DNS names compare case-insensitively, RFC 4343 §3; a case-insensitive file system must not
 *   merge two different names either). `WWW.Example.test.` and `www.example.test` are the same name,
 *   so the same file (the picture is the same);
 * - a–z, 0–9, '-' and '.' are kept; every other character (and '_', the escape character itself) is
 *   written `_xx` (hex of its UTF-16 code unit, ≤ ff in a canonical name): no '/', '\', ':', space or
 *   control character can reach the file system, and the mapping stays one-to-one;
 * - a leading '-' (read as an option by many tools) and the first letter of a Windows device name
 *   (con, nul, com1, …) are escaped the same way; the root is `_2e`;
 * - a result longer than SVG_NAME_LIMITS.maxStem keeps its start and gets `__` plus 128 bits of
 *   SHA-256 of the canonical name: `__` never occurs in an untruncated result ('_' is always followed
 *   by two hex digits), so a truncated name cannot equal an untruncated one.
 *
 * Every result ends in `.svg`, so it is never `.` or `..`.
 */
import { createHash } from 'node:crypto';

export const SVG_NAME_LIMITS = {
  /**
   * Characters before `.svg`. File systems allow 255 bytes per name (ext4, APFS, NTFS); a name in
   * escapes can reach ~1000 characters and ×3 encoded: cut well below, leaving room for the hash
   * and for tools that append a suffix (`name.svg~`, `.part`).
   */
  maxStem: 180,
  /** Hex characters of SHA-256 kept after a cut: 128 bits, no collision among any batch's names. */
  hashHex: 32,
} as const;

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/;

const esc = (c: string) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** The file name (no directory) of the picture of `name`, a canonical name from parseName. */
export function svgFileName(name: string): string {
  const bare = name === '.' ? '' : name.replace(/\.$/, '');
  const lower = bare.replace(/[A-Z]/g, (c) => c.toLowerCase());
  let stem = lower === '' ? esc('.') : lower.replace(/[^a-z0-9.-]/g, esc);
  if (stem.startsWith('-') || WINDOWS_DEVICE.test(stem)) stem = esc(stem[0]) + stem.slice(1);
  if (stem.length > SVG_NAME_LIMITS.maxStem) {
    const hash = createHash('sha256').update(lower, 'utf8').digest('hex').slice(0, SVG_NAME_LIMITS.hashHex);
    // Never cut inside an `_xx` escape (the kept start stays readable).
    let head = stem.slice(0, SVG_NAME_LIMITS.maxStem - 2 - SVG_NAME_LIMITS.hashHex);
    const open = head.lastIndexOf('_');
    if (open >= 0 && open > head.length - 3) head = head.slice(0, open);
    stem = `${head}__${hash}`;
  }
  return `${stem}.svg`;
}
