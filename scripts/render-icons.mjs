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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'icons'));
  const written = await renderIcons({ outDir });
  console.log(`rendered ${written.length} PNG icons into ${path.relative(process.cwd(), outDir) || '.'}`);
}
