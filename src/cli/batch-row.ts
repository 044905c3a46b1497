/**
 * The compact row of one batch line, pure: a headline state in words and a level that orders and
 * colours it (the HTML report, the summary). Built from the same JSON object the line printed.
 *
 * Levels say exactly what was proven (no green for what was not compared):
 *  fail     — bogus, or a certificate that does not match its TLSA records
 *  error    — the line could not be checked (bad line, resolver unreachable)
 *  unknown  — indeterminate: a lookup failed, nothing proven either way
 *  partial  — some MX hosts with DANE, some without
 *  none     — DANE does not apply: unsigned, no TLSA (proven absent), no such name, no mail
 *  dns-ok   — signed TLSA records proven, the certificate not compared (no --connect)
 *  ok       — the certificate presented matched the TLSA records (--connect)
 */
import type { OneResult } from './check';
import { BATCH_LIMITS } from './batch-limits';

export const LEVELS = ['fail', 'error', 'unknown', 'partial', 'none', 'dns-ok', 'ok'] as const;
export type Level = (typeof LEVELS)[number];

export interface BatchRow {
  input: string;
  kind: OneResult['kind'] | 'error';
  level: Level;
  /** Headline state, a short machine word (e.g. `bogus`, `tlsa`, `no-tlsa`, `some`). */
  state: string;
  /** The state in words, for people. */
  words: string;
  /** Why, in one sentence (cut to BATCH_LIMITS.maxReportReasonLength). */
  reason: string;
  queries: number | null;
  elapsedMs: number | null;
  /** `--svg <dir>`: the file name of the row's chain picture in that directory, once written. */
  svg?: string;
}

const cut = (s: string) => (s.length > BATCH_LIMITS.maxReportReasonLength ? s.slice(0, BATCH_LIMITS.maxReportReasonLength - 1) + '…' : s);

export function errorRow(input: string, error: string): BatchRow {
  return { input, kind: 'error', level: 'error', state: 'error', words: 'not checked', reason: cut(error), queries: null, elapsedMs: null };
}

export function rowOf(input: string, one: OneResult): BatchRow {
  const row = (level: Level, state: string, words: string, reason: string): BatchRow => ({
    input,
    kind: one.kind,
    queries: 'queries' in one.result ? one.result.queries : null,
    elapsedMs: one.result.elapsedMs,
    level,
    state,
    words,
    reason: cut(reason),
  });
  if (one.kind === 'lookup') {
    const r = one.result;
    const what = `${r.type} ${r.result}${r.records.length ? ': ' + r.records.slice(0, 3).join(', ') : ''}`;
    if (r.state === 'bogus') return row('fail', 'bogus', 'bogus', r.reason ?? what);
    if (r.state === 'indeterminate') return row('unknown', 'indeterminate', 'could not be checked', r.reason ?? what);
    if (r.state === 'insecure') return row('none', 'insecure', 'not signed', r.reason ?? what);
    return row('dns-ok', 'secure', 'secure', what);
  }
  if (one.kind === 'host') {
    const r = one.result;
    const bad = r.address.state === 'bogus' ? r.address : r.tlsa.state === 'bogus' ? r.tlsa : null;
    if (bad || r.dane === 'bogus') return row('fail', 'bogus', 'bogus', bad?.reason ?? r.daneReason ?? 'a signature did not validate');
    if (r.dane === 'mismatch') return row('fail', 'mismatch', 'certificate does not match TLSA', r.daneReason ?? 'no TLSA record matched the presented chain');
    if (r.dane === 'match') return row('ok', 'match', 'DANE match', `certificate of ${r.connectedAddress ?? r.host} matched ${r.daneMatch && 'record' in r.daneMatch ? r.daneMatch.record : 'a TLSA record'}`);
    if (r.address.state === 'indeterminate' || r.tlsa.state === 'indeterminate' || r.dane === 'indeterminate') {
      return row('unknown', 'indeterminate', 'could not be checked', r.daneReason ?? (r.address.state === 'indeterminate' ? r.address.reason : r.tlsa.reason) ?? 'a lookup failed');
    }
    if (r.address.result === 'nxdomain') {
      return r.address.state === 'secure'
        ? row('none', 'nxdomain', 'does not exist (proven)', `${r.host}: NXDOMAIN, proven by signed denial`)
        : row('none', 'nxdomain', 'does not exist (unsigned)', r.address.reason ?? `${r.host}: NXDOMAIN in an unsigned zone`);
    }
    if (r.tlsa.state === 'insecure') return row('none', 'insecure', 'not signed: DANE does not apply', r.tlsa.reason ?? `the TLSA lookup at ${r.tlsa.name} is not DNSSEC-signed (RFC 6698 §4.1)`);
    if (r.tlsa.result !== 'data' || r.dane === 'no-tlsa') return row('none', 'no-tlsa', 'no TLSA (proven absent)', r.daneReason ?? `no TLSA records at ${r.tlsa.name} (securely denied)`);
    return row('dns-ok', 'tlsa', 'TLSA secure, certificate not compared', `${r.tlsa.records.length} TLSA record(s) at ${r.tlsa.name}: ${r.tlsa.records.slice(0, 2).join(', ')}`);
  }
  const r = one.result;
  const hostNote = (pred: (h: (typeof r.hosts)[number]) => boolean) =>
    r.hosts
      .filter(pred)
      .map((h) => `${h.host}: ${h.reason}`)
      .join('; ');
  // Seam for `--mx --connect` (issue #15 part 1): connections per host, when the check made them.
  const connections = r.hosts.flatMap((h) => ((h as { connections?: { dane?: string; reason?: string; address?: string }[] }).connections ?? []).map((c) => ({ host: h.host, ...c })));
  switch (r.summary) {
    case 'bogus':
      return row('fail', 'bogus', 'bogus', r.mx.state === 'bogus' ? (r.mx.reason ?? 'the MX RRset is bogus') : hostNote((h) => h.dane === 'bogus'));
    case 'indeterminate':
      return row('unknown', 'indeterminate', 'could not be checked', r.mx.reason ?? hostNote((h) => h.dane === 'indeterminate'));
    case 'no-mail':
      if (r.mx.result === 'nxdomain') return row('none', 'nxdomain', r.mx.state === 'secure' ? 'does not exist (proven)' : 'does not exist (unsigned)', `${r.domain}: NXDOMAIN`);
      return row('none', 'no-mail', 'accepts no mail', r.nullMx ? 'null MX (RFC 7505)' : 'no MX and no address records');
    case 'not-applicable':
      return row('none', 'not-applicable', 'MX not signed: DANE does not apply', 'the MX RRset is not signed (RFC 7672 §2.2.1)');
    case 'none':
      return row('none', 'none', 'no MX host has DANE', hostNote(() => true));
  }
  const failed = connections.filter((c) => c.dane !== undefined && !['match', 'not-checked', 'unreachable'].includes(c.dane));
  if (failed.length) return row('fail', failed[0].dane!, `mail server: ${failed[0].dane}`, `${failed[0].host}${failed[0].address ? ` (${failed[0].address})` : ''}: ${failed[0].reason ?? failed[0].dane}`);
  const unreachable = connections.find((c) => c.dane === 'unreachable');
  if (unreachable) return row('unknown', 'unreachable', 'mail server unreachable', `${unreachable.host}${unreachable.address ? ` (${unreachable.address})` : ''}: ${unreachable.reason ?? 'unreachable'}`);
  if (r.summary === 'some') return row('partial', 'some', 'some MX hosts have DANE', hostNote((h) => h.dane !== 'dane'));
  const checked = connections.filter((c) => c.dane === 'match');
  if (connections.length > 0 && checked.length === connections.length) return row('ok', 'match', 'DANE match on every MX host', `${connections.length} connection(s) matched the TLSA records`);
  return row('dns-ok', 'all', 'all MX hosts have TLSA, certificates not compared', `${r.hosts.length} MX host(s) with usable TLSA records`);
}
