/**
 * Limits of the native-messaging helper, each with its reason.
 * Chrome's native messaging protocol: https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging
 */
export const HELPER_LIMITS = {
  /** Chrome drops a host whose single message is larger than 1 MB ("to protect Chrome from misbehaving native applications"). */
  maxReplyBytes: 1024 * 1024,
  /** Chrome sends at most 64 MiB to a host in one message; a longer length prefix is not Chrome's and the stream cannot be trusted. */
  maxRequestBytes: 64 * 1024 * 1024,
  /** A probe that has not finished the TLS handshake by then is answered with a timeout (the page must not wait for it). */
  defaultTimeoutMs: 8_000,
  /** Upper bound for a timeout asked for by the extension. */
  maxTimeoutMs: 30_000,
  /** Probes running at once: a browser opening many tabs must not make the helper open hundreds of connections. */
  maxConcurrentProbes: 16,
  /** Validated addresses in one request (A + AAAA of one host; anything longer is not from our background). */
  maxAddresses: 64,
  /** Certificates returned per chain (a server sending more is either broken or hostile; the reply must stay under maxReplyBytes). */
  maxChainCertificates: 16,
} as const;
