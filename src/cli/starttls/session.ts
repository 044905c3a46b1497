/**
 * One TLS session to a service, in Node: TCP connect, the plaintext STARTTLS dialogue
 * (./protocol.ts) or none (implicit TLS, e.g. 465/993/995), then the TLS handshake with SNI, and
 * the chain the server presented. Every step has its own time-out (limits.ts); the result always
 * says which step ended it and why. Never throws, never hangs past the time-outs.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { PeerChains } from '../../core/dane/match';
import { peerChains } from '../connect';
import { STARTTLS_LIMITS } from './limits';
import { starttlsDialog, type DialogStep, type StarttlsOffer, type StarttlsProtocol } from './protocol';

/** How a session ended, in the terms of issue #15's `connections[].dane` before matching. */
export type SessionEnd = 'tls' | 'no-starttls' | 'tls-failed' | 'unreachable';

export interface SessionResult {
  address: string;
  port: number;
  /** null: implicit TLS, or the dialogue ended before the capabilities were known. */
  starttls: StarttlsOffer | null;
  end: SessionEnd;
  reason?: string;
  banner?: string;
  tls?: { version: string; cipher: string };
  /** DER certificates as sent, leaf first (= peer.sent). */
  certs?: Uint8Array[];
  /** Both chains with Node's PKIX verdict (CA store + NODE_EXTRA_CA_CERTS + `ca`) for the SNI name. */
  peer?: PeerChains;
}

export interface SessionOptions {
  address: string;
  port: number;
  /** SNI (RFC 6066 §3) and the name for Node's PKIX verdict. */
  servername: string;
  /** 'implicit': TLS from the first byte. */
  protocol: StarttlsProtocol | 'implicit';
  stepTimeoutMs?: number;
  ehloName?: string;
  /** XMPP stream `to`. */
  domain?: string;
  ca?: string | Buffer;
}

export function openSession(o: SessionOptions): Promise<SessionResult> {
  const stepMs = o.stepTimeoutMs ?? STARTTLS_LIMITS.stepTimeoutMs;
  const where = `${o.address.includes(':') ? `[${o.address}]` : o.address}:${o.port}`;
  return new Promise((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // assigned once below, after `finish` (which closes it) is defined
    // eslint-disable-next-line prefer-const
    let tcp: Socket | undefined;
    let tls: TLSSocket | undefined;
    const dialog = o.protocol === 'implicit' ? null : starttlsDialog(o.protocol, { ehloName: o.ehloName, domain: o.domain });
    const base = (): Pick<SessionResult, 'address' | 'port' | 'starttls' | 'banner'> => ({
      address: o.address,
      port: o.port,
      starttls: dialog?.starttls ?? null,
      ...(dialog?.banner !== undefined ? { banner: dialog.banner } : {}),
    });
    const finish = (r: Omit<SessionResult, 'address' | 'port' | 'starttls' | 'banner'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls?.destroy();
      tcp?.destroy();
      resolve({ ...base(), ...r });
    };
    const arm = (what: () => string, end: SessionEnd) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ end, reason: `${what()} did not arrive from ${where} within ${stepMs} ms` }), stepMs);
    };
    const startTls = (socket?: Socket) => {
      arm(() => 'the TLS handshake', 'tls-failed');
      const servername = isIP(o.servername) ? undefined : o.servername;
      tls = tlsConnect({ ...(socket ? { socket } : { host: o.address, port: o.port }), servername, rejectUnauthorized: false, ...(o.ca ? { ca: o.ca } : {}) }, () => {
        const t = tls!;
        const peer = peerChains(t);
        const certs = peer.sent;
        const cipher = t.getCipher();
        finish({
          end: 'tls',
          tls: { version: t.getProtocol() ?? '', cipher: cipher?.standardName ?? cipher?.name ?? '' },
          certs,
          peer,
          ...(certs.length === 0 ? { reason: 'the server presented no certificate' } : {}),
        });
      });
      tls.on('error', (e) => finish({ end: socket ? 'tls-failed' : 'unreachable', reason: `${socket ? 'TLS handshake' : 'TLS connection'} with ${where} failed: ${e.message}` }));
      tls.on('close', () => finish({ end: 'tls-failed', reason: `${where} closed the connection during the TLS handshake` }));
    };
    if (!dialog) {
      startTls();
      return;
    }
    tcp = netConnect({ host: o.address, port: o.port });
    arm(() => 'the TCP connection', 'unreachable');
    const apply = (step: DialogStep) => {
      for (const s of step.send) tcp!.write(s);
      if (!step.outcome) {
        if (step.send.length) arm(() => dialog.phase, 'unreachable');
        return;
      }
      if (step.outcome.kind === 'start-tls') {
        tcp!.removeAllListeners('data');
        tcp!.removeAllListeners('end');
        tcp!.removeAllListeners('close');
        startTls(tcp);
        return;
      }
      const code = step.outcome.code;
      const end: SessionEnd = code === 'not-offered' || code === 'refused' ? 'no-starttls' : 'unreachable';
      const reason = step.outcome.reason;
      if (step.send.length) tcp!.end();
      finish({ end, reason });
    };
    tcp.on('connect', () => {
      arm(() => dialog.phase, 'unreachable');
      apply(dialog.start());
    });
    tcp.on('data', (chunk: Buffer) => apply(dialog.receive(new Uint8Array(chunk))));
    tcp.on('end', () => apply(dialog.closed()));
    tcp.on('close', () => apply(dialog.closed()));
    tcp.on('error', (e) => finish({ end: 'unreachable', reason: `connection to ${where} failed: ${e.message}` }));
  });
}
