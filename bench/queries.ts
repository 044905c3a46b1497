/**
 * Queries per verdict (issue 14): every catalogue case judged cold (fresh validator, empty
 * caches) with validateHost (A + AAAA + TLSA) through the world's DoH front, and the number of
 * questions the validator sent for it (Fetcher.sent: each distinct question once per verdict).
 * Fewer is better: every question is a name sent out and an answer to verify. Used by
 * bench/run.ts (section "Queries per verdict"); no wall-clock figure here.
 */
import { validateHost } from '../src/core/check';
import type { TrustAnchor } from '../src/core/dnssec/anchors';
import type { QueryResolver } from '../src/core/dnssec/fetcher';
import { Validator } from '../src/core/dnssec/validator';
import { parseName } from '../src/core/wire/name';

export interface QueriesPerVerdict {
  cases: number;
  total: number;
  mean: number;
  median: number;
  max: { id: string; queries: number };
  rows: { id: string; host: string; queries: number; address: string; tlsa: string }[];
}

export async function queriesPerVerdict(
  cases: readonly { id: string; host: string; port: number }[],
  resolver: () => QueryResolver,
  anchors: readonly TrustAnchor[],
): Promise<QueriesPerVerdict> {
  const rows: QueriesPerVerdict['rows'] = [];
  for (const c of cases) {
    const v = new Validator({ resolver: resolver(), anchors });
    const hv = await validateHost(v, parseName(c.host)!, c.port);
    rows.push({ id: c.id, host: c.host, queries: hv.ctx.fetcher.sent, address: hv.a.state, tlsa: hv.tlsa.state });
  }
  const qs = rows.map((r) => r.queries).sort((a, b) => a - b);
  const total = qs.reduce((a, b) => a + b, 0);
  const mid = qs.length >> 1;
  const top = rows.reduce((a, r) => (r.queries > a.queries ? r : a), rows[0]);
  return {
    cases: rows.length,
    total,
    mean: Math.round((total / Math.max(1, rows.length)) * 100) / 100,
    median: qs.length % 2 ? qs[mid] : (qs[mid - 1] + qs[mid]) / 2,
    max: { id: top?.id ?? '', queries: top?.queries ?? 0 },
    rows,
  };
}

export function queriesMarkdown(q: QueriesPerVerdict): string[] {
  const L = ['## Queries per verdict (cold, every catalogue case, A + AAAA + TLSA)', ''];
  L.push(`${q.cases} cases: ${q.total} questions in all, mean ${q.mean}, median ${q.median}, most ${q.max.queries} (${q.max.id}).`, '');
  L.push('| case | host | queries | A | TLSA |', '|---|---|---:|---|---|');
  for (const r of q.rows) L.push(`| ${r.id} | ${r.host} | ${r.queries} | ${r.address} | ${r.tlsa} |`);
  L.push('');
  return L;
}
