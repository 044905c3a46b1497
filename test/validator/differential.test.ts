/**
 * Agreement with the reference validators on questions no catalogue case asks (cases the
 * validator was never tuned on): names and types drawn with a fixed seed from the world's own zone
 * files — existing names with types they may lack, names that do not exist, names below existing
 * ones (wildcards, empty non-terminals), the apex with a type it lacks — in every zone of the
 * world but the resource-limit ones. Each question is judged by delv (+cdflag, BIND's validator)
 * and unbound-host (libunbound, recursing itself); where both agree, our validator (through the
 * world's unbound over DoH, cold) must say the same: state, and answer class unless bogus; and it
 * must say the same through BIND's DoH.
 * Where the two references knowingly disagree with each other (Ed448 in libunbound, opt-out
 * NXDOMAIN in delv), ours must follow the one named with the reason; any other disagreement fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { httpsFetch } from '../../src/cli/https-fetch';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { RRType } from '../../src/core/wire/types';
import { parseDelv, parseUnboundHost, type ReferenceVerdict } from '../support/references';
import { seededRandom } from '../support/seeded-random';
import { mapLimit, run } from '../world/lib/proc.mjs';
import { readCatalogue, readWorld } from '../world/world.mjs';

const world = readWorld();
const catalogue = readCatalogue();
const anchors = (() => {
  const p = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
  if (!p.ok) throw new Error('world trust anchor');
  return p.anchors;
})();
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });
afterAll(() => fetch.close());

/**
 * Zones left out, and why: their limits are judged by limits.test.ts, where the references and
 * we knowingly differ (KeyTrap budgets, NSEC3 iteration caps of RFC 9276, chains deeper than a
 * validator follows), and bench.test is 500 copies of one host.
 */
const SKIP = /^(keytrap\.test|nsec3iter\.test|limits\.test|bench\.test|(.*\.)?deep\.test)$/;
const TYPES = ['A', 'AAAA', 'TXT', 'MX', 'CAA', 'SRV', 'TLSA', 'NS'] as const;
const PER_ZONE = 8;

/**
 * Owner names with data of their own in a zone of the world: its signed file (owners written in
 * full, as dnssec-signzone writes them), or the zone file of an unsigned zone (owners relative to
 * $ORIGIN, "@" for the apex). Not the NSEC3 owners (hashes that change with every world build),
 * not wildcards.
 */
function ownersOf(zone: string): string[] {
  const base = path.join(path.dirname(world.trustAnchor.zone), 'zones', zone === '.' ? 'root' : zone);
  let text: string;
  try {
    text = readFileSync(`${base}.signed`, 'utf8');
  } catch {
    try {
      text = readFileSync(`${base}.zone`, 'utf8');
    } catch {
      return [];
    }
  }
  const origin = `${zone}.`;
  const owners = new Set<string>();
  for (const line of text.split('\n')) {
    if (!/^[^\s;$]/.test(line)) continue;
    const tokens = line.split(/\s+/);
    const owner = tokens[0]!;
    const type = tokens.slice(1).find((t) => /^[A-Z][A-Z0-9]*$/.test(t) && t !== 'IN');
    if (owner.includes('*') || type === 'NSEC3' || type === 'RRSIG') continue;
    owners.add((owner === '@' ? origin : owner.endsWith('.') ? owner : `${owner}.${origin}`).toLowerCase());
  }
  return [...owners].sort();
}

interface Question {
  name: string;
  type: (typeof TYPES)[number];
}

function questions(): Question[] {
  const rnd = seededRandom(20261206); // the same questions on every run
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const label = () => `q${Math.floor(rnd() * 1e6).toString(36)}`;
  const out: Question[] = [];
  for (const z of catalogue.zones) {
    if (z.name === '.' || SKIP.test(z.name)) continue;
    const apex = `${z.name}.`;
    const owners = ownersOf(z.name).filter((o) => o.endsWith(apex) && !o.startsWith('_') && o !== apex);
    out.push({ name: apex, type: pick(['TXT', 'CAA', 'SRV'] as const) });
    out.push({ name: `${label()}.${apex}`, type: pick(TYPES) });
    for (let i = 0; i < PER_ZONE - 2 && owners.length > 0; i++) {
      const o = pick(owners);
      out.push(rnd() < 0.3 ? { name: `${label()}.${o}`, type: pick(TYPES) } : { name: o, type: pick(TYPES) });
    }
  }
  const seen = new Set<string>();
  return out.filter((q) => !seen.has(`${q.name}/${q.type}`) && seen.add(`${q.name}/${q.type}`));
}

interface Judged {
  q: Question;
  delv: ReferenceVerdict;
  unboundHost: ReferenceVerdict;
  /** Our validator through the world's unbound, and through its BIND (each over DoH, cold). */
  ours: { state: string; result: string; reason: string };
  viaBind: { state: string; result: string; reason: string };
}

const judged: Promise<Judged[]> = (async () => {
  const list = questions();
  return mapLimit(list, 6, async (q) => {
    const [d, u] = await Promise.all([
      run('delv', [`@${world.resolvers.unbound.dns}`, '-a', world.trustAnchor.bind, '+root=.', '+cdflag', q.name, q.type], { allowFail: true, timeoutMs: 20000 }),
      run('unbound-host', ['-C', world.unboundHostConf, '-v', '-t', q.type, q.name], { allowFail: true, timeoutMs: 20000 }),
    ]);
    const ours = async (r: 'unbound' | 'bind') => {
      const validator = new Validator({ resolver: new DohClient({ urls: [world.resolvers[r].doh], fetch }), anchors });
      const v = await validator.lookup(q.name, RRType[q.type]);
      return { state: v.state, result: v.result, reason: v.reason?.message ?? '' };
    };
    const [viaUnbound, viaBind] = await Promise.all([ours('unbound'), ours('bind')]);
    return { q, delv: parseDelv(d.text + d.stderr), unboundHost: parseUnboundHost(u.text + u.stderr), ours: viaUnbound, viaBind };
  });
})();

const agree = (a: ReferenceVerdict, b: ReferenceVerdict) => a.state === b.state && (a.state === 'bogus' || a.result === b.result);

/**
 * Where the references knowingly disagree with each other (the same reasons as the catalogue's
 * referenceResults), the one to follow. Any other disagreement fails the test.
 */
const KNOWN: { when: (q: Question, j: Judged) => boolean; follow: 'delv' | 'unboundHost'; why: string }[] = [
  {
    when: (q) => /(^|\.)alg16\.test\.$/.test(q.name),
    follow: 'delv',
    why: 'Debian libunbound 1.17 (unbound-host) has no Ed448 and calls the zone insecure; delv, named and the unbound daemon validate it',
  },
  {
    when: (q, j) => /(^|\.)optout\.example\.$/.test(q.name) && j.delv.result === 'nxdomain',
    follow: 'unboundHost',
    why: 'a covering opt-out NSEC3 cannot prove that no unsigned delegation exists (RFC 5155 §7.2.1 / §9.2): named answers without AD, unbound calls it insecure, only delv says secure',
  },
];

describe('questions no catalogue case asks, judged by delv and unbound-host', () => {
  test('where both references agree, our validator says the same; where they knowingly differ, it follows the one named', async () => {
    const all = await judged;
    const both = all.filter((j) => j.delv.state !== 'error' && j.unboundHost.state !== 'error' && agree(j.delv, j.unboundHost));
    const differ = all.filter((j) => !both.includes(j));
    // Enough questions, of every kind of answer, for the agreement to mean something.
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(both.length).toBeGreaterThanOrEqual(all.length * 0.9);
    const kinds = new Set(both.map((j) => `${j.delv.state} ${j.delv.state === 'bogus' ? '' : j.delv.result}`));
    for (const k of ['secure data', 'secure nodata', 'secure nxdomain', 'insecure data', 'insecure nxdomain', 'bogus ']) expect(kinds).toContain(k);
    console.log(`validator differential: ${all.length} questions, references agree on ${both.length}, knowingly differ on ${differ.length}`);
    const line = (j: Judged, ref: ReferenceVerdict) => `${j.q.name} ${j.q.type}: reference ${ref.state} ${ref.result ?? ''}, ours ${j.ours.state} ${j.ours.result} (${j.ours.reason})`;
    const differs = (j: Judged, ref: ReferenceVerdict) => j.ours.state !== ref.state || (ref.state !== 'bogus' && j.ours.result !== ref.result);
    expect(both.filter((j) => differs(j, j.delv)).map((j) => line(j, j.delv))).toEqual([]);
    const unexplained = differ.filter((j) => !KNOWN.some((k) => k.when(j.q, j)));
    expect(unexplained.map((j) => `${j.q.name} ${j.q.type}: delv ${j.delv.state} ${j.delv.result ?? ''}, unbound-host ${j.unboundHost.state} ${j.unboundHost.result ?? ''}`)).toEqual([]);
    const followed = differ.flatMap((j) => {
      const k = KNOWN.find((x) => x.when(j.q, j))!;
      return differs(j, j[k.follow]) ? [`${line(j, j[k.follow])} [${k.why}]`] : [];
    });
    expect(followed).toEqual([]);
    // Through BIND's DoH the same verdicts as through unbound's (the resolver only carries packets).
    expect(all.filter((j) => j.viaBind.state !== j.ours.state || j.viaBind.result !== j.ours.result).map((j) => `${j.q.name} ${j.q.type}: via unbound ${j.ours.state} ${j.ours.result}, via BIND ${j.viaBind.state} ${j.viaBind.result} (${j.viaBind.reason})`)).toEqual([]);
  }, 300_000);
});
