/**
 * Chrome's native-messaging framing: every message is a 32-bit unsigned length in the machine's
 * native byte order, followed by that many bytes of UTF-8 JSON. Pure (no Node API): the byte
 * order is a parameter, the host passes os.endianness().
 */

export type ByteOrder = 'LE' | 'BE';

export type FrameEvent =
  | { kind: 'message'; value: unknown }
  /** One frame that is not UTF-8 JSON: reported, the stream goes on with the next frame. */
  | { kind: 'bad-json'; reason: string }
  /** A length over the limit: the stream cannot be re-synchronised, reading stops for good. */
  | { kind: 'too-long'; length: number; limit: number };

export class FrameTooLongError extends Error {
  constructor(readonly length: number, readonly limit: number) {
    super(`message of ${length} bytes exceeds the ${limit}-byte limit`);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** One frame for `value`; throws FrameTooLongError when its JSON is longer than `limit` bytes. */
export function encodeFrame(value: unknown, limit: number, order: ByteOrder): Uint8Array {
  const body = encoder.encode(JSON.stringify(value));
  if (body.length > limit) throw new FrameTooLongError(body.length, limit);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, order === 'LE');
  out.set(body, 4);
  return out;
}

/**
 * Incremental reader: feed it chunks as they arrive (a frame may be split across reads, and one
 * read may hold several frames); it returns the events of the frames completed by each chunk.
 */
export class FrameReader {
  private buffer = new Uint8Array(0);
  private failed = false;

  constructor(
    private readonly limit: number,
    private readonly order: ByteOrder,
  ) {}

  /** True once a length over the limit was seen: nothing more is read. */
  get broken(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    if (this.failed) return [];
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const events: FrameEvent[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const length = new DataView(joined.buffer, joined.byteOffset + at, 4).getUint32(0, this.order === 'LE');
      if (length > this.limit) {
        this.failed = true;
        this.buffer = new Uint8Array(0);
        events.push({ kind: 'too-long', length, limit: this.limit });
        return events;
      }
      if (joined.length - at - 4 < length) break;
      const body = joined.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      events.push(parseBody(body));
    }
    this.buffer = joined.slice(at);
    return events;
  }

  /** Bytes of an unfinished frame (end of input in the middle of a frame is an error for the caller). */
  get pending(): number {
    return this.buffer.length;
  }
}

function parseBody(body: Uint8Array): FrameEvent {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { kind: 'bad-json', reason: 'not UTF-8' };
  }
  try {
    return { kind: 'message', value: JSON.parse(text) as unknown };
  } catch (e) {
    return { kind: 'bad-json', reason: e instanceof Error ? e.message : String(e) };
  }
}
