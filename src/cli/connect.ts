/**
 * `check --connect`: connect to the validated address (never the system resolver) with SNI = host,
 * take the certificate chain the server really presented and match it against the TLSA RRset.
 */
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { CheckResult, HostVerdict } from '../core/check';
import { daneFromMatch, daneBeforeConnect } from '../core/check';
import { matchTlsa, parseCertificate, tlsaToString, type DaneMatch } from '../core/dane/match';
import { RRType, type TLSAData } from '../core/wire/types';

export interface ConnectOptions {
  timeoutMs?: number;
  now?: Date;
  /** Extra CA certificates for Node's PKIX verdict (tests); the CLI relies on NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer;
}

interface Presented {
  certs: Uint8Array[];
  authorized: boolean;
  protocol: string | null;
}

/** Open a TLS connection and collect the chain as sent (leaf first). */
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
        const certs: Uint8Array[] = [];
        let c: PeerCertificate | undefined = socket!.getPeerCertificate(true);
        const seen = new Set<string>();
        while (c && c.raw && !seen.has(c.fingerprint256)) {
          seen.add(c.fingerprint256);
          certs.push(new Uint8Array(c.raw));
          c = (c as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
        }
        const out = { certs, authorized: socket!.authorized, protocol: socket!.getProtocol() };
        socket!.end();
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
  const pre = daneBeforeConnect(result);
  if (pre) return { ...result, dane: pre.dane, daneReason: pre.reason };
  const ip = v.a.records.find((r) => r.type === RRType.A) ?? v.aaaa.records.find((r) => r.type === RRType.AAAA);
  if (!ip || (ip.data.kind !== 'A' && ip.data.kind !== 'AAAA')) {
    return { ...result, dane: 'indeterminate', daneReason: 'no validated address to connect to' };
  }
  const presented = await fetchChain(ip.data.address, result.port, result.host, opts.timeoutMs, opts.ca);
  if ('error' in presented) return { ...result, dane: 'indeterminate', daneReason: presented.error };
  if (presented.certs.length === 0) return { ...result, dane: 'indeterminate', daneReason: 'the server presented no certificate' };
  const records = v.tlsa.records.filter((r) => r.data.kind === 'TLSA').map((r) => r.data as TLSAData);
  const match: DaneMatch = await matchTlsa(records, { certs: presented.certs }, {
    host: result.host,
    pkix: presented.authorized ? 'valid' : 'invalid',
    now: opts.now,
  });
  const leaf = await parseCertificate(presented.certs[0]);
  const d = daneFromMatch(match);
  return {
    ...result,
    dane: d.dane,
    daneReason: d.reason,
    daneMatch: matchView(match),
    connectedAddress: ip.data.address,
    certificate: leaf ? { subject: leaf.subject, issuer: leaf.issuer, spkiSha256: leaf.spkiSha256, notAfter: leaf.notAfter } : null,
  };
}

/** JSON view of a match: records in presentation format instead of raw bytes. */
export function matchView(m: DaneMatch): NonNullable<CheckResult['daneMatch']> {
  if (m.state !== 'match') return m;
  return { ...m, record: tlsaToString(m.record) };
}
