/**
 * DANE for SMTP (RFC 7672): for a mail domain, the validated MX RRset and, for each MX host, the
 * DNSSEC state of its addresses and its `_25._tcp` TLSA records, with the per-host verdict an
 * SMTP client following RFC 7672 would reach. Pure core: the validator is injected.
 *
 * Rules (RFC 7672 §2.2):
 *  - §2.2.1: DANE applies only when the MX RRset (and any CNAME leading to it) is secure. An
 *    insecure MX RRset means the host names may be forged: no host gets DANE, whatever its TLSA
 *    records say. A bogus MX RRset means mail cannot be delivered securely at all.
 *    No MX records: the domain itself is the one host (RFC 5321 §5.1, "implicit MX").
 *    A null MX ("0 .", RFC 7505): the domain accepts no mail.
 *  - §2.2.2: the host's address records must be secure too. When the host name is a CNAME whose
 *    expansion is secure, the TLSA base domain is the expanded name first, then the original name
 *    (the same rule as RFC 7671 §7, implemented by validateHost); otherwise the original name.
 *  - §3.1.3: only DANE-TA(2) and DANE-EE(3) records are usable for SMTP; PKIX-TA(0) and
 *    PKIX-EE(1) are not. With only unusable records the client still requires TLS but cannot
 *    authenticate the server.
 */
import { combineAddress, summary, validateHost, type LookupSummary } from './check';
import { splitUsable } from './dane/usable';
import type { ChainLink, SecurityState } from './dnssec/result';
import type { Validator } from './dnssec/validator';
import { toHex } from './util/encoding';
import { canonicalName, labelCount } from './wire/name';
import { RRType, type Message, type MXData, type Name, type TLSAData } from './wire/types';

/** Per-host outcome for an RFC 7672 SMTP client. */
export type MailDane =
  | 'dane' // secure MX, secure address, secure TLSA with usable records: authenticated TLS
  | 'no-tlsa' // secure, but TLSA records are securely denied: opportunistic TLS only
  | 'unusable' // secure TLSA records, none usable for SMTP: TLS required, not authenticated
  | 'not-applicable' // something on the way is unsigned: DANE does not apply
  | 'bogus' // a signature is invalid: a DANE client defers delivery to this host
  | 'indeterminate'; // a lookup failed

/** Why a host got its verdict (machine-readable; the text is in `reason`). */
export type MailReasonCode =
  | 'dane'
  | 'no-tlsa'
  | 'unusable-tlsa'
  | 'mx-insecure'
  | 'address-insecure'
  | 'tlsa-insecure'
  | 'mx-bogus'
  | 'address-bogus'
  | 'tlsa-bogus'
  | 'mx-failed'
  | 'address-failed'
  | 'tlsa-failed'
  | 'no-address';

export interface MailHost {
  /** MX host name, no trailing dot. */
  host: string;
  preference: number;
  address: LookupSummary;
  /** TLSA lookup at `name` (`_25._tcp.<base>`, base per RFC 7672 §2.2.2). */
  tlsa: LookupSummary & { name: string };
  /** The records usable for SMTP (DANE-TA/DANE-EE), "u s m hex". */
  usable: string[];
  dane: MailDane;
  reasonCode: MailReasonCode;
  reason: string;
}

/** Domain-level summary. */
export type MailSummary =
  | 'all' // every MX host has DANE
  | 'some'
  | 'none' // no host has DANE (but the MX RRset is secure)
  | 'not-applicable' // the MX RRset is insecure
  | 'bogus' // the MX RRset is bogus, or a host's records are
  | 'indeterminate'
  | 'no-mail'; // null MX (RFC 7505), or no MX and no address

export interface MailResult {
  domain: string;
  mx: LookupSummary;
  /** No MX records: the domain itself is the mail host (RFC 5321 §5.1). */
  implicitMx: boolean;
  /** "MX 0 ." (RFC 7505). */
  nullMx: boolean;
  hosts: MailHost[];
  /** Hosts beyond `maxHosts` that were not checked. */
  skippedHosts: number;
  summary: MailSummary;
  /** The chain of trust of the MX lookup. */
  chain: ChainLink[];
  queries: number;
  elapsedMs: number;
}

export interface MailOptions {
  /** At most this many MX hosts are checked (lowest preference first). Default 8. */
  maxHosts?: number;
  /** Monotonic clock for elapsedMs; default performance.now / Date.now. */
  clock?: () => number;
  /**
   * Told the DNS messages each of the check's lookups used (the MX lookup's, then each host's):
   * for a caller that keeps answers (the extension's engine keeps those of a proven check).
   */
  used?: (messages: readonly Message[]) => void;
}

const plain = (n: string) => (n === '.' ? '.' : n.replace(/\.$/, ''));

/** The TLSA records an SMTP client may use (RFC 7672 §3.1.3: usages 2 and 3 only). */
export function smtpUsable(records: readonly TLSAData[]): TLSAData[] {
  return splitUsable(records)
    .usable.map((u) => u.record)
    .filter((r) => r.usage === 2 || r.usage === 3);
}

/**
 * The RFC 7672 verdict for one MX host from the states of the MX RRset, the host's address
 * lookups and its TLSA lookup. Pure.
 */
export function mailHostVerdict(
  mx: SecurityState,
  address: Pick<LookupSummary, 'state' | 'result' | 'reason'>,
  tlsa: Pick<LookupSummary, 'state' | 'result' | 'reason'> & { name: string },
  usableCount: number,
): { dane: MailDane; reasonCode: MailReasonCode; reason: string } {
  const r = (dane: MailDane, reasonCode: MailReasonCode, reason: string) => ({ dane, reasonCode, reason });
  if (mx === 'bogus') return r('bogus', 'mx-bogus', 'the MX RRset is bogus (RFC 7672 §2.2.1)');
  if (mx === 'indeterminate') return r('indeterminate', 'mx-failed', 'the MX lookup failed');
  if (address.state === 'bogus') return r('bogus', 'address-bogus', `address records are bogus: ${address.reason ?? ''}`.trim());
  if (tlsa.state === 'bogus') return r('bogus', 'tlsa-bogus', `TLSA records at ${tlsa.name} are bogus: ${tlsa.reason ?? ''}`.trim());
  if (mx === 'insecure') return r('not-applicable', 'mx-insecure', 'the MX RRset is not signed: DANE does not apply (RFC 7672 §2.2.1)');
  if (address.state === 'indeterminate') return r('indeterminate', 'address-failed', address.reason ?? 'address lookup failed');
  if (address.state === 'insecure') return r('not-applicable', 'address-insecure', 'the host address records are not signed: DANE does not apply (RFC 7672 §2.2.2)');
  if (address.result !== 'data') return r('indeterminate', 'no-address', 'the MX host has no address records');
  if (tlsa.state === 'indeterminate') return r('indeterminate', 'tlsa-failed', tlsa.reason ?? 'TLSA lookup failed');
  if (tlsa.state === 'insecure') return r('not-applicable', 'tlsa-insecure', `the TLSA lookup at ${tlsa.name} is not signed: DANE does not apply`);
  if (tlsa.result !== 'data') return r('no-tlsa', 'no-tlsa', `no TLSA records at ${tlsa.name} (securely denied): opportunistic TLS only`);
  if (usableCount === 0) {
    return r('unusable', 'unusable-tlsa', `no TLSA record at ${tlsa.name} is usable for SMTP (only DANE-TA(2) and DANE-EE(3), RFC 7672 §3.1.3): TLS is required but not authenticated`);
  }
  return r('dane', 'dane', `${usableCount} usable TLSA record(s) at ${tlsa.name}: TLS with DANE authentication`);
}

/** The domain summary from the MX state and the host verdicts. Pure. */
export function mailSummary(mx: SecurityState, nullMx: boolean, hosts: readonly Pick<MailHost, 'dane'>[]): MailSummary {
  if (mx === 'bogus') return 'bogus';
  if (mx === 'indeterminate') return 'indeterminate';
  if (nullMx || hosts.length === 0) return 'no-mail';
  if (mx === 'insecure') return 'not-applicable';
  if (hosts.some((h) => h.dane === 'bogus')) return 'bogus';
  const dane = hosts.filter((h) => h.dane === 'dane').length;
  if (dane === hosts.length) return 'all';
  if (dane > 0) return 'some';
  if (hosts.some((h) => h.dane === 'indeterminate')) return 'indeterminate';
  return 'none';
}

function mergeChain(chains: ChainLink[][]): ChainLink[] {
  const seen = new Map<string, ChainLink>();
  for (const l of chains.flat()) if (!seen.has(canonicalName(l.zone))) seen.set(canonicalName(l.zone), l);
  return [...seen.values()].sort((x, y) => labelCount(x.zone) - labelCount(y.zone));
}

/**
 * Checks the mail servers of `domain`: MX lookup, then every MX host (at most `maxHosts`) in
 * parallel: A, AAAA and `_25._tcp` TLSA with the CNAME rules of RFC 7672 §2.2.2.
 */
export async function checkMail(validator: Validator, domain: Name, opts: MailOptions = {}): Promise<MailResult> {
  const clock = opts.clock ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const started = clock();
  const maxHosts = opts.maxHosts ?? 8;
  const ctx = validator.context();
  const mx = await validator.lookup(domain, RRType.MX, ctx);
  opts.used?.(ctx.fetcher.arrived());
  let queries = ctx.fetcher.sent;
  const exchanges = mx.records
    .filter((rr) => rr.type === RRType.MX)
    .map((rr) => rr.data as MXData)
    .sort((a, b) => a.preference - b.preference || canonicalName(a.exchange).localeCompare(canonicalName(b.exchange)));
  const nullMx = exchanges.length === 1 && exchanges[0].exchange === '.';
  const implicitMx = mx.result !== 'data' && (mx.state === 'secure' || mx.state === 'insecure');
  const targets: { host: Name; preference: number }[] = nullMx
    ? []
    : implicitMx
      ? [{ host: domain, preference: 0 }]
      : exchanges.filter((e) => e.exchange !== '.').map((e) => ({ host: e.exchange, preference: e.preference }));
  const unique = targets.filter((t, i) => targets.findIndex((u) => canonicalName(u.host) === canonicalName(t.host)) === i);
  const checked = mx.state === 'bogus' || mx.state === 'indeterminate' ? [] : unique.slice(0, maxHosts);

  const hosts = await Promise.all(
    checked.map(async (t): Promise<MailHost> => {
      const v = await validateHost(validator, t.host, 25);
      opts.used?.(v.ctx.fetcher.arrived());
      queries += v.ctx.fetcher.sent;
      const address = combineAddress(v.a, v.aaaa);
      const tlsa = { name: plain(v.tlsaName), ...summary(v.tlsa) };
      const tlsaRecords = v.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => r.data as TLSAData);
      const usable = tlsa.state === 'secure' ? smtpUsable(tlsaRecords) : [];
      const verdict = mailHostVerdict(mx.state, address, tlsa, usable.length);
      return {
        host: plain(t.host),
        preference: t.preference,
        address,
        tlsa,
        usable: usable.map((u) => `${u.usage} ${u.selector} ${u.matchingType} ${toHex(u.data)}`),
        ...verdict,
      };
    }),
  );
  // No MX and no address either: the domain receives no mail.
  const live = implicitMx ? hosts.filter((h) => h.address.result === 'data' || h.address.state === 'bogus' || h.address.state === 'indeterminate') : hosts;
  return {
    domain: plain(domain),
    mx: summary(mx),
    implicitMx,
    nullMx,
    hosts: live,
    skippedHosts: unique.length - checked.length,
    summary: mailSummary(mx.state, nullMx, live),
    chain: mergeChain([mx.chain]),
    queries,
    elapsedMs: Math.round(clock() - started),
  };
}
