/**
 * The messages between the extension (Chrome, `runtime.connectNative`) and the native helper
 * (`dnssec-tlsa-helper`, src/helper/). One long-lived port; every request carries an id that its
 * reply repeats. Pure: both sides parse what they receive with these functions, so a message of
 * the wrong shape is a typed error on either side, never a guess.
 */

/** The native-messaging host name (lower case, dots and underscores only: Chrome's rule). */
export const HELPER_HOST_NAME = 'org.dnssec_tlsa_validator.helper';

/** Raised whenever a message changes shape; the extension refuses a helper that speaks another. */
export const HELPER_PROTOCOL_VERSION = 1;

export type HelperRequest =
  | { id: number; type: 'hello'; protocol: number }
  | {
      id: number;
      type: 'probe';
      host: string;
      port: number;
      /** The DNSSEC-validated A/AAAA addresses of host. */
      validated: string[];
      /** The address to connect to: the browser's own (webRequest details.ip), or one of `validated`. */
      address: string;
      timeoutMs?: number;
    };

/** Why a probe gave no certificate. */
export type ProbeErrorCode =
  | 'bad-request'
  | 'address-not-validated'
  | 'connect-failed'
  | 'timeout'
  | 'no-certificate'
  | 'busy'
  | 'reply-too-large';

export interface ProbeResult {
  /** The address the helper connected to (always one of the request's `validated`). */
  address: string;
  port: number;
  /** DER certificates, base64, in the order the server sent them (leaf first). */
  chain: string[];
  /** The chain Node's PKIX validation built (leaf → trusted root), base64 DER; null when PKIX failed. */
  validatedChain: string[] | null;
  pkix: 'valid' | 'invalid';
  /** Node's reason when PKIX failed (e.g. "self-signed certificate"). */
  pkixError: string | null;
  tlsVersion: string | null;
  cipher: string | null;
  alpn: string | null;
  elapsedMs: number;
}

export type HelperReply =
  | { id: number; type: 'hello'; protocol: number; version: string }
  | { id: number; type: 'probe'; ok: true; result: ProbeResult }
  | { id: number; type: 'probe'; ok: false; error: ProbeErrorCode; message: string }
  /** A request the helper could not even read (no usable id). */
  | { id: null; type: 'error'; error: 'bad-json' | 'bad-request'; message: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The request's id, when it has a usable one (for the error reply to a malformed request). */
export function requestId(v: unknown): number | null {
  return isObject(v) && isId(v.id) ? v.id : null;
}

/** Helper side: a request from the extension, checked field by field. */
export function parseHelperRequest(v: unknown): Parsed<HelperRequest> {
  if (!isObject(v)) return { ok: false, message: 'request is not an object' };
  if (!isId(v.id)) return { ok: false, message: 'request has no id' };
  if (v.type === 'hello') {
    if (typeof v.protocol !== 'number') return { ok: false, message: 'hello without protocol' };
    return { ok: true, value: { id: v.id, type: 'hello', protocol: v.protocol } };
  }
  if (v.type !== 'probe') return { ok: false, message: `unknown request type ${JSON.stringify(v.type)}` };
  if (typeof v.host !== 'string' || v.host.length === 0 || v.host.length > 253) return { ok: false, message: 'bad host' };
  if (typeof v.port !== 'number' || !Number.isInteger(v.port) || v.port < 1 || v.port > 65535) return { ok: false, message: 'bad port' };
  if (!isStringArray(v.validated)) return { ok: false, message: 'validated must be a list of addresses' };
  if (typeof v.address !== 'string') return { ok: false, message: 'address must be a string' };
  if (v.timeoutMs !== undefined && (typeof v.timeoutMs !== 'number' || !(v.timeoutMs > 0))) return { ok: false, message: 'bad timeoutMs' };
  return {
    ok: true,
    value: {
      id: v.id,
      type: 'probe',
      host: v.host,
      port: v.port,
      validated: v.validated,
      address: v.address,
      ...(v.timeoutMs !== undefined ? { timeoutMs: v.timeoutMs as number } : {}),
    },
  };
}

const PROBE_ERRORS: readonly ProbeErrorCode[] = ['bad-request', 'address-not-validated', 'connect-failed', 'timeout', 'no-certificate', 'busy', 'reply-too-large'];

function parseProbeResult(v: unknown): ProbeResult | null {
  if (!isObject(v)) return null;
  const ok =
    typeof v.address === 'string' &&
    typeof v.port === 'number' &&
    isStringArray(v.chain) &&
    (v.validatedChain === null || isStringArray(v.validatedChain)) &&
    (v.pkix === 'valid' || v.pkix === 'invalid') &&
    isNullableString(v.pkixError) &&
    isNullableString(v.tlsVersion) &&
    isNullableString(v.cipher) &&
    isNullableString(v.alpn) &&
    typeof v.elapsedMs === 'number';
  if (!ok) return null;
  return {
    address: v.address as string,
    port: v.port as number,
    chain: v.chain as string[],
    validatedChain: v.validatedChain as string[] | null,
    pkix: v.pkix as 'valid' | 'invalid',
    pkixError: v.pkixError as string | null,
    tlsVersion: v.tlsVersion as string | null,
    cipher: v.cipher as string | null,
    alpn: v.alpn as string | null,
    elapsedMs: v.elapsedMs as number,
  };
}

/** Extension side: a reply from the helper. Anything else is garbage, reported as such. */
export function parseHelperReply(v: unknown): Parsed<HelperReply> {
  if (!isObject(v)) return { ok: false, message: 'reply is not an object' };
  if (v.type === 'error' && v.id === null && (v.error === 'bad-json' || v.error === 'bad-request') && typeof v.message === 'string') {
    return { ok: true, value: { id: null, type: 'error', error: v.error, message: v.message } };
  }
  if (!isId(v.id)) return { ok: false, message: 'reply has no id' };
  if (v.type === 'hello') {
    if (typeof v.protocol !== 'number' || typeof v.version !== 'string') return { ok: false, message: 'bad hello reply' };
    return { ok: true, value: { id: v.id, type: 'hello', protocol: v.protocol, version: v.version } };
  }
  if (v.type !== 'probe') return { ok: false, message: `unknown reply type ${JSON.stringify(v.type)}` };
  if (v.ok === true) {
    const result = parseProbeResult(v.result);
    if (!result) return { ok: false, message: 'bad probe result' };
    return { ok: true, value: { id: v.id, type: 'probe', ok: true, result } };
  }
  if (v.ok === false && PROBE_ERRORS.includes(v.error as ProbeErrorCode) && typeof v.message === 'string') {
    return { ok: true, value: { id: v.id, type: 'probe', ok: false, error: v.error as ProbeErrorCode, message: v.message } };
  }
  return { ok: false, message: 'bad probe reply' };
}

/**
 * The extension id of development (unpacked) Chrome builds: fixed by the public key in
 * manifest.json (`key`), so the helper's `allowed_origins` can name it. The store build has no
 * `key` and gets the store's id (install with --extension-id).
 */
export const DEV_EXTENSION_ID = 'himdefdfecncjifjkgdgbnhejiiioinl';
