/**
 * A lying DoH resolver for hostile-resolver tests: every answer comes from the real world's
 * resolver (unbound DoH), then an attack rewrites it before the validator sees it.
 *
 * The lie is told on the wire, below the DoH client: the real response bytes are parsed, the
 * attack mutates the Message (or returns raw bytes), the result is serialised with buildMessage
 * and handed to a real `DohClient`, which parses it again and applies its own checks (QR, id,
 * question echo). So the validator only ever sees what a real hostile resolver could send.
 */
import { readFileSync } from 'node:fs';
import { httpsFetch, type Http2Fetch } from '../../src/cli/https-fetch';
import { parseTrustAnchors, type TrustAnchor } from '../../src/core/dnssec/anchors';
import type { QueryResolver } from '../../src/core/dnssec/fetcher';
import type { LookupResult } from '../../src/core/dnssec/result';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient, type DohResult, type FetchLike } from '../../src/core/transport/doh';
import { canonicalName, nameToWire, namesEqual, parseName } from '../../src/core/wire/name';
import { buildMessage, parseMessage } from '../../src/core/wire/packet';
import { ipv4Bytes } from '../../src/core/wire/rdata';
import { RRType, type Message, type Name, type RR, type RRSIGData } from '../../src/core/wire/types';
import { readWorld } from '../world/world.mjs';

export interface Question {
  name: Name;
  type: number;
}

export interface AttackTools {
  /** The untouched real answer of the world's resolver for another question (a fresh copy). */
  honest(name: string, type: number): Promise<Message>;
}

/**
 * Rewrites one real answer. Return the (mutated) message, raw bytes to send instead, or
 * undefined to pass the real answer through unchanged.
 */
export type Attack = (msg: Message, q: Question, tools: AttackTools) => Message | Uint8Array | undefined | Promise<Message | Uint8Array | undefined>;

export interface WorldSetup {
  anchors: TrustAnchor[];
  fetch: Http2Fetch;
  dohUrl: string;
}

let shared: WorldSetup | null = null;

/** World CA, root anchor and one HTTP/2 fetch to unbound's DoH (shared by all tests of a file). */
export function worldSetup(): WorldSetup {
  if (shared) return shared;
  const world = readWorld();
  const parsed = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
  if (!parsed.ok) throw new Error(`world trust anchor: ${JSON.stringify(parsed.errors)}`);
  shared = { anchors: parsed.anchors, fetch: httpsFetch({ ca: readFileSync(world.ca) }), dohUrl: world.resolvers.unbound.doh };
  return shared;
}

/** Honest answers, memoised per question as raw bytes (each caller gets its own parsed copy). */
export class HonestSource {
  private readonly memo = new Map<string, Promise<Uint8Array>>();
  readonly client: DohClient;

  constructor(fetch: FetchLike, url: string) {
    this.client = new DohClient({ urls: [url], fetch });
  }

  bytes(name: string, type: number): Promise<Uint8Array> {
    const n = parseName(name);
    if (n === null) throw new TypeError(`bad name ${name}`);
    const key = `${canonicalName(n)}/${type}`;
    let p = this.memo.get(key);
    if (!p) {
      p = this.client.query(n, type).then((r) => {
        if (!r.ok) throw new Error(`honest query ${name}/${type} failed: ${r.error.kind} ${r.error.message}`);
        return r.bytes;
      });
      this.memo.set(key, p);
    }
    return p;
  }

  async message(name: string, type: number): Promise<Message> {
    return parseMessage(await this.bytes(name, type));
  }
}

/** Decode the question of a DoH request (POST body or GET ?dns=). */
function requestQuestion(input: string, body: Uint8Array | undefined): Question | null {
  let wire = body;
  if (!wire) {
    const dns = new URL(input).searchParams.get('dns');
    if (!dns) return null;
    wire = Uint8Array.from(Buffer.from(dns, 'base64url'));
  }
  const q = parseMessage(wire).question[0];
  return q ? { name: q.name, type: q.type } : null;
}

/**
 * A FetchLike that forwards to `inner` and rewrites every DNS response body with `attack`.
 * `log` receives each question and whether the attack changed it.
 */
export function lyingFetch(inner: FetchLike, attack: Attack, tools: AttackTools, log?: (q: Question, changed: boolean) => void): FetchLike {
  return async (input, init) => {
    const res = await inner(input, init);
    const q = requestQuestion(input, init.body);
    if (!q || res.status !== 200) return res;
    const real = new Uint8Array(await res.arrayBuffer());
    let out: Uint8Array = real;
    const mutated = await attack(parseMessage(real), q, tools);
    if (mutated instanceof Uint8Array) out = mutated;
    else if (mutated) out = buildMessage(mutated);
    log?.(q, out !== real);
    const body = out.slice().buffer as ArrayBuffer;
    return {
      ok: true,
      status: 200,
      headers: {
        get: (n: string) => (n.toLowerCase() === 'content-length' ? String(out.length) : res.headers.get(n)),
      },
      arrayBuffer: async () => body,
    };
  };
}

/** The QueryResolver of the tests: a real DohClient whose transport lies. */
export class LyingResolver implements QueryResolver {
  readonly client: DohClient;
  /** Questions sent, in order, with whether their answer was rewritten. */
  readonly log: (Question & { changed: boolean })[] = [];

  constructor(attack: Attack, honest: HonestSource, setup: WorldSetup = worldSetup()) {
    const tools: AttackTools = { honest: (n, t) => honest.message(n, t) };
    const fetch = lyingFetch(setup.fetch, attack, tools, (q, changed) => this.log.push({ ...q, changed }));
    // No retries: a lie is not a transient failure.
    this.client = new DohClient({ urls: [setup.dohUrl], fetch, retries: 0 });
  }

  query(name: Name, type: number): Promise<DohResult> {
    return this.client.query(name, type);
  }
}

/** A fresh (cold-cache) validator behind a lying resolver. */
export function lyingValidator(attack: Attack, honest: HonestSource, setup: WorldSetup = worldSetup()): { validator: Validator; resolver: LyingResolver } {
  const resolver = new LyingResolver(attack, honest, setup);
  return { validator: new Validator({ resolver, anchors: setup.anchors }), resolver };
}

/** One lookup through a fresh validator behind `attack`. */
export async function lookupThrough(attack: Attack, honest: HonestSource, name: string, type: number): Promise<LookupResult & { log: LyingResolver['log'] }> {
  const { validator, resolver } = lyingValidator(attack, honest);
  const n = parseName(name);
  if (n === null) throw new TypeError(`bad name ${name}`);
  const r = await validator.lookup(n, type);
  return { ...r, log: resolver.log };
}

// ---------------------------------------------------------------------------------------------
// Attack building blocks (all pure: they return new objects)
// ---------------------------------------------------------------------------------------------

/** Does `q` ask for `name`/`type`? */
export function asks(q: Question, name: string, type: number): boolean {
  return q.type === type && namesEqual(q.name, parseName(name)!);
}

/** Only rewrite the answer to `name`/`type`; pass everything else through. */
export function on(name: string, type: number, attack: Attack): Attack {
  return (msg, q, tools) => (asks(q, name, type) ? attack(msg, q, tools) : undefined);
}

export function isSig(rr: RR): rr is RR<RRSIGData> {
  return rr.type === RRType.RRSIG && rr.data.kind === 'RRSIG';
}

/** RRSIGs in `section` covering `type` (any owner when `owner` is omitted). */
export function sigsCovering(section: RR[], type: number, owner?: string): RR<RRSIGData>[] {
  return section.filter((rr): rr is RR<RRSIGData> => isSig(rr) && rr.data.typeCovered === type && (owner === undefined || namesEqual(rr.name, parseName(owner)!)));
}

export function recordsOf(section: RR[], type: number, owner?: string): RR[] {
  return section.filter((rr) => rr.type === type && (owner === undefined || namesEqual(rr.name, parseName(owner)!)));
}

export function rename<T extends RR>(rr: T, owner: string): T {
  return { ...rr, name: parseName(owner)! };
}

export function withRdata<T extends RR>(rr: T, rdata: Uint8Array): T {
  return { ...rr, rdata };
}

export function aRdata(ip: string): Uint8Array {
  return ipv4Bytes(ip)!;
}

/** An unsigned A record. */
export function aRecord(owner: string, ip: string, ttl = 300): RR {
  return { name: parseName(owner)!, type: RRType.A, class: 1, ttl, rdata: aRdata(ip), data: { kind: 'A', address: ip } };
}

/** A CNAME record (rdata is the uncompressed target). */
export function cnameRecord(owner: string, target: string, ttl = 300): RR {
  const t = parseName(target)!;
  return { name: parseName(owner)!, type: RRType.CNAME, class: 1, ttl, rdata: nameToWire(t), data: { kind: 'CNAME', target: t } };
}

/** Flip bits of one rdata octet (default: the last one). */
export function flipByte(rdata: Uint8Array, at = rdata.length - 1, mask = 0x01): Uint8Array {
  const out = rdata.slice();
  out[at] ^= mask;
  return out;
}

/** An RRSIG with its Type Covered field replaced (RFC 4034 §3.1: the first two RDATA octets). */
export function retype(sig: RR<RRSIGData>, typeCovered: number): RR<RRSIGData> {
  const rdata = sig.rdata.slice();
  rdata[0] = typeCovered >> 8;
  rdata[1] = typeCovered & 0xff;
  return { ...sig, rdata, data: { ...sig.data, typeCovered } };
}

/** Swap the case of ASCII letters in every label of a name: "www.Alg13.test." → "WWW.aLG13.TEST.". */
export function swapCase(name: Name): Name {
  return name.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}

/** Upper-case ASCII letters inside an uncompressed wire name starting at `pos` of `rdata`. */
export function upcaseWireName(rdata: Uint8Array, pos = 0): Uint8Array {
  const out = rdata.slice();
  let p = pos;
  while (p < out.length && out[p] !== 0) {
    const len = out[p];
    for (let i = p + 1; i <= p + len && i < out.length; i++) if (out[i] >= 0x61 && out[i] <= 0x7a) out[i] -= 0x20;
    p += len + 1;
  }
  return out;
}

/**
 * A FetchLike that answers every DoH request from `honest` (real world answers, fetched once and
 * memoised) after `transform` had its way with the bytes: a fast, deterministic lying transport
 * for fuzzing (no second round trip per run).
 */
export function replayFetch(honest: HonestSource, transform: (q: Question, bytes: Uint8Array) => Uint8Array): FetchLike {
  return async (input, init) => {
    const q = requestQuestion(input, init.body);
    if (!q) return { ok: false, status: 400, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) };
    const out = transform(q, await honest.bytes(q.name, q.type));
    const body = out.slice().buffer as ArrayBuffer;
    return {
      ok: true,
      status: 200,
      headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? 'application/dns-message' : n.toLowerCase() === 'content-length' ? String(out.length) : null) },
      arrayBuffer: async () => body,
    };
  };
}
