/**
 * The toolbar pixels built into the Chrome worker (`virtual:icon-pixels`, vite.config.ts) are the
 * shipped PNG icons, pixel for pixel: rendered from the same SVGs, un-premultiplied as the PNG
 * encoder does. The PNGs are decoded here with a minimal reader for what resvg writes (8-bit
 * RGBA, not interlaced).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { renderIconPixels, renderIcons } from '../../scripts/render-icons.mjs';
import { DISPLAY_STATES } from '../shared/display-state';

function decodePng(buf: Buffer): { width: number; height: number; rgba: Buffer } {
  let p = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (p < buf.length) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('ascii', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0) throw new Error('not 8-bit RGBA without interlace');
    }
    if (type === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      let v = raw[y * (stride + 1) + 1 + x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rgba[y * stride + x] = v & 255;
    }
  }
  return { width, height, rgba };
}

describe('built-in toolbar pixels', () => {
  test('every display state at 16 and 32 px equals its shipped PNG', async () => {
    const pixels = await renderIconPixels();
    expect(pixels).not.toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtv-icons-'));
    try {
      await renderIcons({ outDir: dir, sizes: [16, 32] });
      for (const state of DISPLAY_STATES) {
        for (const size of [16, 32] as const) {
          const png = decodePng(fs.readFileSync(path.join(dir, `${state}-${size}.png`)));
          expect([png.width, png.height]).toEqual([size, size]);
          const built = Buffer.from(pixels![state]![size]!, 'base64');
          expect(built.length, `${state} ${size}`).toBe(size * size * 4);
          // Fully transparent pixels may differ in colour (nothing of it is seen).
          const seen = (b: Buffer) => Buffer.from(b.map((v, i) => (b[i - (i % 4) + 3] === 0 ? 0 : v)));
          expect(seen(built).equals(seen(png.rgba)), `${state} ${size}`).toBe(true);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
