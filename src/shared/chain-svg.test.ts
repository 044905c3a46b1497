import { describe, expect, it } from 'vitest';
import { buildChainDiagram, type DiagramZoneInput } from '../core/chain-diagram';
import { DAY_MS } from '../core/expiry';
import { chainSvg, clip, standaloneSvg, wrap, type DiagramText, type SvgNode } from './chain-svg';

const NOW = Date.UTC(2026, 10, 25, 12);
const T: DiagramText = {
  title: 'Chain of trust',
  stateWord: (s) => s,
  anchor: 'trust anchor',
  ksk: 'KSK',
  zsk: 'ZSK',
  algorithm: (n) => `${n} ALG`,
  signedUntil: () => 'signatures valid until then',
  expiresSoon: () => 'signatures expire in 2 days',
  noDs: 'no DS',
  delegation: (tags) => `DS ${tags.join(', ')} vouches`,
  alias: 'alias',
  data: 'signs',
  failsHere: 'validation fails here',
  reason: (code) => `reason ${code}`,
  answer: (r) => (r === 'data' ? '' : 'none'),
};
const z = (zone: string, over: Partial<DiagramZoneInput> = {}): DiagramZoneInput => ({
  zone,
  state: 'secure',
  ds: [{ keyTag: 1000 + zone.length, algorithm: 13, digestType: 2 }],
  keys: [{ keyTag: 1000 + zone.length, algorithm: 13, flags: 257, sep: true }],
  expiresAt: NOW + 9 * DAY_MS,
  ...over,
});

function all(n: SvgNode): SvgNode[] {
  return [n, ...(n.children ?? []).flatMap(all)];
}
const texts = (n: SvgNode) => all(n).filter((x) => x.tag === 'text').map((x) => x.text ?? '');
const groups = (n: SvgNode) => all(n).filter((x) => x.tag === 'g' && x.attrs['data-kind']);

describe('wrap / clip', () => {
  it('cuts long text with an ellipsis and wraps words into a bounded number of lines', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four five six', 9, 2)).toEqual(['one two', 'three fo…']);
  });
});

describe('chainSvg', () => {
  it('draws one box per zone and one for the name, with key tags and the state in words', () => {
    const d = buildChainDiagram({
      host: 'www.mail.test',
      chain: [z('.', { anchor: true }), z('test.'), z('mail.test.')],
      rrsets: [{ label: 'A/AAAA', name: 'www.mail.test', state: 'secure', result: 'data', records: ['127.0.64.1'] }],
      now: NOW,
      warnDays: 7,
    });
    const svg = chainSvg(d, T, 330);
    expect(svg.tag).toBe('svg');
    expect(svg.attrs).toMatchObject({ role: 'img', 'aria-label': 'Chain of trust', class: 'chain-diagram cd-status-secure' });
    expect(groups(svg).map((g) => g.attrs['data-name'])).toEqual(['.', 'test.', 'mail.test.', 'www.mail.test.']);
    const t = texts(svg);
    expect(t).toContain('✓ .');
    expect(t).toContain('secure · trust anchor');
    expect(t).toContain('DS 1010 · DNSKEY 1010 KSK');
    expect(t).toContain('✓ A/AAAA: secure · 127.0.64.1');
    expect(t.filter((x) => x.startsWith('DS ') && x.endsWith('vouches'))).toHaveLength(2);
    // The height covers every box: the last rect ends within the viewBox.
    const rects = all(svg).filter((x) => x.tag === 'rect');
    const last = rects[rects.length - 1].attrs;
    expect(Number(last.y) + Number(last.height)).toBeLessThanOrEqual(Number(svg.attrs.height));
    // Nothing wider than the box (rough character budget).
    for (const s of t) expect(s.length).toBeLessThanOrEqual(52);
  });

  it('marks the failing step by shape and symbol: dotted thick box, ✗, crossed arrow, reason', () => {
    const d = buildChainDiagram({
      host: 'www.badds.test',
      chain: [z('.'), z('test.'), z('badds.test.', { state: 'bogus', expiresAt: null, reasonCode: 'ds-no-match', reason: 'no DNSKEY matches' })],
      rrsets: [{ label: 'A/AAAA', name: 'www.badds.test', state: 'bogus', result: 'data', records: ['127.0.60.16'], reasonCode: 'ds-no-match' }],
      now: NOW,
      warnDays: 7,
    });
    const svg = chainSvg(d, T);
    const bad = groups(svg).find((g) => g.attrs['data-name'] === 'badds.test.')!;
    expect(bad.attrs['data-failing']).toBe('true');
    const rect = bad.children!.find((c) => c.tag === 'rect')!;
    expect(rect.attrs).toMatchObject({ 'stroke-dasharray': '2 2', 'stroke-width': 2.5 });
    expect(texts(bad)).toContain('✗ badds.test.');
    expect(texts(bad)).toContain('✗ reason ds-no-match');
    const edge = all(svg).find((x) => x.tag === 'g' && String(x.attrs.class).includes('cd-edge') && String(x.attrs.class).includes('cd-failing'))!;
    expect(edge.children!.some((c) => c.tag === 'circle')).toBe(true);
    expect(texts(edge)).toEqual(['✗ validation fails here']);
    expect(svg.attrs['aria-label']).toBe('Chain of trust: validation fails here');
  });

  it('marks zones with signatures about to expire with ⚠ and a distinct dash pattern', () => {
    const d = buildChainDiagram({
      host: 'www.soon.test',
      chain: [z('.'), z('test.'), z('soon.test.', { expiresAt: NOW + 2 * DAY_MS })],
      rrsets: [{ label: 'A/AAAA', name: 'www.soon.test', state: 'secure', result: 'data', records: ['127.0.64.2'] }],
      now: NOW,
      warnDays: 7,
    });
    const svg = chainSvg(d, T);
    expect(svg.attrs.class).toBe('chain-diagram cd-status-warning');
    const soon = groups(svg).find((g) => g.attrs['data-name'] === 'soon.test.')!;
    expect(String(soon.attrs.class)).toContain('cd-warn');
    expect(texts(soon)).toContain('⚠ soon.test.');
    expect(texts(soon)).toContain('⚠ signatures expire in 2 days');
    expect(soon.children!.find((c) => c.tag === 'rect')!.attrs['stroke-dasharray']).toBe('8 2 2 2');
  });

  it('draws an unsigned delegation dashed with its own words, and clips very long names', () => {
    const long = `${'a'.repeat(70)}.insecure.test.`;
    const d = buildChainDiagram({
      host: `www.${long}`,
      chain: [z('.'), z('test.'), z('insecure.test.', { state: 'insecure', ds: [], keys: [], expiresAt: null, reasonCode: 'insecure-delegation' })],
      rrsets: [{ label: 'A/AAAA', name: `www.${long}`, state: 'insecure', result: 'data', records: ['127.0.60.12'] }],
      now: NOW,
      warnDays: 7,
    });
    const svg = chainSvg(d, T);
    const edges = all(svg).filter((x) => x.tag === 'g' && String(x.attrs.class).startsWith('cd-edge'));
    expect(texts(edges[1])).toEqual(['no DS']);
    expect(edges[1].children![0].attrs['stroke-dasharray']).toBe('5 3');
    const title = texts(svg).find((x) => x.startsWith('○ www.'))!;
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('chainSvg below a broken step', () => {
  it('tells the reason once, at the failing zone, and puts no words on the arrows below it', () => {
    const d = buildChainDiagram({
      host: 'www.badds.test',
      chain: [z('.'), z('test.'), z('badds.test.', { state: 'bogus', expiresAt: null, reasonCode: 'ds-no-match' })],
      rrsets: [{ label: 'A/AAAA', name: 'www.badds.test', state: 'bogus', result: 'data', records: ['127.0.60.16'], reasonCode: 'ds-no-match' }],
      now: NOW,
      warnDays: 7,
    });
    const svg = chainSvg(d, T);
    expect(texts(svg).filter((x) => x.includes('reason ds-no-match'))).toHaveLength(1);
    const edges = all(svg).filter((x) => x.tag === 'g' && String(x.attrs.class).startsWith('cd-edge'));
    expect(texts(edges[edges.length - 1])).toEqual(['']);
  });
});

describe('standalone SVG (check --svg)', () => {
  it('is well-formed XML with hostile text escaped, and names each zone', async () => {
    const { Resvg } = await import('@resvg/resvg-js');
    const d = buildChainDiagram({
      host: 'www.mail.test',
      chain: [z('.', { anchor: true }), z('test.'), z('mail.test.', { state: 'bogus', reasonCode: 'signature-expired', reason: 'RRSIG <A> & "quoted" \'x\' expired' })],
      rrsets: [{ label: 'A/AAAA', name: 'www.mail.test', state: 'bogus', result: 'data', records: ['127.0.64.1'] }],
      now: NOW,
      warnDays: 7,
    });
    const hostile: DiagramText = { ...T, reason: (_c, technical) => technical ?? '' };
    const xml = standaloneSvg(chainSvg(d, hostile, 420));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(xml).toContain('RRSIG &lt;A&gt; &amp; &quot;quoted&quot;');
    expect(xml).not.toMatch(/<A>/);
    // resvg parses strictly (roxmltree): a well-formed document renders, a broken one throws.
    expect(new Resvg(xml).render().width).toBe(420);
    expect(() => new Resvg(xml.replace('&lt;A&gt;', '<A>'))).toThrow();
    for (const zone of ['.', 'test.', 'mail.test.', 'www.mail.test.']) expect(xml).toContain(`data-name="${zone}"`);
    expect(xml).toContain('<style>');
  });
});
