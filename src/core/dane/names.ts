/**
 * TLSA owner names (RFC 6698 §3) and certificate name checks (RFC 6125 §6.4, as required for
 * DANE-TA(2) by RFC 7671 §5.2 and for the PKIX usages by RFC 6698 §2.1.1).
 *
 * Host names are handled in their ASCII (A-label) form, as `URL.hostname` gives them; names
 * with characters outside letters, digits, '-' and '_' are rejected (null), so no RFC 1035
 * §5.1 escaping is ever needed in the `Name` we build.
 */
import type { Name } from '../wire/types';

const LABEL_RE = /^[A-Za-z0-9_-]{1,63}$/;
const PROTO_RE = /^[A-Za-z0-9-]{1,62}$/;

/** Drop one trailing dot; null for an empty name or invalid labels / length (RFC 1035 §2.3.4). */
function hostLabels(host: string): string[] | null {
  if (typeof host !== 'string') return null;
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  if (h.length === 0 || h.length > 253) return null;
  const labels = h.split('.');
  return labels.every((l) => LABEL_RE.test(l)) ? labels : null;
}

/**
 * TLSA owner name for a service: `_<port>._<proto>.<host>.` (RFC 6698 §3), e.g.
 * `tlsaName('www.example.com', 443)` → `_443._tcp.www.example.com.`.
 * Returns null (never throws) for an invalid host, port (0..65535) or protocol label.
 * Case of `host` is preserved (DNS names compare case-insensitively).
 */
export function tlsaName(host: string, port: number, proto = 'tcp'): Name | null {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  if (typeof proto !== 'string' || !PROTO_RE.test(proto)) return null;
  const labels = hostLabels(host);
  if (!labels) return null;
  const name = `_${port}._${proto}.${labels.join('.')}.`;
  // 255 octets on the wire = presentation length + 1 (RFC 1035 §3.1).
  return name.length + 1 <= 255 ? name : null;
}

/**
 * The TLSA owner name to query for a host `Name` on TCP (RFC 6698 §3): `tlsaName`, or, for a host
 * outside the letter-digit-hyphen form that `tlsaName` builds from (a DNS name may hold any octet,
 * RFC 2181 §11, e.g. a CNAME target), the same prefix before the name as it is.
 */
export function tcpTlsaName(host: Name, port: number): Name {
  return tlsaName(host, port, 'tcp') ?? `_${port}._tcp.${host}`;
}

/** A port a TCP service can be reached on: 1..65535 (port 0 is reserved, RFC 6335 §6). */
export function isServicePort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

export interface TlsaOwner {
  port: number;
  proto: string;
  /** Base domain without the trailing dot, case preserved. */
  host: string;
}

/**
 * Inverse of `tlsaName`: `_443._tcp.www.example.com.` → { port: 443, proto: 'tcp', host:
 * 'www.example.com' }. The trailing dot is optional. The protocol is lowercased. Null when the
 * name is not of that shape (port label must be decimal without leading zeros, 0..65535).
 */
export function parseTlsaName(name: Name): TlsaOwner | null {
  if (typeof name !== 'string') return null;
  const m = /^_(0|[1-9][0-9]{0,4})\._([A-Za-z0-9-]{1,62})\.(.+)$/.exec(name);
  if (!m) return null;
  const port = Number(m[1]);
  if (port > 65535) return null;
  const labels = hostLabels(m[3]);
  if (!labels) return null;
  return { port, proto: m[2].toLowerCase(), host: labels.join('.') };
}

/** ASCII-only lowercase: DNS names compare case-insensitively for A-Z only (RFC 4343 §3). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function normalise(name: string): string {
  const n = asciiLower(name.trim());
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/**
 * Does one presented DNS-ID (a subjectAltName dNSName) match the reference identifier `host`?
 * RFC 6125 §6.4.1 (case-insensitive, trailing dot ignored) and §6.4.3 (wildcards), applied
 * strictly like the CA/Browser Forum rules: the wildcard must be the complete leftmost label
 * (`*.example.com`, not `w*.example.com`), it matches exactly one non-empty label, and at least
 * two labels must follow it (no `*.com`).
 */
export function dnsNameMatches(presented: string, host: string): boolean {
  if (typeof presented !== 'string' || typeof host !== 'string') return false;
  const p = normalise(presented);
  const h = normalise(host);
  if (p.length === 0 || h.length === 0) return false;
  const pl = p.split('.');
  const hl = h.split('.');
  if (pl.some((l) => l.length === 0) || hl.some((l) => l.length === 0)) return false;
  if (pl[0] === '*') {
    if (pl.length < 3 || pl.slice(1).some((l) => l.includes('*'))) return false;
    if (hl.length !== pl.length) return false; // the wildcard spans exactly one label
    return hl.slice(1).join('.') === pl.slice(1).join('.');
  }
  if (p.includes('*')) return false; // partial or non-leftmost wildcard: never matches
  return p === h;
}

/**
 * Does a certificate (its subjectAltName dNSNames) match `host`? The subject CN is not
 * consulted: RFC 6125 §6.4.4 allows it only without any DNS-ID, and browsers no longer do it.
 */
export function certMatchesHost(dnsNames: readonly string[], host: string): boolean {
  return dnsNames.some((n) => dnsNameMatches(n, host));
}

/**
 * SMTP's name check for DANE-TA (RFC 7672 §3.2.3): "If the server certificate contains a Subject
 * Alternative Name extension with at least one DNS-ID, then only the DNS-IDs are matched against
 * the client's reference identifiers. The CN-ID is used only if there are no DNS-IDs." A CN is
 * matched by the same rules as a DNS-ID (wildcard only as the whole left-most label).
 */
export function certMatchesHostOrCn(dnsNames: readonly string[], commonNames: readonly string[], host: string): boolean {
  if (dnsNames.length > 0) return certMatchesHost(dnsNames, host);
  return commonNames.some((n) => dnsNameMatches(n, host));
}
