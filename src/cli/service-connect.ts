/**
 * `check <host> --port <n> --starttls smtp|submission|imap|pop3|xmpp-client|xmpp-server`
 * (issue #15 part 2): the host check of `check`, then a STARTTLS session to every validated address
 * and the presented chain matched against the TLSA records, with rollover readiness.
 *
 * XMPP (RFC 7673, RFC 6120 §3.2): the service domain's validated SRV records
 * `_xmpp-client._tcp` / `_xmpp-server._tcp` give the target host and port; the TLSA records are at
 * `_<port>._tcp.<target>` (RFC 7673 §3); the reference identifier and SNI are the service domain
 * (as the issue asks; RFC 7712). DANE needs a secure SRV RRset (RFC 7673 §3.1). Without SRV
 * records the domain itself on the default port (RFC 6120 §3.2.2).
 * SMTP on port 25: only DANE-TA(2)/DANE-EE(3) count (RFC 7672 §3.1.3); other services use every
 * usable record, PKIX usages with Node's PKIX verdict.
 */
import { daneBeforeConnect, toCheckResult, validateHost, type CheckResult, type DaneState, type LookupSummary } from '../core/check';
import { smtpUsable } from '../core/mail';
import { splitUsable } from '../core/dane/usable';
import type { Validator } from '../core/dnssec/validator';
import { readName } from '../core/wire/name';
import { rdataToString } from '../core/wire/present';
import { RRType, type Name, type TLSAData } from '../core/wire/types';
import { connectService, plain, tlsaBase, validAddresses, type MailHostConnect } from './mail-connect';
import type { StarttlsProtocol } from './starttls/protocol';

export interface ServiceResult extends CheckResult, MailHostConnect {
  service: {
    protocol: StarttlsProtocol;
    /** XMPP only: the SRV lookup and the target chosen. */
    srv?: LookupSummary & { name: string; target: string | null; port: number | null };
  };
}

const XMPP_DEFAULT_PORT = { 'xmpp-client': 5222, 'xmpp-server': 5269 } as const;

interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: Name;
}

/** SRV RDATA (RFC 2782): priority, weight, port, target (not compressed). Null when malformed. */
export function parseSrv(bytes: Uint8Array): Srv | null {
  if (bytes.length < 7) return null;
  try {
    const { name, next } = readName(bytes, 6, { compression: false });
    if (next !== bytes.length) return null;
    return { priority: (bytes[0] << 8) | bytes[1], weight: (bytes[2] << 8) | bytes[3], port: (bytes[4] << 8) | bytes[5], target: name };
  } catch {
    return null;
  }
}

export async function checkService(validator: Validator, host: Name, port: number, protocol: StarttlsProtocol, opts: { now?: Date; stepTimeoutMs?: number } = {}): Promise<ServiceResult> {
  const started = performance.now();
  let target: Name = host;
  let srvSummary: ServiceResult['service']['srv'];
  let srvProblem: { dane: DaneState; reason: string } | null = null;
  if (protocol === 'xmpp-client' || protocol === 'xmpp-server') {
    const srvName = `_${protocol}._tcp.${host}`;
    const srv = await validator.lookup(srvName, RRType.SRV);
    const records = srv.records.filter((r) => r.type === RRType.SRV && r.data.kind === 'unknown').map((r) => parseSrv((r.data as { bytes: Uint8Array }).bytes));
    const best = records.filter((r): r is Srv => r !== null).sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
    port = best ? best.port : XMPP_DEFAULT_PORT[protocol];
    target = best ? best.target : host;
    srvSummary = {
      name: plain(srvName),
      state: srv.state,
      result: srv.result,
      records: srv.records.map((r) => rdataToString(r)),
      ...(srv.reason ? { reason: srv.reason.message, reasonCode: srv.reason.code } : {}),
      target: plain(target),
      port,
    };
    if (best && best.target === '.') srvProblem = { dane: 'indeterminate', reason: `the SRV record at ${plain(srvName)} says the service is not available (target ".", RFC 2782)` };
    else if (srv.state === 'bogus') srvProblem = { dane: 'bogus', reason: `the SRV records at ${plain(srvName)} are bogus: ${srv.reason?.message ?? ''}`.trim() };
    else if (srv.state === 'indeterminate') srvProblem = { dane: 'indeterminate', reason: srv.reason?.message ?? 'SRV lookup failed' };
    else if (srv.state === 'insecure') srvProblem = { dane: 'insecure', reason: `the SRV records at ${plain(srvName)} are not signed: DANE does not apply (RFC 7673 §3.1)` };
  }
  const v = await validateHost(validator, target, port);
  const result = toCheckResult(plain(target), port, v, performance.now() - started);
  const pre = srvProblem ?? daneBeforeConnect(result);
  const all = v.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => r.data as TLSAData);
  const records = pre ? [] : protocol === 'smtp' && port === 25 ? smtpUsable(all) : splitUsable(all).usable.map((u) => u.record);
  const xmpp = srvSummary !== undefined;
  const base = tlsaBase(result.tlsa.name);
  const connect =
    srvProblem?.dane === 'bogus' || result.address.state === 'bogus' || result.address.result !== 'data'
      ? { rollover: 'not-applicable' as const, rolloverReason: `no connection was made: ${pre?.reason ?? 'no address'}`, connections: [] }
      : await connectService(
          {
            addresses: validAddresses(result.address.records),
            port,
            protocol,
            servername: xmpp ? plain(host) : plain(target),
            referenceIds: xmpp ? [plain(host)] : [...new Set([plain(target), base])],
            records,
            notApplicable: pre?.reason ?? 'no usable TLSA records (RFC 7671 §4.1)',
            mustNotFallBack: protocol === 'smtp',
            usePkix: !(protocol === 'smtp' && port === 25),
            // RFC 7672 §3.2.3 (SMTP between MTAs): the subject CN names a leaf without DNS-IDs.
            cnFallback: protocol === 'smtp' && port === 25,
          },
          { now: opts.now, stepTimeoutMs: opts.stepTimeoutMs, domain: plain(host) },
        );
  let dane: DaneState = pre?.dane ?? 'indeterminate';
  let daneReason = pre?.reason;
  if (!pre) {
    const cs = connect.connections;
    const bad = cs.find((c) => c.dane === 'mismatch') ?? cs.find((c) => c.dane !== 'match');
    if (cs.length > 0 && !bad) dane = 'match';
    else if (bad?.dane === 'mismatch') dane = 'mismatch';
    daneReason = bad ? `${bad.address}: ${bad.reason}` : cs[0]?.reason ?? 'no address to connect to';
  }
  return { ...result, dane, ...(daneReason ? { daneReason } : {}), service: { protocol, ...(srvSummary ? { srv: srvSummary } : {}) }, ...connect, elapsedMs: Math.round(performance.now() - started) };
}
