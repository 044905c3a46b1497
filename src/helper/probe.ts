/**
 * One probe of the native helper: a TLS connection of its own to one DNSSEC-validated address of
 * the host (never a name lookup), SNI = host, and what the server presented. The TLS code is the
 * `check --connect` one (src/cli/connect.ts `fetchChain`): one connection routine for the CLI and
 * the helper.
 */
import { BlockList, isIP } from 'node:net';
import { fetchChain } from '../cli/connect';
import type { HelperRequest, ProbeErrorCode, ProbeResult } from '../shared/helper-protocol';
import { HELPER_LIMITS } from './limits';

export type ProbeRequest = Extract<HelperRequest, { type: 'probe' }>;
export type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; error: ProbeErrorCode; message: string };
export type Probe = (request: ProbeRequest) => Promise<ProbeOutcome>;

/**
 * Is `address` one of `validated`? Only IP literals count (a name would need a lookup the helper
 * never makes); IPv6 is compared as addresses, not as text ("::1" = "0:0:0:0:0:0:0:1").
 */
export function isValidatedAddress(address: string, validated: readonly string[]): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  let any = false;
  for (const v of validated) {
    const f = isIP(v);
    if (f === 0) continue;
    list.addAddress(v, f === 4 ? 'ipv4' : 'ipv6');
    any = true;
  }
  return any && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const b64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

export interface ProbeOptions {
  /** Extra trusted CA certificates for Node's PKIX verdict (tests); installs use NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer;
  now?: () => number;
}

export function makeProbe(opts: ProbeOptions = {}): Probe {
  const now = opts.now ?? Date.now;
  return async (req) => {
    if (req.validated.length === 0) return { ok: false, error: 'address-not-validated', message: 'no validated address in the request' };
    if (req.validated.length > HELPER_LIMITS.maxAddresses) return { ok: false, error: 'bad-request', message: `more than ${HELPER_LIMITS.maxAddresses} addresses` };
    if (!isValidatedAddress(req.address, req.validated)) {
      return {
        ok: false,
        error: 'address-not-validated',
        message: `${req.address} is not among the DNSSEC-validated addresses of ${req.host} (${req.validated.join(', ')}): not connecting`,
      };
    }
    const timeoutMs = Math.min(req.timeoutMs ?? HELPER_LIMITS.defaultTimeoutMs, HELPER_LIMITS.maxTimeoutMs);
    const started = now();
    const presented = await fetchChain(req.address, req.port, req.host, timeoutMs, opts.ca);
    if ('error' in presented) {
      const timedOut = / timed out /.test(presented.error) || now() - started >= timeoutMs;
      return { ok: false, error: timedOut ? 'timeout' : 'connect-failed', message: presented.error };
    }
    const { peer } = presented;
    if (peer.sent.length === 0) return { ok: false, error: 'no-certificate', message: 'the server presented no certificate' };
    return {
      ok: true,
      result: {
        address: req.address,
        port: req.port,
        // As sent (usages 2/3), and as Node's PKIX validation built it (usages 0/1): match.ts PeerChains.
        chain: peer.sent.slice(0, HELPER_LIMITS.maxChainCertificates).map(b64),
        validatedChain: peer.pkix.verdict === 'valid' ? peer.pkix.validated.slice(0, HELPER_LIMITS.maxChainCertificates).map(b64) : null,
        pkix: peer.pkix.verdict === 'valid' ? 'valid' : 'invalid',
        pkixError: presented.pkixError,
        tlsVersion: presented.protocol,
        cipher: presented.cipher,
        alpn: presented.alpn,
        elapsedMs: now() - started,
      },
    };
  };
}
