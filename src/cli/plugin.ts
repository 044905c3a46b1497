/**
 * `--plugin`: one status line in the monitoring-plugins convention (Nagios plugin API, used by
 * Icinga and Zabbix agents too): `DNSSEC-TLSA <STATUS> - <host>: <what> | <perf data>`, exit
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 *   OK        secure and, where it was checked, the certificate matches the TLSA records
 *   WARNING   the verdict would fail within the --days horizon (default 7), or a rollover is not ready
 *   CRITICAL  bogus, not signed, TLSA mismatch, no STARTTLS where DANE applies
 *   UNKNOWN   indeterminate, resolver unreachable, bad arguments
 */
import type { CheckResult } from '../core/check';
import type { HorizonJson } from '../core/horizon';
import type { MailResult } from '../core/mail';

export type PluginStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

export const PLUGIN_EXIT: Record<PluginStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export interface PluginVerdict {
  status: PluginStatus;
  what: string;
}

export interface PerfData {
  queries?: number;
  timeMs?: number;
  horizon?: HorizonJson;
}

/** Perf data values may not contain '|' or newlines; the text before it may not either. */
function oneLine(s: string): string {
  return s.replace(/[\r\n|]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function pluginLine(host: string, v: PluginVerdict, perf: PerfData = {}): string {
  const data: string[] = [];
  if (perf.queries !== undefined) data.push(`queries=${perf.queries}`);
  if (perf.timeMs !== undefined) data.push(`time=${Math.round(perf.timeMs)}ms`);
  if (perf.horizon) data.push(`expires_in=${perf.horizon.expiresFirst ? perf.horizon.expiresFirst.inDays : 'U'}d`);
  return `DNSSEC-TLSA ${v.status} - ${oneLine(host || '(no host)')}: ${oneLine(v.what)}${data.length ? ` | ${data.join(' ')}` : ''}\n`;
}

/** WARNING when a verdict that is OK now would fail within the horizon. */
function withHorizon(v: PluginVerdict, h: HorizonJson | undefined): PluginVerdict {
  if (v.status !== 'OK' || !h || h.holds) return v;
  return { status: 'WARNING', what: `${v.what}; fails by ${h.failsAt} (within ${h.days} days): ${h.reason ?? h.changes.join(', ')}` };
}

function stateProblem(what: string, state: string, reason: string | undefined): PluginVerdict | null {
  if (state === 'bogus') return { status: 'CRITICAL', what: `${what} bogus${reason ? `: ${reason}` : ''}` };
  if (state === 'insecure') return { status: 'CRITICAL', what: `${what} not DNSSEC-signed (insecure)${reason ? `: ${reason}` : ''}` };
  if (state === 'indeterminate') return { status: 'UNKNOWN', what: `${what} could not be validated${reason ? `: ${reason}` : ''}` };
  return null;
}

/** A host check (with or without --connect). */
export function pluginForHost(r: CheckResult & { horizon?: HorizonJson }): PluginVerdict {
  const address = stateProblem('address records', r.address.state, r.address.reason);
  if (address?.status === 'CRITICAL' && r.address.state === 'bogus') return address;
  // An unsigned TLSA name means DANE does not apply (RFC 6698 §4.1); an unsigned address is still not OK here.
  const tlsa = stateProblem(`TLSA at ${r.tlsa.name}`, r.tlsa.state, r.tlsa.reason);
  if (tlsa?.status === 'CRITICAL' && r.tlsa.state === 'bogus') return tlsa;
  if (r.dane === 'mismatch') return { status: 'CRITICAL', what: `TLSA mismatch: ${r.daneReason ?? 'the certificate matches no TLSA record'}` };
  if (r.dane === 'bogus') return { status: 'CRITICAL', what: r.daneReason ?? 'bogus' };
  if (address) return address;
  if (tlsa) return tlsa;
  if (r.dane === 'indeterminate') return { status: 'UNKNOWN', what: `DANE not decided: ${r.daneReason ?? 'indeterminate'}` };
  const records = r.tlsa.result === 'data' ? r.tlsa.records.length : 0;
  let what: string;
  if (r.dane === 'match') what = `DNSSEC secure, DANE match${r.daneMatch && 'record' in r.daneMatch ? ` (${r.daneMatch.record.split(' ').slice(0, 3).join(' ')})` : ''}`;
  else if (records === 0) what = 'DNSSEC secure, no TLSA records (securely denied)';
  else if (r.dane === 'no-tlsa') what = `DNSSEC secure, no usable TLSA records${r.daneReason ? `: ${r.daneReason}` : ''}`;
  else what = `DNSSEC secure, ${records} TLSA record${records === 1 ? '' : 's'} (certificate not compared: add --connect)`;
  return withHorizon({ status: 'OK', what }, r.horizon);
}

/** A `--type` lookup: its state alone. */
export function pluginForLookup(j: { name: string; type: string; state: string; result: string; reason?: string; horizon?: HorizonJson }): PluginVerdict {
  const p = stateProblem(`${j.type} records`, j.state, j.reason);
  if (p) return p;
  return withHorizon({ status: 'OK', what: `${j.type} ${j.result === 'data' ? 'records' : j.result} DNSSEC secure` }, j.horizon);
}

/** Optional keys of `--mx --connect` (issue #15) that the plugin judges when present. */
interface MailConnectionView {
  address?: string;
  dane?: string;
  reason?: string;
}
type MailHostView = MailResult['hosts'][number] & { connections?: MailConnectionView[]; rollover?: string; rolloverReason?: string };

/** `--mx` (and `--mx --connect`): the worst host decides. */
export function pluginForMail(r: MailResult & { horizon?: HorizonJson }): PluginVerdict {
  const mx = stateProblem('MX records', r.mx.state, r.mx.reason);
  if (mx) return mx;
  if (r.summary === 'no-mail') return { status: 'OK', what: 'the domain accepts no mail (null MX or no mail host), DNSSEC secure' };
  const hosts = r.hosts as MailHostView[];
  const critical: string[] = [];
  const unknown: string[] = [];
  const warning: string[] = [];
  for (const h of hosts) {
    if (h.dane === 'bogus') critical.push(`${h.host} bogus: ${h.reason}`);
    else if (h.dane === 'indeterminate') unknown.push(`${h.host}: ${h.reason}`);
    for (const c of h.connections ?? []) {
      // RFC 7672 §2.2: with usable TLSA records a sender must not fall back to plain text.
      if (c.dane === 'mismatch' || c.dane === 'no-starttls' || c.dane === 'tls-failed') critical.push(`${h.host} ${c.address ?? ''} ${c.dane}${c.reason ? `: ${c.reason}` : ''}`);
      else if (c.dane === 'unreachable') unknown.push(`${h.host} ${c.address ?? ''} unreachable${c.reason ? `: ${c.reason}` : ''}`);
    }
    if (h.rollover === 'not-ready') warning.push(`${h.host} rollover not ready${h.rolloverReason ? `: ${h.rolloverReason}` : ''}`);
  }
  if (critical.length) return { status: 'CRITICAL', what: critical.join('; ') };
  if (unknown.length) return { status: 'UNKNOWN', what: unknown.join('; ') };
  const dane = hosts.filter((h) => h.dane === 'dane').length;
  const base: PluginVerdict = { status: 'OK', what: `DNSSEC secure, ${dane} of ${hosts.length} MX host${hosts.length === 1 ? '' : 's'} with DANE (summary ${r.summary})` };
  if (warning.length) return { status: 'WARNING', what: `${base.what}; ${warning.join('; ')}` };
  return withHorizon(base, r.horizon);
}
