#!/usr/bin/env node
// Renders every src/icons/<name>.svg to <outDir>/<name>-<size>.png.
// Uses @resvg/resvg-js (a prebuilt binary shipped inside the npm package, no download at install
// time); falls back to `rsvg-convert` (Debian package librsvg2-bin) when the module is missing.
// Usage: node scripts/render-icons.mjs [outDir]   (default: dist/icons)
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ICON_SIZES = [16, 32, 48, 128];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SOURCE_DIR = path.join(ROOT, 'src', 'icons');

async function loadRenderer() {
  try {
    const { Resvg } = await import('@resvg/resvg-js');
    return (svg, size) =>
      new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
        .render()
        .asPng();
  } catch {
    return (svg, size) =>
      execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-f', 'png'], { input: svg });
  }
}

/** Renders all icons; returns the list of written file paths. */
export async function renderIcons({ srcDir = ICON_SOURCE_DIR, outDir, sizes = ICON_SIZES } = {}) {
  if (!outDir) throw new Error('renderIcons: outDir is required');
  const render = await loadRenderer();
  const names = (await readdir(srcDir)).filter((f) => f.endsWith('.svg')).sort();
  if (names.length === 0) throw new Error(`renderIcons: no .svg files in ${srcDir}`);
  await mkdir(outDir, { recursive: true });
  const written = [];
  for (const file of names) {
    const svg = await readFile(path.join(srcDir, file));
    for (const size of sizes) {
      const out = path.join(outDir, `${path.basename(file, '.svg')}-${size}.png`);
      await writeFile(out, render(svg, size));
      written.push(out);
    }
  }
  return written;
}

/**
 * The toolbar icons as straight (not premultiplied) RGBA pixels, base64, per icon name and size:
 * what the Chrome service worker hands to action.setIcon as ImageData without fetching and
 * decoding PNGs at run time (src/background/show-state.ts). Null without @resvg/resvg-js (then
 * the worker decodes the PNGs as before).
 */
export async function renderIconPixels({ srcDir = ICON_SOURCE_DIR, sizes = [16, 32] } = {}) {
  let Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch {
    return null;
  }
  const out = {};
  for (const file of (await readdir(srcDir)).filter((f) => f.endsWith('.svg')).sort()) {
    const svg = await readFile(path.join(srcDir, file));
    const bySize = {};
    for (const size of sizes) {
      const img = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
      if (img.width !== size || img.height !== size) throw new Error(`${file} rendered ${img.width}×${img.height}, not ${size}×${size}`);
      const px = Buffer.from(img.pixels);
      // tiny-skia gives premultiplied RGBA; ImageData is straight RGBA.
      for (let i = 0; i < px.length; i += 4) {
        const a = px[i + 3];
        if (a === 0 || a === 255) continue;
        for (let c = 0; c < 3; c++) px[i + c] = Math.min(255, Math.round((px[i + c] * 255) / a));
      }
      bySize[size] = px.toString('base64');
    }
    out[path.basename(file, '.svg')] = bySize;
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'icons'));
  const written = await renderIcons({ outDir });
  console.log(`rendered ${written.length} PNG icons into ${path.relative(process.cwd(), outDir) || '.'}`);
}
