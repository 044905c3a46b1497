/**
 * The validator as the `check` CLI builds it — DoH over one warm HTTP/2 session (https-fetch.ts),
 * the chosen trust anchors, negative anchors and clock — shared by a single check and by
 * `check --batch` (one validator for the whole batch, so the root and TLD keys are fetched once).
 * `observe` sees every DoH result: the CLI uses it to tell "the resolver never answered" (exit 3,
 * or a batch line's `error`) from a verdict.
 */
import { nodeCryptoBackend } from './node-crypto';
import type { TrustAnchor } from '../core/dnssec/anchors';
import { Validator } from '../core/dnssec/validator';
import { DohClient, type DohResult } from '../core/transport/doh';
import { httpsFetch, type Http2Fetch } from './https-fetch';

export interface ResolverSettings {
  resolver: string;
  method: 'GET' | 'POST';
  anchors: readonly TrustAnchor[];
  negativeAnchors: string[];
  now?: number;
}

export interface CliValidator {
  validator: Validator;
  fetch: Http2Fetch;
  /** Another validator at clock `now` (ms) over the same resolver (`--days`, with `remember`). */
  at: (now: number) => Validator;
}

/** True when a DoH result shows the resolver answered (a malformed answer is still an answer). */
export const answered = (r: DohResult): boolean => r.ok || r.error.kind === 'malformed';

export function cliValidator(
  s: ResolverSettings,
  observe: (r: DohResult) => void,
  /** `remember`: one answer per question for the whole run, so later clocks judge the same answers (`--days`). */
  tune: { cacheSize?: number; maxStreams?: number; remember?: boolean } = {},
): CliValidator {
  const fetch = httpsFetch(tune.maxStreams !== undefined ? { maxStreams: tune.maxStreams } : {});
  const doh = new DohClient({ urls: [s.resolver], method: s.method, fetch });
  const ask = async (name: string, type: number): Promise<DohResult> => {
    const r = await doh.query(name, type);
    observe(r);
    return r;
  };
  // Failed questions are not remembered: a later judgement asks again.
  const answers = tune.remember ? new Map<string, Promise<DohResult>>() : null;
  const resolver = {
    query(name: string, type: number): Promise<DohResult> {
      if (!answers) return ask(name, type);
      const key = `${name.toLowerCase()}/${type}`;
      let p = answers.get(key);
      if (!p) {
        p = ask(name, type).then((r) => {
          if (!answered(r)) answers.delete(key);
          return r;
        });
        answers.set(key, p);
      }
      return p;
    },
  };
  const make = (now: number | undefined) =>
    new Validator({
      resolver,
      anchors: s.anchors,
      negativeAnchors: s.negativeAnchors,
      now: now !== undefined ? () => now : undefined,
      cacheSize: tune.cacheSize,
      signatures: nodeCryptoBackend,
    });
  return { validator: make(s.now), fetch, at: make };
}
