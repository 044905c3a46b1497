/**
 * The model of the chain-of-trust picture (issue #9): root → TLD → zone → name, one node per
 * zone with its DS and DNSKEY key tags, algorithms and signature expiry, one edge per step, the
 * failing step marked with its reason, and the zones whose signatures expire soon. Pure: the
 * popup and `check --svg` draw it (src/shared/chain-svg.ts), tests check it without a browser.
 */
import type { AnswerClass, ReasonCode, SecurityState } from './dnssec/result';
import { expiresSoon, expiringZones, type ExpiringZone } from './expiry';

export interface DiagramZoneInput {
  zone: string;
  state: SecurityState;
  anchor?: boolean;
  ds: readonly { keyTag: number; algorithm: number; digestType: number }[];
  keys: readonly { keyTag: number; algorithm: number; flags: number; sep: boolean }[];
  /** Earliest expiry of the signatures used in the zone (DNSKEY, DS), ms since the epoch. */
  expiresAt: number | null;
  reasonCode?: ReasonCode | null;
  reason?: string | null;
}

/** One RRset of the name at the end of the chain (the host's addresses, its TLSA records). */
export interface DiagramRRsetInput {
  /** Short label, e.g. "A/AAAA" or "TLSA". */
  label: string;
  name: string;
  state: SecurityState;
  result: AnswerClass;
  records?: readonly string[];
  reasonCode?: ReasonCode | null;
  reason?: string | null;
}

export interface DiagramInput {
  host: string;
  chain: readonly DiagramZoneInput[];
  rrsets: readonly DiagramRRsetInput[];
  /** ms since the epoch. */
  now: number;
  /** Warn about signatures expiring within this many days; 0 = never. */
  warnDays: number;
}

export interface DiagramZoneNode {
  kind: 'zone';
  zone: string;
  state: SecurityState;
  anchor: boolean;
  /** Key tags of the parent's DS records (or the anchor's) that authenticated a key. */
  dsTags: number[];
  digestTypes: number[];
  /** DNSKEYs, KSKs (SEP) first. */
  keys: { keyTag: number; algorithm: number; role: 'ksk' | 'zsk' }[];
  algorithms: number[];
  expiresAt: number | null;
  expiring: boolean;
  /** Reached through a CNAME/DNAME: not a child of the zone above it in the picture. */
  alias: boolean;
  failing: boolean;
  reasonCode: ReasonCode | null;
  reason: string | null;
}

export interface DiagramNameNode {
  kind: 'name';
  name: string;
  state: SecurityState;
  rrsets: (Omit<DiagramRRsetInput, 'records'> & { records: string[]; failing: boolean })[];
  failing: boolean;
}

export type DiagramNode = DiagramZoneNode | DiagramNameNode;

/**
 * The step into node `to` (from node `to - 1`):
 *  - delegation: the parent's signed DS RRset authenticates the child's keys;
 *  - insecure-delegation: the parent proves there is no DS (the child is unsigned);
 *  - alias: the zone of a CNAME/DNAME target;
 *  - data: the zone's keys sign the name's RRsets.
 */
export type DiagramEdgeKind = 'delegation' | 'insecure-delegation' | 'alias' | 'data';

export interface DiagramEdge {
  from: number;
  to: number;
  kind: DiagramEdgeKind;
  state: SecurityState;
  failing: boolean;
  dsTags: number[];
}

export type DiagramStatus = SecurityState | 'warning';

export interface ChainDiagram {
  host: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** The first step that fails validation (bogus or indeterminate), null when none does. */
  failing: { index: number; reasonCode: ReasonCode | null; reason: string | null } | null;
  /** Zones whose signatures expire within the warning period, soonest first. */
  warnings: ExpiringZone[];
  /** bogus/indeterminate (failing), else insecure, else warning (expiry), else secure. */
  status: DiagramStatus;
}

function labelsOf(name: string): string[] {
  const n = name.replace(/\.$/, '').toLowerCase();
  return n === '' ? [] : n.split('.');
}

function absolute(name: string): string {
  return name === '.' || name === '' ? '.' : `${name.replace(/\.$/, '')}.`;
}

/** Is `name` equal to or below `zone`? (case-insensitive, presentation form) */
export function isAtOrBelow(name: string, zone: string): boolean {
  const a = labelsOf(name);
  const z = labelsOf(zone);
  if (z.length > a.length) return false;
  return z.every((l, i) => l === a[a.length - z.length + i]);
}

const FAILED = (s: SecurityState) => s === 'bogus' || s === 'indeterminate';

function uniq(xs: number[]): number[] {
  return [...new Set(xs)];
}

function zoneNode(l: DiagramZoneInput, alias: boolean, now: number, warnDays: number): DiagramZoneNode {
  const keys = [...l.keys]
    .sort((a, b) => Number(b.sep) - Number(a.sep) || a.keyTag - b.keyTag)
    .map((k) => ({ keyTag: k.keyTag, algorithm: k.algorithm, role: k.sep ? ('ksk' as const) : ('zsk' as const) }));
  return {
    kind: 'zone',
    zone: absolute(l.zone),
    state: l.state,
    anchor: l.anchor === true,
    dsTags: uniq(l.ds.map((d) => d.keyTag)),
    digestTypes: uniq(l.ds.map((d) => d.digestType)),
    keys,
    algorithms: uniq([...l.keys.map((k) => k.algorithm), ...l.ds.map((d) => d.algorithm)]),
    expiresAt: l.expiresAt,
    expiring: l.state === 'secure' && expiresSoon(l.expiresAt, now, warnDays),
    alias,
    failing: false,
    reasonCode: l.reasonCode ?? null,
    reason: l.reason ?? null,
  };
}

/**
 * Builds the picture's model. Zones are drawn root first: first the ancestors of the host (each
 * the child of the one above), then zones reached through CNAME/DNAME links (alias edges).
 */
export function buildChainDiagram(input: DiagramInput): ChainDiagram {
  const seen = new Set<string>();
  const chain = input.chain.filter((l) => {
    const k = absolute(l.zone).toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const depth = (z: string) => labelsOf(z).length;
  const ancestors = chain.filter((l) => isAtOrBelow(input.host, l.zone)).sort((a, b) => depth(a.zone) - depth(b.zone));
  const others = chain.filter((l) => !isAtOrBelow(input.host, l.zone));

  const nodes: DiagramNode[] = [
    ...ancestors.map((l) => zoneNode(l, false, input.now, input.warnDays)),
    ...others.map((l) => zoneNode(l, true, input.now, input.warnDays)),
  ];
  const rrsets = input.rrsets.map((r) => ({ ...r, records: [...(r.records ?? [])], failing: false }));
  const nameState: SecurityState = rrsets.some((r) => r.state === 'bogus')
    ? 'bogus'
    : rrsets.some((r) => r.state === 'indeterminate')
      ? 'indeterminate'
      : rrsets.some((r) => r.state === 'insecure')
        ? 'insecure'
        : 'secure';
  const nameNode: DiagramNameNode = { kind: 'name', name: absolute(input.host), state: nameState, rrsets, failing: false };
  nodes.push(nameNode);

  const edges: DiagramEdge[] = [];
  for (let i = 1; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.kind === 'name') {
      edges.push({ from: i - 1, to: i, kind: 'data', state: n.state, failing: false, dsTags: [] });
      continue;
    }
    const kind: DiagramEdgeKind = n.alias ? 'alias' : n.state === 'insecure' && n.dsTags.length === 0 ? 'insecure-delegation' : 'delegation';
    edges.push({ from: i - 1, to: i, kind, state: n.state, failing: false, dsTags: n.dsTags });
  }

  // The failing step: the first zone that is bogus/indeterminate, else the first failing RRset.
  let failing: ChainDiagram['failing'] = null;
  const badZone = nodes.findIndex((n) => n.kind === 'zone' && FAILED(n.state));
  if (badZone >= 0) {
    const z = nodes[badZone] as DiagramZoneNode;
    z.failing = true;
    failing = { index: badZone, reasonCode: z.reasonCode, reason: z.reason };
  } else {
    const bad = rrsets.find((r) => FAILED(r.state));
    if (bad) {
      bad.failing = true;
      nameNode.failing = true;
      failing = { index: nodes.length - 1, reasonCode: bad.reasonCode ?? null, reason: bad.reason ?? null };
    }
  }
  if (failing) {
    const e = edges.find((x) => x.to === failing.index);
    if (e) e.failing = true;
  }

  const warnings = expiringZones(
    nodes.flatMap((n) => (n.kind === 'zone' && n.state === 'secure' ? [{ zone: n.zone, expiresAt: n.expiresAt }] : [])),
    input.now,
    input.warnDays,
  );
  const states = nodes.map((n) => n.state);
  const status: DiagramStatus = failing
    ? (nodes[failing.index].state === 'indeterminate' ? 'indeterminate' : 'bogus')
    : states.includes('insecure')
      ? 'insecure'
      : warnings.length > 0
        ? 'warning'
        : 'secure';
  return { host: absolute(input.host), nodes, edges, failing, warnings, status };
}
