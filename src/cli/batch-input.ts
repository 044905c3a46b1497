/**
 * Input side of `check --batch`, pure: the lines of a stream (bounded length, UTF-8 across chunk
 * boundaries), what a line means (a name, a comment or blank line, a bad line), and which inputs a
 * resume file shows as done.
 */

export interface RawLine {
  /** The line without its line break (cut at `maxLength` when too long). */
  text: string;
  /** Longer than `maxLength`: the rest of it was skipped without being kept. */
  tooLong: boolean;
  /** Ended by a line break; false only for a last line without one (e.g. a truncated file). */
  complete: boolean;
}

/**
 * The lines of a byte or text stream, one at a time: nothing but the current line is held, and a
 * line longer than `maxLength` is not buffered beyond that length.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array | string>, maxLength: number): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8');
  let buf = '';
  let tooLong = false;
  const take = function* (text: string): Generator<RawLine> {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = nl < 0 ? text.slice(start) : text.slice(start, nl);
      if (!tooLong) {
        buf += piece;
        if (buf.length > maxLength) {
          buf = buf.slice(0, maxLength);
          tooLong = true;
        }
      }
      if (nl < 0) return;
      yield { text: buf.replace(/\r$/, ''), tooLong, complete: true };
      buf = '';
      tooLong = false;
      start = nl + 1;
    }
  };
  for await (const chunk of chunks) yield* take(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  yield* take(decoder.decode());
  if (buf !== '' || tooLong) yield { text: buf.replace(/\r$/, ''), tooLong, complete: false };
}

export type BatchLine = { kind: 'skip' } | { kind: 'name'; input: string } | { kind: 'bad'; input: string; error: string };

/**
 * One input line: a name (the trimmed text before any `#`), nothing (blank or comment-only line),
 * or a bad line (more than one word, or too long). Whether the name is a valid domain name is
 * decided by the check's own parser (parseTarget), so a batch accepts exactly what a single check does.
 */
export function classifyLine(line: RawLine, maxLength: number): BatchLine {
  const text = line.text.replace(/^\uFEFF/, '');
  const hash = text.indexOf('#');
  const input = (hash < 0 ? text : text.slice(0, hash)).trim();
  if (line.tooLong) return { kind: 'bad', input: input.slice(0, 64) + '…', error: `line longer than ${maxLength} characters: not a domain name` };
  if (input === '') return { kind: 'skip' };
  if (/\s/.test(input)) return { kind: 'bad', input, error: `one name per line, not "${input}"` };
  return { kind: 'name', input };
}

/**
 * A line of a resume file (the JSON Lines of an earlier run): the input it was for, and whether it
 * is done — a result without `error`. Lines with an error (bad line, resolver unreachable) are
 * checked again. A line that is not a complete JSON object (a run cut off mid-write) is `null`.
 */
export function resumeEntry(line: string): { input: string; done: boolean } | null {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) return null;
  const o = j as { input?: unknown; error?: unknown };
  if (typeof o.input !== 'string') return null;
  return { input: o.input, done: o.error === null };
}
