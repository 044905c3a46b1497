/**
 * Name constraints on DANE-TA paths (RFC 7671 §5.2 processes the chain below the trust anchor as
 * RFC 5280 §6.1 does): a CA's nameConstraints (RFC 5280 §4.2.1.10) bound the names of every
 * certificate below it, as §6.1.3 (b) and (c) apply them, the trust anchor's included when it is
 * a certificate (as OpenSSL applies them).
 *
 * Evaluated: dNSName (subjectAltName dNSNames; the leaf's commonName when it has no dNSName, as
 * OpenSSL does for a name that looks like a host name), iPAddress (subjectAltName iPAddress
 * entries), directoryName (the subject, when not empty). A constraint of another form (rfc822Name,
 * URI, …) only bounds names of that form: a certificate that has such a name (or an emailAddress
 * in its subject, for rfc822Name) cannot be judged here and is refused. A wildcard dNSName is
 * refused by an excluded subtree it could stand for (stricter than OpenSSL, which compares it as
 * written).
 */
import { selfIssued, type ParsedCert } from './cert';
import type { NameConstraints, X509Fields } from './x509';

/** RFC 5280 §4.2.1.10: a name within the base, by adding labels on the left; ".x" only below x; "" everything. */
function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/** A wildcard "*.x" stands for every name one label below x: excluded when the base is one of them or above them. */
function dnsExcluded(name: string, base: string): boolean {
  if (dnsWithin(name, base)) return true;
  if (!name.startsWith('*.')) return false;
  const rest = name.slice(2).toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/^\./, '').replace(/\.$/, '');
  const dot = b.indexOf('.');
  return dot > 0 && b.slice(dot + 1) === rest;
}

/** RFC 5280 §4.2.1.10: an address within address/mask of its own family (4 + 4 or 16 + 16 octets). */
function ipWithin(address: Uint8Array, base: Uint8Array): boolean {
  const n = base.length / 2;
  if (address.length !== n) return false;
  for (let i = 0; i < n; i++) if ((address[i]! & base[n + i]!) !== (base[i]! & base[n + i]!)) return false;
  return true;
}

/** RFC 5280 §4.2.1.10 / §7.1: the base's RDNs are the first RDNs of the name. */
function dirWithin(rdns: readonly string[], base: readonly string[]): boolean {
  return base.length <= rdns.length && base.every((k, i) => rdns[i] === k);
}

function ipText(a: Uint8Array): string {
  if (a.length === 4) return a.join('.');
  if (a.length !== 16) return `#${[...a].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((a[i]! << 8) | a[i + 1]!).toString(16));
  return words.join(':');
}

/** The leaf's commonNames that look like host names: OpenSSL checks them against dNSName constraints when there is no dNSName. */
function hostLikeCommonNames(c: X509Fields): string[] {
  return c.subject.commonNames.filter((n) => /^(\*\.)?([a-z0-9_-]+\.)+[a-z0-9_-]+\.?$/i.test(n));
}

/**
 * Why `c` lies outside `nc` (a CA's nameConstraints), or null when it does not. `leaf`: `c` is
 * the end-entity certificate.
 */
export function nameConstraintsNote(nc: NameConstraints, c: X509Fields, leaf: boolean): string | null {
  if (nc.problem) return `its issuer's nameConstraints cannot be evaluated: ${nc.problem}`;
  const { permitted, excluded } = nc;
  const dns = c.dnsNames.length > 0 || !leaf ? c.dnsNames : hostLikeCommonNames(c);
  for (const n of dns) {
    if (permitted.dns.length > 0 && !permitted.dns.some((b) => dnsWithin(n, b))) return `DNS name ${n} is not within the permitted subtrees ${permitted.dns.join(', ')}`;
    const hit = excluded.dns.find((b) => dnsExcluded(n, b));
    if (hit !== undefined) return `DNS name ${n} is within the excluded subtree ${hit || '(all names)'}`;
  }
  for (const a of c.ipAddresses) {
    if (permitted.ip.length > 0 && !permitted.ip.some((b) => ipWithin(a, b))) return `IP address ${ipText(a)} is not within the permitted subtrees`;
    if (excluded.ip.some((b) => ipWithin(a, b))) return `IP address ${ipText(a)} is within an excluded subtree`;
  }
  if (c.subject.rdns.length > 0) {
    if (permitted.dirs.length > 0 && !permitted.dirs.some((b) => dirWithin(c.subject.rdns, b))) return `subject ${c.subject.text} is not within the permitted directory names`;
    if (excluded.dirs.some((b) => dirWithin(c.subject.rdns, b))) return `subject ${c.subject.text} is within an excluded directory name`;
  }
  const forms = [...permitted.other, ...excluded.other];
  const unjudged = c.otherNameForms.find((f) => forms.includes(f)) ?? (forms.includes(1) && c.subject.hasEmail ? 1 : undefined);
  if (unjudged !== undefined) return `it has a name of a form (GeneralName [${unjudged}]) whose constraints this checker does not evaluate`;
  return null;
}

/**
 * Why a certificate of `path` (leaf first) lies outside the nameConstraints of `ca`, the CA above
 * them all, or null. Self-issued intermediates are not bound (RFC 5280 §6.1.3 (b)); the leaf is.
 */
export function pathOutsideConstraints(ca: ParsedCert, path: readonly ParsedCert[]): string | null {
  const nc = ca.x509.nameConstraints;
  if (!nc) return null;
  for (let k = 0; k < path.length; k++) {
    const c = path[k]!;
    if (k > 0 && selfIssued(c)) continue;
    const why = nameConstraintsNote(nc, c.x509, k === 0);
    if (why) return why;
  }
  return null;
}
