/**
 * The replayed cold verdicts of bench/cpu.ts as a runtime-neutral module (no Node API): the same
 * code runs in Node (bench/cpu-phases.ts) and, bundled, in a Chromium page, with that runtime's
 * WebCrypto. The fixture (src/core/dnssec/fixtures/replay/world.json) is passed in.
 */
import type { SignatureBackend } from '../src/core/dnssec/algorithms';
import { validateHost } from '../src/core/check';
import { parseTrustAnchors } from '../src/core/dnssec/anchors';
import type { QueryResolver } from '../src/core/dnssec/fetcher';
import { Validator } from '../src/core/dnssec/validator';
import type { DohResult } from '../src/core/transport/doh';
import { fromBase64 } from '../src/core/util/encoding';
import { canonicalName, parseName } from '../src/core/wire/name';
import { parseMessage } from '../src/core/wire/packet';

export interface ReplayFixture {
  recordedAt: string;
  anchor: string;
  cases: { id: string; host: string; port: number }[];
  responses: Record<string, string>;
}

export interface VerdictTiming {
  case: string;
  /** Wall time per verdict (the replay has no waiting: this is the work itself), ms. */
  msPerVerdict: number;
  /** Of that, time inside parseMessage (DNS wire parsing), ms per verdict. */
  parseMsPerVerdict: number;
  state: string;
}

/**
 * A fresh Validator per call over the fixture's recorded answers (raw bytes kept, parsed per query
 * as with a real resolver), with the clock pinned to the recording time. `onParse` is told how long
 * each parse took, measured with `clock`.
 */
export function replayValidators(
  fx: ReplayFixture,
  opts: { signatures?: SignatureBackend; clock?: () => number; onParse?: (ms: number) => void } = {},
): () => Validator {
  const parsed = parseTrustAnchors(fx.anchor);
  if (!parsed.ok) throw new Error('replay fixture anchor does not parse');
  const at = Date.parse(fx.recordedAt);
  const bytes = new Map<string, Uint8Array>(Object.entries(fx.responses).map(([k, v]) => [k, fromBase64(v)!]));
  const clock = opts.clock ?? (() => performance.now());
  const resolver: QueryResolver = {
    async query(name, type): Promise<DohResult> {
      const b = bytes.get(`${canonicalName(name)}/${type}`);
      if (!b) return { ok: false, error: { kind: 'network', message: 'not recorded', url: 'replay:' } };
      const t0 = opts.onParse ? clock() : 0;
      const message = parseMessage(b);
      opts.onParse?.(clock() - t0);
      return { ok: true, message, bytes: b, elapsedMs: 0, url: 'replay:' };
    },
  };
  return () => new Validator({ resolver, anchors: parsed.anchors, now: () => at, signatures: opts.signatures });
}

/** Runs `runs` cold verdicts per case (after 10 warm-up verdicts) and times them. */
export async function replayVerdicts(
  fx: ReplayFixture,
  runs: number,
  now: () => number,
  only?: string[],
  /** The platform's signature primitive (Node: node:crypto, as the CLI; browsers: WebCrypto, the default). */
  signatures?: SignatureBackend,
): Promise<VerdictTiming[]> {
  let parseMs = 0;
  const fresh = replayValidators(fx, { signatures, clock: now, onParse: (ms) => (parseMs += ms) });
  const out: VerdictTiming[] = [];
  for (const c of fx.cases) {
    if (only && !only.includes(c.id)) continue;
    const host = parseName(c.host)!;
    const once = () => validateHost(fresh(), host, c.port);
    for (let i = 0; i < 10; i++) await once();
    parseMs = 0;
    const t0 = now();
    for (let i = 0; i < runs; i++) await once();
    const wall = now() - t0;
    const last = await once();
    out.push({
      case: c.id,
      msPerVerdict: Math.round((wall / runs) * 1000) / 1000,
      parseMsPerVerdict: Math.round((parseMs / runs) * 1000) / 1000,
      state: `${last.a.state}/${last.tlsa.state}`,
    });
  }
  return out;
}

/** A V8 CPU profile (Node inspector or Chrome DevTools protocol: the same format). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export const CATEGORIES = ['parsing', 'names', 'verification', 'validator', 'gc', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Where a sample's own time goes, by the file of the function it is in:
 * parsing = src/core/wire/{packet,rdata}.ts and util/encoding.ts; names = wire/name.ts;
 * verification = the WebCrypto implementation, @noble/curves and dnssec/{algorithms,rrsig,
 * canonical,keytag,verify-once,ds}.ts (building the signed data, hashing, verifying);
 * validator = the rest of src/core (chain, proofs, caches); gc; other (runtime, scheduling).
 */
export function categorize(url: string, fn: string): Category {
  if (fn === '(garbage collector)') return 'gc';
  if (/wire\/(packet|rdata)\.ts|util\/encoding\.ts/.test(url)) return 'parsing';
  if (/wire\/name\.ts/.test(url)) return 'names';
  if (/dnssec\/(algorithms|rrsig|canonical|keytag|verify-once|ds)\.ts|cli\/node-crypto\.ts|@noble|noble|internal\/crypto|crypto\//.test(url)) return 'verification';
  if (/src\/core\/|bench\/cpu-verdicts/.test(url)) return 'validator';
  // Native WebCrypto frames in Chromium have no URL; their time shows up as "other".
  return 'other';
}

/** Self time per category in ms, from a profile taken around `verdicts` verdicts: ms per verdict. */
export function breakdown(p: CpuProfile, verdicts: number, sourceOf: (url: string, line: number) => string = (u) => u): Record<Category, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const ms = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    ms[categorize(sourceOf(n.callFrame.url, n.callFrame.lineNumber), n.callFrame.functionName)] += p.timeDeltas[i]! / 1000;
  }
  for (const c of CATEGORIES) ms[c] = Math.round((ms[c] / verdicts) * 1000) / 1000;
  return ms;
}
