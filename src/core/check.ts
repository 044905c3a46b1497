/**
 * A host check: the DNSSEC state of a host's addresses and of its TLSA records, as the extension
 * and the `check` CLI show it. Pure core: the validator (with its resolver and clock) is injected.
 */
import type { DaneMatch } from './dane/match';
import { tcpTlsaName, tlsaName } from './dane/names';
import type { LookupResult, Reason, SecurityState, AnswerClass, ChainLink } from './dnssec/result';
import { worstState } from './dnssec/result';
import type { Validator } from './dnssec/validator';
import type { VerdictContext } from './dnssec/context';
import { canonicalName, labelCount } from './wire/name';
import { rdataToString } from './wire/present';
import { formatIPv6, ipv6Bytes } from './wire/rdata';
import { RRType, type Name } from './wire/types';

export type DaneState = 'match' | 'mismatch' | 'no-tlsa' | 'insecure' | 'bogus' | 'indeterminate' | 'not-checked';

export interface LookupSummary {
  state: SecurityState;
  result: AnswerClass;
  records: string[];
  reason?: string;
  reasonCode?: Reason['code'];
  /** The chain of causes (which link, zone, rule), main reason first; absent when secure. */
  reasons?: Reason[];
  /** CNAME/DNAME links followed (an extension of the contract). */
  links?: LookupResult['links'];
}

export interface CheckResult {
  host: string;
  port: number;
  address: LookupSummary;
  tlsa: LookupSummary & { name: string };
  dane: DaneState;
  chain: ChainLink[];
  queries: number;
  elapsedMs: number;
  /** Extensions of the contract, filled by `--connect` (issue #5). */
  daneReason?: string;
  daneMatch?: Exclude<DaneMatch, { state: 'match' }> | (Omit<Extract<DaneMatch, { state: 'match' }>, 'record'> & { record: string });
  connectedAddress?: string;
  certificate?: { subject: string; issuer: string; spkiSha256: string; notAfter: string } | null;
}

/** One lookup as the CLI's JSON and the popup show it: state, answer, records, reason. */
export function summary(r: LookupResult): LookupSummary {
  const s: LookupSummary = {
    state: r.state,
    result: r.result,
    records: r.records.map((rr) => rdataToString(rr)),
  };
  if (r.reason) {
    s.reason = r.reason.message;
    s.reasonCode = r.reason.code;
  }
  if (r.reasons?.length) s.reasons = r.reasons;
  if (r.links.length > 0) s.links = r.links;
  return s;
}

/**
 * A and AAAA as one address verdict. A bogus lookup taints the host. Otherwise the addresses that
 * exist decide: a secure A beside an AAAA whose absence cannot be proven (insecure or failed
 * NODATA) is still a secure address set — every address the client can use is validated.
 */
export function combineAddress(a: LookupResult, aaaa: LookupResult): LookupSummary {
  const withData = [a, aaaa].filter((r) => r.result === 'data');
  const state = [a.state, aaaa.state].includes('bogus') ? 'bogus' : worstState((withData.length ? withData : [a, aaaa]).map((r) => r.state));
  const result: AnswerClass =
    a.result === 'data' || aaaa.result === 'data' ? 'data' : a.result === 'nxdomain' && aaaa.result === 'nxdomain' ? 'nxdomain' : 'nodata';
  const worst = [a, aaaa].find((r) => r.state === state && r.reason) ?? (a.reason ? a : aaaa);
  const s: LookupSummary = {
    state,
    result,
    records: [...a.records, ...aaaa.records].filter((rr) => rr.type === RRType.A || rr.type === RRType.AAAA).map((rr) => rdataToString(rr)),
  };
  if (state !== 'secure' && worst.reason) {
    s.reason = worst.reason.message;
    s.reasonCode = worst.reason.code;
    if (worst.reasons?.length) s.reasons = worst.reasons;
  }
  const links = completedLinks(a, aaaa);
  if (links.length > 0) s.links = links;
  return s;
}

/**
 * The CNAME/DNAME links the address lookup followed (A first, else AAAA). The expansion counts
 * only when the lookup followed it to its end: a chain cut off by a limit or a loop, or a failed
 * lookup, has no trustworthy last target (a bogus target is still the target). RFC 7671 §7.
 */
function completedLinks(a: LookupResult, aaaa: LookupResult): LookupResult['links'] {
  const viaLinks = a.links.length ? a : aaaa;
  const cutOff = ['cname-chain-too-long', 'cname-loop', 'limit-exceeded', 'dname-invalid'].includes(viaLinks.reason?.code ?? '');
  return cutOff || viaLinks.state === 'indeterminate' ? [] : viaLinks.links;
}

export interface HostVerdict {
  a: LookupResult;
  aaaa: LookupResult;
  tlsa: LookupResult;
  tlsaName: Name;
  ctx: VerdictContext;
}

/**
 * Validate A, AAAA and the TLSA records of `_<port>._tcp.<host>` in parallel (one verdict context,
 * shared queries). RFC 7671 §7: when the address lookup went through a CNAME chain that validated
 * secure, the TLSA base domain is the fully expanded name first, then the original name.
 */
export async function validateHost(validator: Validator, host: Name, port: number, ctx: VerdictContext = validator.context()): Promise<HostVerdict> {
  const original = tcpTlsaName(host, port);
  // As soon as the raw address answer shows a CNAME, start the expanded TLSA name's queries too
  // (RFC 7671 §7 may need them); they are used only if the chain validates.
  // The caller's context is shared (fetcher, budgets, memo), never changed: this check's hook lives
  // in a context of its own that also calls the caller's hook.
  const callerOnLink = ctx.onLink;
  const hostCtx: VerdictContext = {
    ...ctx,
    onLink: (target, qtype) => {
      callerOnLink?.(target, qtype);
      // Only an address's CNAME moves the TLSA base domain (RFC 7671 §7); a CNAME met by the TLSA
      // lookup itself (a DNAME above it, RFC 6672) already names the TLSA RRset to follow.
      if (qtype !== RRType.A && qtype !== RRType.AAAA) return;
      const t = tlsaName(target, port, 'tcp');
      if (t) validator.prefetch(t, RRType.TLSA, hostCtx);
    },
  };
  validator.prefetchAll(
    [
      { name: host, type: RRType.A },
      { name: host, type: RRType.AAAA },
      { name: original, type: RRType.TLSA },
    ],
    hostCtx,
  );
  const [a, aaaa, tlsaOrig] = await Promise.all([
    validator.lookup(host, RRType.A, hostCtx),
    validator.lookup(host, RRType.AAAA, hostCtx),
    validator.lookup(original, RRType.TLSA, hostCtx),
  ]);
  const links = completedLinks(a, aaaa);
  // A DNAME redirects the TLSA name as well (RFC 6672 §2.2), so the original name already leads to
  // the target's records; only a chain of CNAMEs gives a different, expanded TLSA base domain.
  const expandedSecure = links.length > 0 && links.every((l) => l.state === 'secure' && l.type === 'CNAME');
  if (expandedSecure) {
    const expandedHost = links[links.length - 1].target;
    if (canonicalName(expandedHost) !== canonicalName(host)) {
      const expanded = tcpTlsaName(expandedHost, port);
      const tlsaExp = await validator.lookup(expanded, RRType.TLSA, hostCtx);
      // "Failing that" means a proven absence at the expanded name; a bogus or failed lookup there
      // is reported as such, never silently replaced by the original name's answer. When neither
      // name has TLSA records, the expanded (first-tried) name is reported.
      const fallBack = tlsaOrig.result === 'data' && tlsaExp.result !== 'data' && (tlsaExp.state === 'secure' || tlsaExp.state === 'insecure');
      if (!fallBack) return { a, aaaa, tlsa: tlsaExp, tlsaName: expanded, ctx };
    }
  }
  return { a, aaaa, tlsa: tlsaOrig, tlsaName: original, ctx };
}

/** The JSON contract of `check --json` (issue #4), built from a host verdict. */
export function toCheckResult(host: string, port: number, v: HostVerdict, elapsedMs: number, dane: DaneState = 'not-checked'): CheckResult {
  const chain = [...v.a.chain, ...v.aaaa.chain, ...v.tlsa.chain];
  const seen = new Map<string, ChainLink>();
  for (const l of chain) if (!seen.has(canonicalName(l.zone))) seen.set(canonicalName(l.zone), l);
  return {
    host,
    port,
    address: combineAddress(v.a, v.aaaa),
    tlsa: { name: v.tlsaName.replace(/\.$/, ''), ...summary(v.tlsa) },
    dane,
    chain: [...seen.values()].sort((x, y) => labelCount(x.zone) - labelCount(y.zone)),
    queries: v.ctx.fetcher.sent,
    elapsedMs: Math.round(elapsedMs),
  };
}

/**
 * The DANE outcome that the DNS alone decides, before any connection (RFC 6698 §4, RFC 7671 §4):
 * bogus address or TLSA records → bogus; TLSA not provably signed → insecure (DANE does not apply);
 * TLSA securely denied → no-tlsa; resolver failure → indeterminate. Null when a match is needed.
 */
export function daneBeforeConnect(r: CheckResult): { dane: DaneState; reason: string } | null {
  if (r.address.state === 'bogus') return { dane: 'bogus', reason: `address records are bogus: ${r.address.reason ?? ''}`.trim() };
  if (r.tlsa.state === 'bogus') return { dane: 'bogus', reason: `TLSA records are bogus: ${r.tlsa.reason ?? ''}`.trim() };
  if (r.tlsa.state === 'indeterminate') return { dane: 'indeterminate', reason: r.tlsa.reason ?? 'TLSA lookup failed' };
  if (r.tlsa.state === 'insecure') return { dane: 'insecure', reason: 'the TLSA lookup is not DNSSEC-signed: DANE does not apply (RFC 6698 §4.1)' };
  if (r.tlsa.result !== 'data') return { dane: 'no-tlsa', reason: `no TLSA records at ${r.tlsa.name} (securely denied)` };
  if (r.address.state === 'indeterminate') return { dane: 'indeterminate', reason: r.address.reason ?? 'address lookup failed' };
  return null;
}

export function daneFromMatch(m: DaneMatch): { dane: DaneState; reason?: string } {
  switch (m.state) {
    case 'match':
      return { dane: 'match' };
    case 'mismatch':
      return { dane: 'mismatch', reason: m.reason };
    case 'no-usable-tlsa':
      // RFC 7671 §4.1: with no usable TLSA records the connection is treated as if there were none.
      return { dane: 'no-tlsa', reason: m.reason };
    case 'error':
      return { dane: 'indeterminate', reason: m.reason };
  }
}

/**
 * CZ.NIC's "secured, but the IP differs" state: the address the browser connected to is not among
 * the validated A/AAAA records. Reported beside the DANE result, never instead of it.
 * Returns null when there is nothing validated to compare with.
 */
export function addressMismatch(connectedIp: string | undefined, v: Pick<HostVerdict, 'a' | 'aaaa'>): boolean | null {
  if (!connectedIp) return null;
  const validated = [...v.a.records, ...v.aaaa.records]
    .map((rr) => (rr.data.kind === 'A' || rr.data.kind === 'AAAA' ? rr.data.address : null))
    .filter((x): x is string => x !== null);
  if (validated.length === 0 || (v.a.state !== 'secure' && v.aaaa.state !== 'secure')) return null;
  const norm = (ip: string) => normaliseIp(ip);
  return !validated.map(norm).includes(norm(connectedIp));
}

/** Canonical text of an IP address for comparison (IPv6 per RFC 5952 via ipv6Bytes/formatIPv6). */
function normaliseIp(ip: string): string {
  const t = ip.replace(/^\[|\]$/g, '').toLowerCase();
  if (t.includes(':')) {
    const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
    if (v4mapped) return v4mapped[1];
    const b = ipv6Bytes(t);
    return b ? formatIPv6(b) : t;
  }
  return t;
}
