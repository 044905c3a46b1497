/**
 * Named limits of `check --batch` (src/cli/batch.ts), each with its reason. The validator's own
 * limits (per verdict) are in src/core/dnssec/limits.ts and apply to every line unchanged.
 */
export const BATCH_LIMITS = {
  /**
   * Default `--jobs`: names checked at once. A name wants ~7 queries at once (one wave, the chain
   * prefetched), so 32 names keep the per-resolver cap below (32 requests) full even when some names
   * wait on a second wave; at RTT 0 one core is busy already (bench/results/batch.md).
   */
  defaultJobs: 32,
  /**
   * Names in flight per resolver at most, whatever `--jobs` asks. Each name holds its verdict
   * context (≤ LIMITS.maxQueriesPerVerdict queries) and, with `--connect`, a TLS socket; past a
   * few hundred, a public resolver rate-limits or drops the client (Google, Cloudflare and Quad9
   * document per-client rate limits) and a 2-core machine is CPU-bound long before.
   */
  maxJobsPerResolver: 256,
  /**
   * DoH requests in flight per resolver (HTTP/2 streams on its one session). BIND 9.18 drops the
   * whole connection when a client opens more concurrent streams than it accepts (measured: 40
   * fine, 60 not; see https-fetch.ts), so stay below and queue.
   */
  maxQueriesInFlightPerResolver: 32,
  /**
   * Entries per verified-facts cache of the one validator shared by the batch (ValidatorOptions.cacheSize:
   * zones n, steps 4n, answers 2n; LRU + TTL). What a batch reuses is small: the root and TLD keys
   * (a handful of zone entries, kept hot by the LRU) and, with --mx, the MX hosts many domains share
   * (their A/AAAA/TLSA answers). Distinct names gain nothing from a bigger cache, so the validator's
   * default size: ≤ 7n entries of ~0.8 KB (steps, bench/results/latest.md) to a few KB (answers).
   */
  validatorCacheSize: 2048,
  /**
   * Lines in a row whose every query failed at the transport before the batch stops (exit 3): a dead
   * resolver would otherwise cost every remaining line its time-outs (170,000 × 2 × 5 s / jobs).
   */
  maxConsecutiveResolverFailures: 64,
  /**
   * Longest input line read as a name (bytes). A presentation-format name is at most 255 octets,
   * ×4 with \DDD escapes = 1020; a longer line is reported as a bad line without being buffered.
   */
  maxLineLength: 1024,
  /** Characters of a reason kept per report row: the report holds one compact row per input line. */
  maxReportReasonLength: 300,
  /** Rows the report renders without JavaScript (<noscript>, failing first); the full table needs JS. */
  reportStaticRows: 1000,
  /** Rows per page of the report's table (the browser renders only one page of a 170,000-row batch). */
  reportPageSize: 250,
  /** Progress line refresh on a terminal (ms). */
  progressIntervalMs: 250,
} as const;
