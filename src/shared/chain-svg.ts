/**
 * Draws the chain-of-trust model (src/core/chain-diagram.ts) as a small SVG: one box per zone,
 * root at the top, the name last, an arrow per step. Pure: it returns a tree of plain objects
 * (no DOM, no network, no i18n calls: every word comes in through `DiagramText`), which
 * `svgToDom` turns into elements. States are told by symbol and line style, not colour alone:
 * ✓ solid (secure), ○ dashed (unsigned), ✗ dotted and thick (failing), ⚠ (signatures expiring).
 */
import type { ChainDiagram, DiagramNameNode, DiagramNode, DiagramZoneNode } from '../core/chain-diagram';
import type { AnswerClass, ReasonCode, SecurityState } from '../core/dnssec/result';
import { SECURITY_STATE_WORDS, type MessageKey } from './message-key';

export interface SvgNode {
  tag: string;
  attrs: Record<string, string | number>;
  children?: SvgNode[];
  text?: string;
}

/** Every word of the picture, already translated. */
export interface DiagramText {
  title: string;
  stateWord(state: SecurityState): string;
  anchor: string;
  ksk: string;
  zsk: string;
  /** "13 (ECDSAP256SHA256)" */
  algorithm(n: number): string;
  signedUntil(ms: number): string;
  expiresSoon(ms: number): string;
  noDs: string;
  delegation(tags: number[]): string;
  alias: string;
  data: string;
  failsHere: string;
  /** Plain-words reason for a failing (or unsigned) step. */
  reason(code: ReasonCode | null, technical: string | null): string;
  /** What a name has instead of records ("none (proven)"); '' for data. */
  answer(result: AnswerClass): string;
}

/**
 * The picture's words from one message lookup — browser.i18n in the popup, the English locale
 * in the CLI's `--svg` — so both draw the same sentences; only dates, algorithm names and the
 * reason wording differ between them and come in as `fmt`.
 */
export function diagramTextFrom(
  msg: (key: MessageKey, subs?: string[]) => string,
  host: string,
  fmt: {
    algorithm(n: number): string;
    signedUntil(ms: number): string;
    expiresSoon(ms: number): string;
    reason(code: ReasonCode | null, technical: string | null): string;
  },
): DiagramText {
  return {
    title: msg('diagramTitle', [host]),
    stateWord: (s) => msg(SECURITY_STATE_WORDS[s] ?? 'wordIndeterminate'),
    anchor: msg('popupAnchor'),
    ksk: msg('popupKsk'),
    zsk: msg('popupZsk'),
    algorithm: fmt.algorithm,
    signedUntil: (ms) => msg('diagramSignedUntil', [fmt.signedUntil(ms)]),
    expiresSoon: (ms) => msg('diagramExpiresSoon', [fmt.expiresSoon(ms)]),
    noDs: msg('diagramNoDs'),
    delegation: (tags) => msg('diagramDelegation', [tags.join(', ')]),
    alias: msg('diagramAlias'),
    data: msg('diagramData'),
    failsHere: msg('diagramFailsHere'),
    reason: fmt.reason,
    answer: (result) => (result === 'data' ? '' : msg('diagramNoRecords')),
  };
}

export const SYMBOL: Record<SecurityState, string> = { secure: '✓', insecure: '○', bogus: '✗', indeterminate: '?' };

const PAD = 7;
const LINE = 14;
const EDGE = 30;
const X_LINE = 22;
/** Rough advance of an 11px character (sans, mono bold): enough to cut text that would overflow. */
const CHAR = 6.1;
const CHAR_MONO = 6.9;

/** Shortens `s` to at most `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  if (max <= 1) return '…';
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Greedy word wrap into at most `maxLines` lines of `max` characters (the last one clipped). */
export function wrap(s: string, max: number, maxLines = 3): string[] {
  const words = s.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur === '') cur = w;
    else if (cur.length + 1 + w.length <= max) cur += ` ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur !== '') lines.push(cur);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = clip(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, max);
    return kept.map((l) => clip(l, max));
  }
  return lines.map((l) => clip(l, max));
}

interface Line {
  text: string;
  cls: string;
  /** Right-aligned text on the same line. */
  right?: string;
}

function nodeStyle(n: DiagramNode): { cls: string; dash: string | null; width: number; symbol: string } {
  const failing = n.failing;
  const expiring = n.kind === 'zone' && n.expiring;
  const cls = ['cd-node', `cd-${n.state}`, failing ? 'cd-failing' : '', expiring ? 'cd-warn' : ''].filter(Boolean).join(' ');
  if (failing || n.state === 'bogus') return { cls, dash: '2 2', width: 2.5, symbol: SYMBOL[n.state] };
  if (n.state === 'insecure') return { cls, dash: '5 3', width: 1.5, symbol: SYMBOL.insecure };
  if (n.state === 'indeterminate') return { cls, dash: '1 3', width: 2, symbol: SYMBOL.indeterminate };
  if (expiring) return { cls, dash: '8 2 2 2', width: 2, symbol: '⚠' };
  return { cls, dash: null, width: 1.5, symbol: SYMBOL.secure };
}

function zoneLines(n: DiagramZoneNode, t: DiagramText, cols: number): Line[] {
  const lines: Line[] = [];
  const keys = n.keys.map((k) => `${k.keyTag} ${k.role === 'ksk' ? t.ksk : t.zsk}`).join(', ');
  const parts = [n.dsTags.length ? `DS ${n.dsTags.join(', ')}` : '', keys ? `DNSKEY ${keys}` : ''].filter(Boolean);
  if (parts.length) for (const l of wrap(parts.join(' · '), cols, 2)) lines.push({ text: l, cls: 'cd-mono' });
  const algs = n.algorithms.map((a) => t.algorithm(a)).join(', ');
  if (algs) for (const l of wrap(algs, cols, 1)) lines.push({ text: l, cls: 'cd-muted' });
  if (n.expiresAt !== null && n.state === 'secure') {
    lines.push(n.expiring ? { text: `⚠ ${t.expiresSoon(n.expiresAt)}`, cls: 'cd-warn-text' } : { text: t.signedUntil(n.expiresAt), cls: 'cd-muted' });
  }
  if (n.state !== 'secure') {
    const why = t.reason(n.reasonCode, n.reason);
    if (why) for (const l of wrap(`${n.failing ? '✗ ' : ''}${why}`, cols, 3)) lines.push({ text: l, cls: n.failing ? 'cd-reason' : 'cd-muted' });
  }
  return lines;
}

function nameLines(n: DiagramNameNode, t: DiagramText, cols: number): Line[] {
  const lines: Line[] = [];
  for (const r of n.rrsets) {
    const what = r.result === 'data' ? r.records.slice(0, 2).join(', ') + (r.records.length > 2 ? ', …' : '') : t.answer(r.result);
    lines.push({ text: clip(`${SYMBOL[r.state]} ${r.label}: ${t.stateWord(r.state)}${what ? ` · ${what}` : ''}`, cols), cls: r.failing ? 'cd-reason' : '' });
    if (r.label === 'TLSA' && r.name) lines.push({ text: clip(`   ${r.name}`, cols), cls: 'cd-muted cd-mono' });
    // The reason is told once, where the chain breaks: here only when the name itself fails.
    if (r.failing) {
      for (const l of wrap(`✗ ${t.reason(r.reasonCode ?? null, r.reason ?? null)}`, cols, 3)) lines.push({ text: l, cls: 'cd-reason' });
    }
  }
  return lines;
}

function text(x: number, y: number, s: string, cls: string, anchor?: 'end'): SvgNode {
  const attrs: Record<string, string | number> = { x, y, class: cls || 'cd-text' };
  if (anchor) attrs['text-anchor'] = anchor;
  return { tag: 'text', attrs, text: s };
}

function edgeLabel(d: ChainDiagram, i: number, t: DiagramText): string {
  const e = d.edges.find((x) => x.to === i);
  if (!e) return '';
  if (e.failing) return `✗ ${t.failsHere}`;
  // Below a broken step nothing is vouched for: no words on those arrows.
  if (d.failing && i > d.failing.index) return '';
  switch (e.kind) {
    case 'insecure-delegation':
      return t.noDs;
    case 'alias':
      return t.alias;
    case 'data':
      return t.data;
    case 'delegation':
      return t.delegation(e.dsTags);
  }
}

/** The picture as an SVG tree, `width` user units wide (scaled to the popup by CSS). */
export function chainSvg(d: ChainDiagram, t: DiagramText, width = 330): SvgNode {
  const body: SvgNode[] = [];
  const cols = Math.floor((width - 2 * PAD) / CHAR);
  let y = 1;
  d.nodes.forEach((n, i) => {
    if (i > 0) {
      const e = d.edges.find((x) => x.to === i)!;
      const cls = ['cd-edge', `cd-${e.state}`, e.failing ? 'cd-failing' : ''].filter(Boolean).join(' ');
      const dash = e.failing ? '3 3' : e.kind === 'insecure-delegation' || e.kind === 'alias' ? '5 3' : null;
      const line: SvgNode = { tag: 'line', attrs: { x1: X_LINE, y1: y, x2: X_LINE, y2: y + EDGE - 6, class: 'cd-stroke', 'stroke-width': e.failing ? 2.5 : 1.5 } };
      if (dash) line.attrs['stroke-dasharray'] = dash;
      const head: SvgNode = {
        tag: 'polygon',
        attrs: { points: `${X_LINE - 5},${y + EDGE - 8} ${X_LINE + 5},${y + EDGE - 8} ${X_LINE},${y + EDGE - 1}`, class: 'cd-fill' },
      };
      const label = clip(edgeLabel(d, i, t), Math.floor((width - X_LINE - 14) / CHAR));
      const parts: SvgNode[] = [line, head];
      if (e.failing) {
        // A crossed circle on the arrow: the broken step, visible without colour.
        const cy = y + EDGE / 2 - 3;
        parts.push({ tag: 'circle', attrs: { cx: X_LINE, cy, r: 7, class: 'cd-mark' } });
        parts.push({ tag: 'path', attrs: { d: `M${X_LINE - 3.5},${cy - 3.5} L${X_LINE + 3.5},${cy + 3.5} M${X_LINE + 3.5},${cy - 3.5} L${X_LINE - 3.5},${cy + 3.5}`, class: 'cd-stroke', 'stroke-width': 2 } });
      }
      parts.push(text(X_LINE + 14, y + EDGE / 2 + 1, label, e.failing ? 'cd-reason cd-strong' : 'cd-muted'));
      body.push({ tag: 'g', attrs: { class: cls }, children: parts });
      y += EDGE;
    }
    const style = nodeStyle(n);
    const label = n.kind === 'zone' ? n.zone : n.name;
    const right = `${t.stateWord(n.state)}${n.kind === 'zone' && n.anchor ? ` · ${t.anchor}` : ''}`;
    const titleCols = Math.floor((width - 2 * PAD - right.length * CHAR - 20) / CHAR_MONO);
    const lines: Line[] = [
      { text: `${style.symbol} ${clip(label, titleCols)}`, cls: 'cd-title', right },
      ...(n.kind === 'zone' ? zoneLines(n, t, cols) : nameLines(n, t, cols)),
    ];
    const h = 2 * PAD + lines.length * LINE;
    const rect: SvgNode = { tag: 'rect', attrs: { x: 1, y, width: width - 2, height: h, rx: 6, class: 'cd-box', 'stroke-width': style.width } };
    if (style.dash) rect.attrs['stroke-dasharray'] = style.dash;
    const texts: SvgNode[] = [];
    lines.forEach((l, k) => {
      const ty = y + PAD + (k + 1) * LINE - 3;
      texts.push(text(PAD + 2, ty, l.text, l.cls));
      if (l.right) texts.push(text(width - PAD - 2, ty, l.right, 'cd-state', 'end'));
    });
    body.push({
      tag: 'g',
      attrs: { class: style.cls, 'data-kind': n.kind, 'data-name': label, 'data-state': n.state, ...(n.failing ? { 'data-failing': 'true' } : {}) },
      children: [rect, ...texts],
    });
    y += h;
  });
  const height = Math.ceil(y + 1);
  return {
    tag: 'svg',
    attrs: {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': d.failing ? `${t.title}: ${t.failsHere}` : t.title,
      class: `chain-diagram cd-status-${d.status}`,
    },
    children: [{ tag: 'title', attrs: {}, text: t.title }, ...body],
  };
}

/** Builds real SVG elements from the tree (no innerHTML: text goes in as text). */
export function svgToDom(n: SvgNode, doc: Document = document): SVGElement {
  const el = doc.createElementNS('http://www.w3.org/2000/svg', n.tag);
  for (const [k, v] of Object.entries(n.attrs)) if (k !== 'xmlns') el.setAttribute(k, String(v));
  if (n.text !== undefined) el.textContent = n.text;
  for (const c of n.children ?? []) el.append(svgToDom(c, doc));
  return el;
}

/** XML escaping of text and attribute values (XML 1.0 §2.4, §3.3.3). */
function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The look of the picture outside the popup (`check --svg`): the popup's .chain-diagram rules
 * (src/popup/popup.css) with its light-theme colours written out, since a standalone file has no
 * page variables. State stays readable without colour (symbols, dash patterns).
 */
export const STANDALONE_STYLE = [
  // 10px, not the popup's 11px: the layout assumes about 6.1px per character, and the fonts a
  // viewer falls back to without system-ui (DejaVu Sans) are wider.
  'svg{font:10px/1 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}',
  'text{fill:#1f2328}',
  '.cd-title{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-weight:700}',
  '.cd-mono{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:9.5px}',
  '.cd-muted,.cd-state{fill:#59636e}',
  '.cd-strong{font-weight:700}',
  '.cd-box{fill:#ffffff;stroke:#d1d9e0}',
  '.cd-secure .cd-box{stroke:#1a7f37}',
  '.cd-insecure .cd-box{stroke:#6e7781}',
  '.cd-indeterminate .cd-box{stroke:#bc4c00}',
  '.cd-bogus .cd-box,.cd-failing .cd-box{stroke:#cf222e;fill:#ffebe9}',
  '.cd-warn .cd-box{stroke:#bf8700;fill:#fff8c5}',
  '.cd-warn-text{fill:#7d4e00;font-weight:600}',
  '.cd-reason{fill:#cf222e}',
  '.cd-secure .cd-state{fill:#1a7f37}',
  '.cd-bogus .cd-state,.cd-failing .cd-state{fill:#cf222e;font-weight:700}',
  '.cd-edge .cd-stroke{stroke:#59636e;fill:none}',
  '.cd-edge .cd-fill{fill:#59636e}',
  '.cd-edge.cd-secure .cd-stroke{stroke:#1a7f37}',
  '.cd-edge.cd-secure .cd-fill{fill:#1a7f37}',
  '.cd-edge.cd-failing .cd-stroke{stroke:#cf222e}',
  '.cd-edge.cd-failing .cd-fill{fill:#cf222e}',
  '.cd-mark{fill:#ffffff;stroke:#cf222e;stroke-width:1.5}',
].join('\n');

/** Serialises the tree as XML text (escaped; no DOM needed). */
export function svgToXml(n: SvgNode, indent = ''): string {
  const attrs = Object.entries(n.attrs).map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`).join('');
  if (n.text === undefined && !n.children?.length) return `${indent}<${n.tag}${attrs}/>`;
  if (!n.children?.length) return `${indent}<${n.tag}${attrs}>${xmlEscape(n.text ?? '')}</${n.tag}>`;
  const inner = [...(n.text !== undefined ? [`${indent}  ${xmlEscape(n.text)}`] : []), ...n.children.map((c) => svgToXml(c, `${indent}  `))];
  return `${indent}<${n.tag}${attrs}>\n${inner.join('\n')}\n${indent}</${n.tag}>`;
}

/** A standalone SVG file of the picture: XML declaration, embedded style, white background. */
export function standaloneSvg(svg: SvgNode): string {
  const [title, ...rest] = svg.children ?? [];
  const viewBox = String(svg.attrs.viewBox).split(' ');
  const background: SvgNode = { tag: 'rect', attrs: { x: 0, y: 0, width: viewBox[2], height: viewBox[3], fill: '#ffffff' } };
  const style: SvgNode = { tag: 'style', attrs: {}, text: STANDALONE_STYLE };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgToXml({ ...svg, children: [...(title ? [title] : []), style, background, ...rest] })}\n`;
}
