import type { SignatureBackend } from './algorithms';
import type { Fetcher } from './fetcher';

/**
 * Everything one verdict needs besides the long-lived validator state: the per-verdict fetcher,
 * the validation time and the work budgets (named limits in limits.ts), and a memo so that
 * lookups made for the same verdict (A, AAAA, TLSA) share each zone's verification.
 */
export interface VerdictContext {
  fetcher: Fetcher;
  /** Validation time, seconds since the epoch (RFC 4034 §3.1.5 comparisons use it). */
  now: number;
  budget: { cryptoOps: number; hashes: number };
  memo: Map<string, Promise<unknown>>;
  /** The platform's signature primitive (ValidatorOptions.signatures; default WebCrypto). */
  signatures?: SignatureBackend;
  /** Called with each CNAME target seen in a raw answer to a `qtype` question, before verification (prefetch hook). */
  onLink?: (target: import('../wire/types').Name, qtype: number) => void;
}

/** Run `fn` once per key and verdict; concurrent callers share the promise. */
export function once<T>(ctx: VerdictContext, key: string, fn: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fn();
    ctx.memo.set(key, p);
  }
  return p;
}
