/**
 * `check --mx <domain> --connect` (issue #15): for each checked MX host and each of its validated
 * addresses, SMTP on port 25 with STARTTLS and SNI = the MX host name, the presented chain matched
 * against the host's validated `_25._tcp` TLSA records by RFC 7672, and the host's rollover
 * readiness. `connectMailHost` is a plain function per host, so a batch run can call it per domain.
 *
 * RFC 7672 rules used here:
 *  - §3.1.3: only DANE-TA(2) and DANE-EE(3) count (the host's `usable` list already holds only those);
 *  - §3.1.1 / RFC 7671 §5.1: DANE-EE without name or date checks (the matcher does that);
 *  - §3.2.3: DANE-TA with the name checked against the reference identifiers: the TLSA base domain
 *    (the MX host name as validated, the expanded name after a secure CNAME) and the next-hop domain;
 *    the leaf's DNS-IDs, or its subject CN when it has none;
 *  - §2.2: with usable TLSA records, a server without STARTTLS (or refusing it) gets no mail: the
 *    client must not fall back to plain text.
 */
import type { MailHost, MailResult } from '../core/mail';
import { matchTlsa, parseCertificate, tlsaToString, type DaneMatch, type PeerChains } from '../core/dane/match';
import { combineRollover, rolloverReadiness, type RolloverState } from '../core/dane/rollover';
import { fromHex } from '../core/util/encoding';
import type { TLSAData } from '../core/wire/types';
import { isIP } from 'node:net';
import { openSession, type SessionResult } from './starttls/session';
import type { StarttlsOffer, StarttlsProtocol } from './starttls/protocol';

export type ConnectionDane = 'match' | 'mismatch' | 'no-starttls' | 'tls-failed' | 'unreachable' | 'not-checked';

export interface MailConnection {
  address: string;
  port: number;
  starttls: StarttlsOffer | null;
  dane: ConnectionDane;
  reason: string;
  tls: { version: string; cipher: string } | null;
  certificate: { subject: string; issuer: string; spkiSha256: string; notAfter: string } | null;
  /** The record that matched, "u s m hex", or null. */
  matched: string | null;
}

export interface MailHostConnect {
  rollover: RolloverState;
  rolloverReason: string;
  connections: MailConnection[];
}

export interface ConnectMailOptions {
  /** The next-hop domain (the mail domain), a reference identifier for DANE-TA (RFC 7672 §3.2.3). */
  domain: string;
  port?: number;
  stepTimeoutMs?: number;
  now?: Date;
  /** At most this many addresses per host (lowest first as validated). */
  maxAddresses?: number;
  /** Extra CA certificates for Node's PKIX verdict (not used for SMTP matching). */
  ca?: string | Buffer;
}

/** Addresses per MX host tried by `--connect`: Postfix tries them all; 8 bounds a hostile RRset. */
export const MAX_ADDRESSES_PER_HOST = 8;

/** "u s m hex" → TLSAData (the host's `usable` list). */
export function parseTlsaText(s: string): TLSAData | null {
  const m = /^(\d{1,3}) (\d{1,3}) (\d{1,3}) ([0-9a-fA-F]*)$/.exec(s.trim());
  const data = m ? fromHex(m[4]) : null;
  if (!m || !data) return null;
  return { kind: 'TLSA', usage: Number(m[1]), selector: Number(m[2]), matchingType: Number(m[3]), data };
}

/**
 * The matcher call with several reference identifiers (RFC 7672 §3.2.3): a match for any of them is
 * a match (DANE-EE ignores names, so only the TA usages can differ). The one place that calls
 * matchTlsa for STARTTLS services.
 */
export async function matchWithReferenceIds(
  records: TLSAData[],
  peer: PeerChains,
  referenceIds: readonly string[],
  now?: Date,
  /** SMTP (RFC 7672 §3.2.3): the subject CN names a leaf without DNS-IDs. */
  cnFallback = false,
): Promise<DaneMatch> {
  let first: DaneMatch | undefined;
  for (const host of referenceIds) {
    const m = await matchTlsa(records, peer, { host, now, cnFallback });
    if (m.state === 'match' && !m.pkixUnverified) return m;
    first ??= m;
  }
  return first ?? { state: 'error', reason: 'no reference identifier' };
}

/** A host name without its trailing dot, lowercase. */
export const plain = (n: string) => n.replace(/\.$/, '').toLowerCase();

/** The TLSA base domain of a host: its TLSA owner name without `_<port>._tcp.`. */
export function tlsaBase(tlsaName: string): string {
  return plain(tlsaName.replace(/^_\d+\._tcp\./i, ''));
}

async function certificateView(der: Uint8Array | undefined): Promise<MailConnection['certificate']> {
  const c = der ? await parseCertificate(der) : null;
  return c ? { subject: c.subject, issuer: c.issuer, spkiSha256: c.spkiSha256, notAfter: c.notAfter } : null;
}

/** What one service's connections are judged against. */
export interface ServiceTarget {
  addresses: string[];
  port: number;
  protocol: StarttlsProtocol | 'implicit';
  /** SNI. */
  servername: string;
  referenceIds: string[];
  /** The records to match; empty when DANE does not apply (then `notApplicable` says why). */
  records: TLSAData[];
  notApplicable?: string;
  /** SMTP (RFC 7672 §2.2): no fallback to plain text with usable records. */
  mustNotFallBack: boolean;
  /** Whether Node's PKIX verdict is used (PKIX usages; not for SMTP, RFC 7672 §3.1.3). */
  usePkix: boolean;
  /** SMTP between MTAs (RFC 7672 §3.2.3): a leaf without DNS-IDs is named by its subject CN. */
  cnFallback: boolean;
}

/** The chains for the matcher; without PKIX (SMTP, RFC 7672 §3.1.3) the verdict is left unknown. */
function peerFor(s: SessionResult, t: ServiceTarget): PeerChains {
  const sent = s.certs ?? [];
  return t.usePkix && s.peer ? s.peer : { sent, pkix: { verdict: 'unknown' } };
}

/** Judge one session. */
export async function judgeSession(s: SessionResult, t: ServiceTarget, now?: Date): Promise<MailConnection> {
  const certificate = await certificateView(s.certs?.[0]);
  // keys in the order of the JSON
  const conn = (dane: ConnectionDane, reason: string, matched: string | null = null): MailConnection => ({
    address: s.address,
    port: s.port,
    starttls: s.starttls,
    dane,
    reason,
    tls: s.tls ?? null,
    certificate,
    matched,
  });
  const dane = t.records.length > 0;
  if (s.end === 'no-starttls') {
    const rule = dane && t.mustNotFallBack ? '; with usable TLSA records a DANE client must not fall back to plain text and defers the mail (RFC 7672 §2.2)' : '';
    return conn('no-starttls', `${s.reason ?? 'no STARTTLS'}${rule}`);
  }
  if (s.end !== 'tls') return conn(s.end, s.reason ?? s.end);
  if (!dane) return conn('not-checked', `TLS works, but there is nothing to match: ${t.notApplicable ?? 'no usable TLSA records'}`);
  const m = await matchWithReferenceIds(t.records, peerFor(s, t), t.referenceIds, now, t.cnFallback);
  if (m.state === 'match') {
    const what =
      m.usage === 3 || m.usage === 1
        ? `the leaf certificate (${m.usage === 3 ? 'DANE-EE, no name or date checks, RFC 7671 §5.1' : 'PKIX-EE, RFC 7671 §5.3'})`
        : `certificate #${m.certIndex} as trust anchor, with the leaf valid for ${t.referenceIds.join(' or ')} (${m.usage === 2 ? 'DANE-TA, RFC 7671 §5.2' : 'PKIX-TA, RFC 7671 §5.4'})`;
    return conn('match', `${tlsaToString(m.record)} matches ${what}`, tlsaToString(m.record));
  }
  const ids = t.records.some((r) => r.usage === 2 || r.usage === 0) ? ` (reference identifiers: ${t.referenceIds.join(', ')})` : '';
  return conn('mismatch', `${m.reason}${ids}`);
}

/** Connect to every address of a service, judge each session, and the rollover readiness. */
export async function connectService(t: ServiceTarget, opts: { stepTimeoutMs?: number; now?: Date; ca?: string | Buffer; domain?: string } = {}): Promise<MailHostConnect> {
  const sessions = await Promise.all(
    t.addresses.map((address) => openSession({ address, port: t.port, servername: t.servername, protocol: t.protocol, stepTimeoutMs: opts.stepTimeoutMs, ca: opts.ca, domain: opts.domain })),
  );
  const connections = await Promise.all(sessions.map((s) => judgeSession(s, t, opts.now)));
  if (t.records.length === 0) {
    return { rollover: 'not-applicable', rolloverReason: `rollover readiness needs usable TLSA records: ${t.notApplicable ?? 'there are none'}`, connections };
  }
  const verdicts = await Promise.all(
    sessions
      .filter((s) => s.end === 'tls' && s.certs && s.certs.length > 0)
      .map(async (s) => ({
        address: s.address,
        verdict: await rolloverReadiness(t.records, s.certs!, async (r) => {
          const m = await matchWithReferenceIds([r], peerFor(s, t), t.referenceIds, opts.now, t.cnFallback);
          return m.state === 'match' ? { matched: true, certIndex: m.certIndex } : { matched: false };
        }),
      })),
  );
  const r = combineRollover(verdicts);
  return { rollover: r.rollover, rolloverReason: r.reason, connections };
}

/** Connect to every validated address of one MX host and judge it (RFC 7672). */
export async function connectMailHost(host: MailHost, opts: ConnectMailOptions): Promise<MailHostConnect> {
  // Addresses that are bogus or could not be validated are not contacted.
  const canConnect = host.address.result === 'data' && (host.address.state === 'secure' || host.address.state === 'insecure');
  if (!canConnect) return { rollover: 'not-applicable', rolloverReason: `no connection was made: ${host.reason}`, connections: [] };
  const base = tlsaBase(host.tlsa.name);
  return connectService(
    {
      addresses: validAddresses(host.address.records, opts.maxAddresses),
      port: opts.port ?? 25,
      protocol: 'smtp',
      // SNI = the TLSA base domain (RFC 7672 §8.1): the MX host name, expanded after a secure CNAME.
      servername: base,
      // RFC 7672 §3.2.3: the TLSA base domain and the next-hop domain.
      referenceIds: [...new Set([base, plain(opts.domain)])],
      records: host.dane === 'dane' ? host.usable.map(parseTlsaText).filter((r): r is TLSAData => r !== null) : [],
      notApplicable: host.reason,
      mustNotFallBack: true,
      usePkix: false,
      cnFallback: true,
    },
    opts,
  );
}

/** The address records that are IP literals, at most `max`. */
export function validAddresses(records: readonly string[], max = MAX_ADDRESSES_PER_HOST): string[] {
  return records.filter((a) => isIP(a) !== 0).slice(0, max);
}

/** `check --mx --connect`: every checked host, in parallel. */
export async function connectMail(result: MailResult, opts: Omit<ConnectMailOptions, 'domain'> = {}): Promise<MailResult & { hosts: (MailHost & MailHostConnect)[] }> {
  const hosts = await Promise.all(result.hosts.map(async (h) => ({ ...h, ...(await connectMailHost(h, { ...opts, domain: result.domain })) })));
  return { ...result, hosts };
}
