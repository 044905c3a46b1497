/** Zone text (RFC 1035 §5.1, RFC 2308 §4): RR lines, $ORIGIN/$TTL, parentheses, comments. */
import { RRType, type Name, type RR } from './types';
import { PresentationError, parseTtl, tokenize } from './lexer';
import { classFromString, typeFromString } from './mnemonics';
import { parseRDataText, resolveName, type ParseContext } from './rdata-text';

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

