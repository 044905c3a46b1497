/** Lexing presentation (zone-file) text (RFC 1035 §5.1): tokens, character-strings, TTLs. */

// ---------------------------------------------------------------------------------------------
// Parsing presentation text.

/** Malformed presentation text; `message` says what. */
export class PresentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresentationError';
  }
}

export interface Token {
  text: string;
  quoted: boolean;
}

/**
 * Split one logical line (parentheses already joined) into tokens: whitespace separated,
 * '"' quoted strings kept whole, ';' starts a comment, '\' escapes the next character (kept in
 * the token text so names and strings can interpret it).
 */
export function tokenize(line: string): Token[] {
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
export function stringBytes(text: string): Uint8Array {
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
