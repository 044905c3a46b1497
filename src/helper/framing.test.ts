import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, FrameTooLongError } from './framing';

const utf8 = (s: string) => new TextEncoder().encode(s);

function rawFrame(body: Uint8Array, order: 'LE' | 'BE' = 'LE', length = body.length): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, length, order === 'LE');
  out.set(body, 4);
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('encodeFrame', () => {
  it('writes the UTF-8 JSON length in the given byte order, then the JSON', () => {
    const le = encodeFrame({ a: 'é' }, 100, 'LE');
    expect([...le.subarray(0, 4)]).toEqual([10, 0, 0, 0]); // {"a":"é"} = 10 bytes (é is 2)
    expect(new TextDecoder().decode(le.subarray(4))).toBe('{"a":"é"}');
    const be = encodeFrame({ a: 'é' }, 100, 'BE');
    expect([...be.subarray(0, 4)]).toEqual([0, 0, 0, 10]);
  });

  it('refuses a message longer than the limit (Chrome drops a host reply over 1 MB)', () => {
    expect(() => encodeFrame({ s: 'x'.repeat(100) }, 50, 'LE')).toThrow(FrameTooLongError);
    expect(encodeFrame({ s: 'x'.repeat(42) }, 50, 'LE').length).toBe(4 + 50);
    expect(() => encodeFrame({ s: 'x'.repeat(43) }, 50, 'LE')).toThrow(/51 bytes exceeds the 50-byte limit/);
  });
});

describe('FrameReader', () => {
  it('reads back what encodeFrame wrote, in both byte orders', () => {
    for (const order of ['LE', 'BE'] as const) {
      const r = new FrameReader(1000, order);
      expect(r.push(encodeFrame({ id: 1, type: 'hello', protocol: 1 }, 1000, order))).toEqual([
        { kind: 'message', value: { id: 1, type: 'hello', protocol: 1 } },
      ]);
    }
  });

  it('assembles a frame split across reads, at every possible cut (also inside the length)', () => {
    const frame = encodeFrame({ id: 7, text: 'příliš žluťoučký' }, 1000, 'LE');
    for (let cut = 0; cut <= frame.length; cut++) {
      const r = new FrameReader(1000, 'LE');
      const first = r.push(frame.subarray(0, cut));
      const second = r.push(frame.subarray(cut));
      expect([...first, ...second]).toEqual([{ kind: 'message', value: { id: 7, text: 'příliš žluťoučký' } }]);
      expect(r.pending).toBe(0);
    }
  });

  it('splits a UTF-8 character across reads without damage', () => {
    const frame = encodeFrame('ž', 100, 'LE'); // "ž" = 2 bytes in quotes
    const r = new FrameReader(100, 'LE');
    expect(r.push(frame.subarray(0, 6))).toEqual([]);
    expect(r.push(frame.subarray(6))).toEqual([{ kind: 'message', value: 'ž' }]);
  });

  it('returns several frames of one read in order, keeping the unfinished tail', () => {
    const a = encodeFrame({ id: 1 }, 100, 'LE');
    const b = encodeFrame({ id: 2 }, 100, 'LE');
    const c = encodeFrame({ id: 3 }, 100, 'LE');
    const r = new FrameReader(100, 'LE');
    expect(r.push(concat(a, b, c.subarray(0, 5)))).toEqual([
      { kind: 'message', value: { id: 1 } },
      { kind: 'message', value: { id: 2 } },
    ]);
    expect(r.pending).toBe(5);
    expect(r.push(c.subarray(5))).toEqual([{ kind: 'message', value: { id: 3 } }]);
  });

  it('reads one byte at a time', () => {
    const data = concat(encodeFrame([1, 2], 100, 'BE'), encodeFrame(null, 100, 'BE'));
    const r = new FrameReader(100, 'BE');
    const events = [...data].flatMap((byte) => r.push(Uint8Array.of(byte)));
    expect(events).toEqual([
      { kind: 'message', value: [1, 2] },
      { kind: 'message', value: null },
    ]);
  });

  it('stops for good at a length over the limit (the stream cannot be re-synchronised)', () => {
    const r = new FrameReader(10, 'LE');
    const events = r.push(concat(encodeFrame(1, 10, 'LE'), rawFrame(utf8('"12345678901"')), encodeFrame(2, 10, 'LE')));
    expect(events).toEqual([
      { kind: 'message', value: 1 },
      { kind: 'too-long', length: 13, limit: 10 },
    ]);
    expect(r.broken).toBe(true);
    expect(r.push(encodeFrame(3, 10, 'LE'))).toEqual([]);
  });

  it('sees an over-limit length as soon as its 4 bytes are in, without waiting for the body', () => {
    const r = new FrameReader(1024, 'LE');
    expect(r.push(rawFrame(new Uint8Array(0), 'LE', 0xffffffff))).toEqual([{ kind: 'too-long', length: 0xffffffff, limit: 1024 }]);
  });

  it('reports a frame that is not JSON, or not UTF-8, and goes on with the next one', () => {
    const r = new FrameReader(100, 'LE');
    const events = r.push(concat(rawFrame(utf8('{"id":')), rawFrame(Uint8Array.of(0x22, 0xff, 0x22)), encodeFrame({ id: 9 }, 100, 'LE')));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ kind: 'bad-json' });
    expect(events[1]).toEqual({ kind: 'bad-json', reason: 'not UTF-8' });
    expect(events[2]).toEqual({ kind: 'message', value: { id: 9 } });
  });

  it('an empty frame is bad JSON, not a message', () => {
    const r = new FrameReader(100, 'LE');
    expect(r.push(rawFrame(new Uint8Array(0)))).toEqual([expect.objectContaining({ kind: 'bad-json' })]);
  });
});
