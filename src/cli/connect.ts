/**
 * `check --connect`: connect to the validated address (never the system resolver) with SNI = host,
 * take the certificate chain the server really presented and match it against the TLSA RRset.
 */
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { CheckResult, HostVerdict } from '../core/check';
import { daneFromMatch, daneBeforeConnect } from '../core/check';
import { matchTlsa, parseCertificate, tlsaToString, type DaneMatch, type PeerChains } from '../core/dane/match';
import { RRType, type TLSAData } from '../core/wire/types';
import { certificatesThatMatter, type ExpiryItem } from '../core/horizon';

export interface ConnectOptions {
  timeoutMs?: number;
  now?: Date;
  /** Extra CA certificates for Node's PKIX verdict (tests); the CLI relies on NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer;
}

export interface Presented {
  /** Both chains and Node's PKIX verdict, as the matcher takes them. */
  peer: PeerChains;
  authorized: boolean;
  protocol: string | null;
  /** Node's reason when PKIX failed, the negotiated cipher and ALPN protocol (native helper, issue 13). */
  pkixError: string | null;
  cipher: string | null;
  alpn: string | null;
}

/**
 * The chain as validated: Node's `getPeerCertificate(true)` issuer chain — the leaf, the sent
 * certificates that issue one another, then the issuers Node found in its trust store (the root
 * the server rightly did not send). Meaningful only when PKIX succeeded (`authorized`).
 */
function issuerChain(socket: TLSSocket): Uint8Array[] {
  const certs: Uint8Array[] = [];
  let c: PeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    certs.push(new Uint8Array(c.raw));
    c = (c as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return certs;
}

/**
 * The chain as sent, in the server's order with nothing added or dropped: `getPeerX509Certificate()`
 * and its `issuerCertificate` links follow OpenSSL's peer chain as received. Node 20 consumes that
 * chain while doing so, so this must run after `issuerChain`.
 */
function sentChain(socket: TLSSocket): Uint8Array[] {
  const certs: Uint8Array[] = [];
  let x: X509Certificate | undefined = socket.getPeerX509Certificate();
  while (x && certs.length < 64) {
    certs.push(new Uint8Array(x.raw));
    x = x.issuerCertificate;
  }
  return certs;
}

/** Both chains of a finished handshake, as the matcher takes them (also used by the STARTTLS sessions, issue #15). */
export function peerChains(s: TLSSocket): PeerChains {
  const validated = issuerChain(s); // first: sentChain consumes OpenSSL's peer chain
  const sent = sentChain(s);
  return { sent: sent.length > 0 ? sent : validated.slice(0, 1), pkix: s.authorized ? { verdict: 'valid', validated } : { verdict: 'invalid' } };
}

/** Open a TLS connection and collect the chain as sent (leaf first) and the chain Node validated. */
export function fetchChain(ip: string, port: number, servername: string, timeoutMs = 8000, ca?: string | Buffer): Promise<Presented | { error: string }> {
  return new Promise((resolve) => {
    let socket: TLSSocket | undefined;
    const timer = setTimeout(() => {
      socket?.destroy();
      resolve({ error: `TLS connection to ${ip}:${port} timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    try {
      socket = connect({ host: ip, port, servername: isIP(servername) ? undefined : servername, rejectUnauthorized: false, ...(ca ? { ca } : {}), ALPNProtocols: ['http/1.1'] }, () => {
        clearTimeout(timer);
        const s = socket!;
        const authorized = s.authorized;
        const err = s.authorizationError as Error | string | null;
        const out = {
          peer: peerChains(s),
          authorized,
          protocol: s.getProtocol(),
          pkixError: err ? String(err instanceof Error ? err.message : err) : null,
          cipher: s.getCipher()?.standardName ?? s.getCipher()?.name ?? null,
          alpn: s.alpnProtocol || null,
        };
        s.end();
        resolve(out);
      });
      socket.on('error', (e) => {
        clearTimeout(timer);
        resolve({ error: `TLS connection to ${ip}:${port} failed: ${e.message}` });
      });
    } catch (e) {
      clearTimeout(timer);
      resolve({ error: `TLS connection to ${ip}:${port} failed: ${(e as Error).message}` });
    }
  });
}

export async function connectAndMatch(result: CheckResult, v: HostVerdict, opts: ConnectOptions = {}): Promise<CheckResult> {
  const got = await connectForMatch(result, v, opts);
  return 'done' in got ? got.done : matchPresented(result, v, got.presented, got.address, opts.now);
}

/** The connection half of `--connect`: the presented chains, or the final result when there is nothing to match. */
export async function connectForMatch(result: CheckResult, v: HostVerdict, opts: ConnectOptions = {}): Promise<{ done: CheckResult } | { presented: Presented; address: string }> {
  const pre = daneBeforeConnect(result);
  if (pre) return { done: { ...result, dane: pre.dane, daneReason: pre.reason } };
  const ip = v.a.records.find((r) => r.type === RRType.A) ?? v.aaaa.records.find((r) => r.type === RRType.AAAA);
  if (!ip || (ip.data.kind !== 'A' && ip.data.kind !== 'AAAA')) {
    return { done: { ...result, dane: 'indeterminate', daneReason: 'no validated address to connect to' } };
  }
  const presented = await fetchChain(ip.data.address, result.port, result.host, opts.timeoutMs, opts.ca);
  if ('error' in presented) return { done: { ...result, dane: 'indeterminate', daneReason: presented.error } };
  if (presented.peer.sent.length === 0) return { done: { ...result, dane: 'indeterminate', daneReason: 'the server presented no certificate' } };
  return { presented, address: ip.data.address };
}

/** Every certificate within its dates at `at` (RFC 5280 §4.1.2.5)? */
async function withinDates(certs: Uint8Array[], at: Date): Promise<boolean> {
  const infos = await Promise.all(certs.map((c) => parseCertificate(c)));
  return infos.every((c) => c !== null && Date.parse(c.notBefore) <= at.getTime() && at.getTime() <= Date.parse(c.notAfter));
}

/**
 * The matching half: the presented chains against the TLSA RRset at `now`. Node's PKIX verdict
 * was reached at the real time; judged at another time (`--days`, `--now`), it holds only while
 * every certificate of the validated chain is within its dates.
 */
export async function matchPresented(result: CheckResult, v: HostVerdict, presented: Presented, address: string, now?: Date): Promise<CheckResult> {
  const records = v.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => r.data as TLSAData);
  const pkix = presented.peer.pkix;
  const peer: PeerChains = now && pkix.verdict === 'valid' && !(await withinDates(pkix.validated, now)) ? { ...presented.peer, pkix: { verdict: 'invalid' } } : presented.peer;
  const match: DaneMatch = await matchTlsa(records, peer, { host: result.host, now });
  const leaf = await parseCertificate(presented.peer.sent[0]);
  const d = daneFromMatch(match);
  return {
    ...result,
    dane: d.dane,
    daneReason: d.reason,
    daneMatch: matchView(match),
    connectedAddress: address,
    certificate: leaf ? { subject: leaf.subject, issuer: leaf.issuer, spkiSha256: leaf.spkiSha256, notAfter: leaf.notAfter } : null,
  };
}

/** JSON view of a match: records in presentation format instead of raw bytes. */
export function matchView(m: DaneMatch): NonNullable<CheckResult['daneMatch']> {
  if (m.state !== 'match') return m;
  return { ...m, record: tlsaToString(m.record) };
}

/**
 * The certificates whose dates the DANE match depends on (none for DANE-EE, RFC 7671 §5.1): for
 * the TA usages those below the anchor in the chain matched, for the PKIX usages the whole
 * validated chain.
 */
export async function certificateExpiries(r: CheckResult, p: Presented | undefined): Promise<ExpiryItem[]> {
  if (!p || r.dane !== 'match' || !r.daneMatch || r.daneMatch.state !== 'match') return [];
  const chain = r.daneMatch.usage <= 1 && p.peer.pkix.verdict === 'valid' ? p.peer.pkix.validated : p.peer.sent;
  const idx = certificatesThatMatter(r.daneMatch.usage, r.daneMatch.certIndex, chain.length);
  const infos = await Promise.all(idx.map((i) => parseCertificate(chain[i])));
  return infos.flatMap((c, k) => (c ? [{ kind: 'certificate' as const, what: `certificate #${idx[k]} (${c.subject}) valid until ${c.notAfter}`, at: Date.parse(c.notAfter) }] : []));
}
