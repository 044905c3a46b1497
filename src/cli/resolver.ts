/**
 * The validator as the `check` CLI builds it — DoH over one warm HTTP/2 session (https-fetch.ts),
 * the chosen trust anchors, negative anchors and clock — shared by a single check and by
 * `check --batch` (one validator for the whole batch, so the root and TLD keys are fetched once).
 * `observe` sees every DoH result: the CLI uses it to tell "the resolver never answered" (exit 3,
 * or a batch line's `error`) from a verdict.
 */
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
}

/** True when a DoH result shows the resolver answered (a malformed answer is still an answer). */
export const answered = (r: DohResult): boolean => r.ok || r.error.kind === 'malformed';

export function cliValidator(
  s: ResolverSettings,
  observe: (r: DohResult) => void,
  tune: { cacheSize?: number; maxStreams?: number } = {},
): CliValidator {
  const fetch = httpsFetch(tune.maxStreams !== undefined ? { maxStreams: tune.maxStreams } : {});
  const doh = new DohClient({ urls: [s.resolver], method: s.method, fetch });
  const resolver = {
    async query(name: string, type: number): Promise<DohResult> {
      const r = await doh.query(name, type);
      observe(r);
      return r;
    },
  };
  const now = s.now;
  const validator = new Validator({
    resolver,
    anchors: s.anchors,
    negativeAnchors: s.negativeAnchors,
    now: now !== undefined ? () => now : undefined,
    cacheSize: tune.cacheSize,
  });
  return { validator, fetch };
}
