/**
 * Fuzzing the validator with mutated real answers of the test world (fast-check).
 *
 * Each run picks a lookup, one of the questions that lookup asks, and a list of mutations (byte
 * flips, truncation, record moves/drops/duplicates, section shuffles, 0x20 case, TTL and RCODE
 * changes). The victim's real answer is mutated on the wire; every other answer is the real one.
 * Properties:
 *   - a verdict always comes out (no throw), within a per-run time guard;
 *   - a secure verdict only where the real lookup is secure, with the real class and records;
 *   - when the victim's answer is one the verdict depends on (found once per lookup by answering
 *     it REFUSED), `secure` is allowed only if the mutated message still parses and still has the
 *     same signed RRsets: those of the answer section and the NSEC/NSEC3 of the authority section
 *     (owner case-insensitive, rdata; duplicates, RRSIGs, TTLs and order not compared; unsigned
 *     extras at other owners/types ignored, as a validator must). A mutation that changed signed
 *     data must never stay secure. (One legitimate exception: the mutation removed a CNAME/DNAME
 *     target's data and the validator asked for the target itself.)
 * Runs: FUZZ_RUNS (default 300). FUZZ_SEED replays a failing seed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { nodeCryptoBackend } from '../../src/cli/node-crypto';
import type { SignatureBackend } from '../../src/core/dnssec/algorithms';
import type { QueryResolver } from '../../src/core/dnssec/fetcher';
import type { LookupResult } from '../../src/core/dnssec/result';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { canonicalName, parseName, questionKey, rrsigLabelCount } from '../../src/core/wire/name';
import { buildMessage, parseMessage } from '../../src/core/wire/packet';
import { RRType, type Message, type RR } from '../../src/core/wire/types';
import { HonestSource, replayFetch, swapCase, worldSetup, type Question } from './lying-resolver';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const RUN_TIMEOUT_MS = 15_000;

const { A, TLSA, TXT, NSEC, NSEC3, RRSIG } = RRType;
const TARGETS: [string, number][] = [
  ['www.alg13.test', A],
  ['_443._tcp.www.alg13.test', TLSA],
  ['nx.alg13.test', A],
  ['txt.alg13.test', A],
  ['www.alg8.test', A],
  ['www.nsec3.test', A],
  ['nx.nsec3.test', A],
  ['txt.nsec3salt.example', A],
  ['anything.wild.test', A],
  ['foo.txtwild.wild.example', TXT],
  ['alias.cname.test', A],
  ['www.sub.cname.test', A],
  ['_443._tcp.rollover.dane.test', TLSA],
  ['nx.optout.example', A],
  ['www.insecure.test', A],
];

const setup = worldSetup();
const honest = new HonestSource(setup.fetch, setup.dohUrl);

interface Target {
  name: string;
  type: number;
  original: LookupResult;
  /** Every question the lookup asks, and whether the verdict depends on its answer. */
  questions: (Question & { key: string; essential: boolean })[];
}
const targets: Target[] = [];
const stats = { runs: 0, changed: 0, strict: 0, refetched: 0, byState: {} as Record<string, number> };

const key = (q: Question) => questionKey(q.name, q.type);

/** A cold validator whose transport answers from the world through `transform`; `asked` logs each question as it is sent. */
function validatorWith(transform: (q: Question, bytes: Uint8Array) => Uint8Array, asked?: Set<string>, signatures?: SignatureBackend): Validator {
  const client = new DohClient({ urls: [setup.dohUrl], fetch: replayFetch(honest, transform), retries: 0 });
  const resolver: QueryResolver = { query: (name, type) => (asked?.add(key({ name, type })), client.query(name, type)) };
  return new Validator({ resolver, anchors: setup.anchors, signatures });
}

const verdictOf = (r: LookupResult) => `${r.state}/${r.result}/${recordSet(r.records).join(',')}`;

beforeAll(async () => {
  for (const [name, type] of TARGETS) {
    const asked = new Set<string>();
    const original = await validatorWith((_q, b) => b, asked).lookup(parseName(name)!, type);
    const questions: Target['questions'] = [];
    for (const k of asked) {
      const q: Question = { name: k.slice(0, k.lastIndexOf('/')), type: Number(k.slice(k.lastIndexOf('/') + 1)) };
      const refused = (x: Question, b: Uint8Array) => {
        if (key(x) !== key(q)) return b;
        const m = parseMessage(b);
        return buildMessage({ ...m, header: { ...m.header, rcode: 5 }, answer: [], authority: [], additional: [] });
      };
      const r = await validatorWith(refused).lookup(parseName(name)!, type);
      questions.push({ ...q, key: key(q), essential: verdictOf(r) !== verdictOf(original) });
    }
    targets.push({ name, type, original, questions });
  }
}, 60_000);

afterAll(() => {
  console.log(
    `fuzz: ${stats.runs} inputs; verdicts ${JSON.stringify(stats.byState)}; ${stats.changed} changed signed data the verdict depends on (none may be secure); ` +
      `${stats.strict} secure with a mutated answer the verdict depends on ` +
      `(${stats.refetched} re-fetched the target); ` +
      `${targets.reduce((n, t) => n + t.questions.length, 0)} distinct questions over ${targets.length} lookups` +
      (process.env.FUZZ_DEBUG ? `\n${targets.map((t) => `${t.name}/${t.type} ${t.original.state}/${t.original.result}: ${t.questions.map((q) => `${q.key}${q.essential ? '*' : ''}`).join(' ')}`).join('\n')}` : ''),
  );
  setup.fetch.close();
});

// --- mutations -----------------------------------------------------------------------------------

type Section = 'answer' | 'authority' | 'additional';
type Op =
  | { kind: 'flip'; pos: number; xor: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'drop' | 'dup' | 'case'; section: Section; index: number }
  | { kind: 'move'; from: Section; index: number; to: Section }
  | { kind: 'shuffle'; section: Section; seed: number }
  | { kind: 'ttl'; section: Section; index: number; ttl: number }
  | { kind: 'rcode'; rcode: number }
  | { kind: 'flags'; ad: boolean; tc: boolean };

const section = fc.constantFrom<Section>('answer', 'authority', 'additional');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'dup' as const, 'case' as const), section, index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), from: section, index: fc.nat(), to: section }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shuffle' as const), section, seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ttl' as const), section, index: fc.nat(), ttl: fc.nat({ max: 0x7fffffff }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rcode' as const), rcode: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flags' as const), ad: fc.boolean(), tc: fc.boolean() }) },
);

function shuffled<T>(xs: T[], seed: number): T[] {
  const out = xs.slice();
  let s = seed | 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function applyRecordOp(m: Message, o: Op): Message {
  const pick = (s: Section, i: number) => (m[s].length ? i % m[s].length : -1);
  switch (o.kind) {
    case 'drop': {
      const i = pick(o.section, o.index);
      return i < 0 ? m : { ...m, [o.section]: m[o.section].filter((_, j) => j !== i) };
    }
    case 'dup': {
      const i = pick(o.section, o.index);
      return i < 0 ? m : { ...m, [o.section]: [...m[o.section].slice(0, i + 1), ...m[o.section].slice(i)] };
    }
    case 'case': {
      const i = pick(o.section, o.index);
      return i < 0 ? m : { ...m, [o.section]: m[o.section].map((rr, j) => (j === i ? { ...rr, name: swapCase(rr.name) } : rr)) };
    }
    case 'move': {
      const i = pick(o.from, o.index);
      if (i < 0) return m;
      const rr = m[o.from][i];
      const without = { ...m, [o.from]: m[o.from].filter((_, j) => j !== i) };
      return { ...without, [o.to]: [...without[o.to], rr] };
    }
    case 'shuffle':
      return { ...m, [o.section]: shuffled(m[o.section], o.seed) };
    case 'ttl': {
      const i = pick(o.section, o.index);
      return i < 0 ? m : { ...m, [o.section]: m[o.section].map((rr, j) => (j === i ? { ...rr, ttl: o.ttl } : rr)) };
    }
    case 'rcode':
      return { ...m, header: { ...m.header, rcode: o.rcode } };
    case 'flags':
      return { ...m, header: { ...m.header, ad: o.ad, tc: o.tc } };
    default:
      return m;
  }
}

/** Record-level operations first (on the parsed message), then byte-level ones. */
function mutate(bytes: Uint8Array, ops: Op[]): Uint8Array {
  let m = parseMessage(bytes);
  for (const o of ops) m = applyRecordOp(m, o);
  let out = buildMessage(m);
  for (const o of ops) {
    if (o.kind === 'flip' && out.length > 0) {
      out = out.slice();
      out[o.pos % out.length] ^= o.xor;
    } else if (o.kind === 'truncate') {
      out = out.slice(0, Math.floor(out.length * o.keep));
    }
  }
  return out;
}

// --- the oracle ----------------------------------------------------------------------------------

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const rrKey = (rr: RR) => `${canonicalName(rr.name)} ${rr.class} ${rr.type} ${hex(rr.rdata)}`;
function recordSet(rrs: RR[]): string[] {
  return [...new Set(rrs.map(rrKey))].sort();
}
/**
 * What the message says, as far as DNSSEC can vouch for it: the RRsets of the original answer
 * section that carry an RRSIG there, and — for a negative answer or a wildcard expansion, where
 * they are the proof — the signed NSEC/NSEC3 RRsets of its authority section (the SOA of a
 * negative answer is signed but never needed, RFC 4035 §5.4; the NODATA proof of a CNAME target
 * is not needed by a DS walk that stops at the CNAME). Records a mutation adds at other owners or
 * types are extras a validator must ignore, so they are not compared.
 */
function signedSets(original: Message): { section: 'answer' | 'authority'; owner: string; type: number }[] {
  const out: { section: 'answer' | 'authority'; owner: string; type: number }[] = [];
  const answerSigs = original.answer.filter((rr) => rr.type === RRSIG && rr.data.kind === 'RRSIG');
  const proofNeeded = answerSigs.length === 0 || answerSigs.some((rr) => rr.data.kind === 'RRSIG' && rr.data.labels < rrsigLabelCount(rr.name));
  for (const section of ['answer', 'authority'] as const) {
    for (const sig of original[section]) {
      if (sig.type !== RRSIG || sig.data.kind !== 'RRSIG') continue;
      const type = sig.data.typeCovered;
      if (section === 'authority' && (!proofNeeded || (type !== NSEC && type !== NSEC3))) continue;
      const owner = canonicalName(sig.name);
      if (!out.some((x) => x.section === section && x.owner === owner && x.type === type)) out.push({ section, owner, type });
    }
  }
  return out;
}
function dataOf(m: Message, sets: ReturnType<typeof signedSets>): string[] {
  return sets.map((s) => `${s.section} ${recordSet(m[s.section].filter((rr) => rr.type === s.type && canonicalName(rr.name) === s.owner)).join(' ')}`);
}

function changedData(realBytes: Uint8Array, mutatedBytes: Uint8Array): boolean {
  const real = parseMessage(realBytes);
  try {
    return JSON.stringify(dataOf(parseMessage(mutatedBytes), signedSets(real))) !== JSON.stringify(dataOf(real, signedSets(real)));
  } catch {
    return true;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no verdict within ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

test(`mutated real answers never stay secure (${RUNS} runs)`, async () => {
  const input = fc.record({
    target: fc.nat(),
    victim: fc.nat(),
    own: fc.boolean(),
    // Half the runs verify signatures as the CLI does (node:crypto), the others as browsers (WebCrypto).
    nodeCrypto: fc.boolean(),
    ops: fc.array(op, { minLength: 1, maxLength: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(input, async ({ target: ti, victim: vi, own, nodeCrypto, ops }) => {
      const t = targets[ti % targets.length];
      // Half of the runs attack the lookup's own question, the others any question it asks.
      const victim = own ? t.questions.find((q) => q.key === key({ name: parseName(t.name)!, type: t.type }))! : t.questions[vi % t.questions.length];
      const realBytes = await honest.bytes(victim.name, victim.type);
      const mutatedBytes = mutate(realBytes, ops);
      const asked = new Set<string>();
      const v = validatorWith((q, b) => (key(q) === victim.key ? mutatedBytes : b), asked, nodeCrypto ? nodeCryptoBackend : undefined);
      const what = `${t.name}/${t.type} with ${victim.key} mutated by ${JSON.stringify(ops)} (${nodeCrypto ? 'node:crypto' : 'WebCrypto'})`;
      const r = await withTimeout(v.lookup(parseName(t.name)!, t.type), RUN_TIMEOUT_MS, what);

      stats.runs++;
      stats.byState[r.state] = (stats.byState[r.state] ?? 0) + 1;
      if (victim.essential && changedData(realBytes, mutatedBytes)) stats.changed++;
      expect(['secure', 'insecure', 'bogus', 'indeterminate'], what).toContain(r.state);
      if (r.state !== 'secure') return;

      // Secure: only where the real lookup is secure, and with the real data.
      expect(t.original.state, `secure although the real answer is not: ${what}`).toBe('secure');
      expect(`${r.result} ${recordSet(r.records).join(' ')}`, `secure with other data: ${what}`).toBe(`${t.original.result} ${recordSet(t.original.records).join(' ')}`);
      if (!victim.essential) return;
      stats.strict++;
      let reparsed: Message | null = null;
      try {
        reparsed = parseMessage(mutatedBytes);
      } catch {
        reparsed = null;
      }
      expect(reparsed, `secure although the answer it depends on no longer parses: ${what}`).not.toBeNull();
      // The one legitimate way out: the mutation removed the data of a CNAME/DNAME target from this
      // answer and the validator asked for the target itself (it prefetches CNAME targets from the
      // raw answer, so the question may be part of the real lookup too); the data check above holds.
      const refetched = t.original.links.some((l) => asked.has(key({ name: l.target, type: t.type })));
      if (refetched) stats.refetched++;
      else {
        const real = parseMessage(realBytes);
        expect(dataOf(reparsed!, signedSets(real)), `secure although the data changed: ${what}`).toEqual(dataOf(real, signedSets(real)));
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  expect(stats.runs).toBe(RUNS);
}, 120_000);
