/**
 * The chain-of-trust picture's model, from chains as the validator reports them for the test
 * world's cases (secure, unsigned delegation, DS mismatch, unsigned RRset, CNAME to another zone,
 * signatures about to expire).
 */
import { describe, expect, it } from 'vitest';
import { buildChainDiagram, isAtOrBelow, type DiagramInput, type DiagramZoneInput } from './chain-diagram';
import { DAY_MS } from './expiry';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ksk = (keyTag: number, algorithm = 13) => ({ keyTag, algorithm, flags: 257, sep: true });
const zsk = (keyTag: number, algorithm = 13) => ({ keyTag, algorithm, flags: 256, sep: false });
const ds = (keyTag: number, algorithm = 13) => ({ keyTag, algorithm, digestType: 2 });

const root: DiagramZoneInput = { zone: '.', state: 'secure', anchor: true, ds: [ds(58741, 8)], keys: [zsk(21586, 8), ksk(58741, 8)], expiresAt: NOW + 9 * DAY_MS };
const test: DiagramZoneInput = { zone: 'test.', state: 'secure', ds: [ds(16518)], keys: [ksk(16518), zsk(32063)], expiresAt: NOW + 9 * DAY_MS };
const zone = (name: string, over: Partial<DiagramZoneInput> = {}): DiagramZoneInput => ({
  zone: name,
  state: 'secure',
  ds: [ds(19692)],
  keys: [ksk(19692)],
  expiresAt: NOW + 9 * DAY_MS,
  ...over,
});
const address = (over: Partial<DiagramInput['rrsets'][number]> = {}) => ({
  label: 'A/AAAA',
  name: 'www.mail.test',
  state: 'secure' as const,
  result: 'data' as const,
  records: ['127.0.64.1'],
  ...over,
});
const input = (chain: DiagramZoneInput[], over: Partial<DiagramInput> = {}): DiagramInput => ({
  host: 'www.mail.test',
  chain,
  rrsets: [address()],
  now: NOW,
  warnDays: 7,
  ...over,
});

describe('buildChainDiagram', () => {
  it('draws root → TLD → zone → name for a secure host, with key tags, roles, algorithms and expiry', () => {
    const d = buildChainDiagram(input([test, zone('mail.test.'), root]));
    expect(d.nodes.map((n) => (n.kind === 'zone' ? n.zone : n.name))).toEqual(['.', 'test.', 'mail.test.', 'www.mail.test.']);
    expect(d.nodes[0]).toMatchObject({
      kind: 'zone',
      anchor: true,
      dsTags: [58741],
      keys: [
        { keyTag: 58741, role: 'ksk', algorithm: 8 },
        { keyTag: 21586, role: 'zsk', algorithm: 8 },
      ],
      algorithms: [8],
      expiring: false,
    });
    expect(d.edges.map((e) => e.kind)).toEqual(['delegation', 'delegation', 'data']);
    expect(d.edges[0]).toMatchObject({ from: 0, to: 1, dsTags: [16518], failing: false });
    expect(d).toMatchObject({ status: 'secure', failing: null, warnings: [], host: 'www.mail.test.' });
  });

  it('marks an unsigned delegation as a dashed insecure step, not as a failure', () => {
    const insecure = zone('insecure.test.', { state: 'insecure', ds: [], keys: [], expiresAt: null, reasonCode: 'insecure-delegation', reason: 'insecure.test. is delegated without DS' });
    const d = buildChainDiagram(
      input([root, test, insecure], { host: 'www.insecure.test', rrsets: [address({ name: 'www.insecure.test', state: 'insecure', reasonCode: 'insecure-delegation' })] }),
    );
    expect(d.edges.map((e) => e.kind)).toEqual(['delegation', 'insecure-delegation', 'data']);
    expect(d.failing).toBeNull();
    expect(d.status).toBe('insecure');
  });

  it('makes the zone whose keys match no DS the failing step, with its reason', () => {
    const bad = zone('badds.test.', { state: 'bogus', ds: [ds(32270)], keys: [ksk(50089)], expiresAt: null, reasonCode: 'ds-no-match', reason: 'no DNSKEY of badds.test. matches a DS record of the parent' });
    const d = buildChainDiagram(
      input([root, test, bad], { host: 'www.badds.test', rrsets: [address({ name: 'www.badds.test', state: 'bogus', reasonCode: 'ds-no-match' })] }),
    );
    expect(d.failing).toEqual({ index: 2, reasonCode: 'ds-no-match', reason: 'no DNSKEY of badds.test. matches a DS record of the parent' });
    expect(d.nodes[2]).toMatchObject({ failing: true, state: 'bogus' });
    expect(d.nodes[3]).toMatchObject({ failing: false });
    expect(d.edges.filter((e) => e.failing).map((e) => e.to)).toEqual([2]);
    expect(d.status).toBe('bogus');
  });

  it('blames the name when every zone is secure but an RRset is not signed', () => {
    const d = buildChainDiagram(
      input([root, test, zone('partial.test.')], {
        host: 'a-nosig.partial.test',
        rrsets: [
          address({ name: 'a-nosig.partial.test', state: 'bogus', reasonCode: 'missing-rrsig', reason: 'no RRSIG covers a-nosig.partial.test. A' }),
          { label: 'TLSA', name: '_443._tcp.a-nosig.partial.test', state: 'secure', result: 'nxdomain' },
        ],
      }),
    );
    const name = d.nodes[3];
    expect(name.kind === 'name' && name.rrsets.map((r) => r.failing)).toEqual([true, false]);
    expect(d.failing).toMatchObject({ index: 3, reasonCode: 'missing-rrsig' });
    expect(d.edges[2]).toMatchObject({ kind: 'data', failing: true, state: 'bogus' });
  });

  it('puts the zone of a CNAME target after the host\'s own zones, reached by an alias step', () => {
    const d = buildChainDiagram(input([root, test, zone('cname.test.'), zone('alg15.test.', { ds: [ds(59778, 15)], keys: [ksk(59778, 15)] })], { host: 'to-secure.cname.test' }));
    expect(d.nodes.map((n) => (n.kind === 'zone' ? `${n.zone}${n.alias ? ' (alias)' : ''}` : n.name))).toEqual([
      '.',
      'test.',
      'cname.test.',
      'alg15.test. (alias)',
      'to-secure.cname.test.',
    ]);
    expect(d.edges.map((e) => e.kind)).toEqual(['delegation', 'delegation', 'alias', 'data']);
  });

  it('warns about signatures expiring within the period and turns the status to warning', () => {
    const soon = zone('soon.test.', { expiresAt: NOW + 2 * DAY_MS });
    const d = buildChainDiagram(input([root, test, soon], { host: 'www.soon.test' }));
    expect(d.warnings).toEqual([{ zone: 'soon.test.', expiresAt: NOW + 2 * DAY_MS, msLeft: 2 * DAY_MS }]);
    expect(d.nodes[2]).toMatchObject({ expiring: true });
    expect(d.nodes[1]).toMatchObject({ expiring: false });
    expect(d.status).toBe('warning');
    // A shorter period, or none, and nothing to say.
    expect(buildChainDiagram(input([root, test, soon], { host: 'www.soon.test', warnDays: 1 })).status).toBe('secure');
    expect(buildChainDiagram(input([root, test, soon], { host: 'www.soon.test', warnDays: 0 })).warnings).toEqual([]);
  });

  it('lists every zone once and accepts names with or without the final dot', () => {
    const d = buildChainDiagram(input([root, { ...test, zone: 'test' }, test, zone('MAIL.test')]));
    expect(d.nodes.filter((n) => n.kind === 'zone').map((n) => (n.kind === 'zone' ? n.zone : ''))).toEqual(['.', 'test.', 'MAIL.test.']);
  });
});

describe('isAtOrBelow', () => {
  it.each([
    ['www.mail.test', '.', true],
    ['www.mail.test', 'mail.test.', true],
    ['WWW.MAIL.TEST.', 'mail.test', true],
    ['mail.test', 'www.mail.test', false],
    ['www.mail.test', 'ail.test', false],
  ])('%s under %s: %s', (name, z, yes) => {
    expect(isAtOrBelow(name, z)).toBe(yes);
  });
});
