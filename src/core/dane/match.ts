/**
 * DANE TLSA matching: does the certificate chain a TLS server presented satisfy a (DNSSEC
 * validated) TLSA RRset? RFC 6698 §2.1 (fields), RFC 7671 (updated semantics), RFC 7218
 * (acronyms). Pure TypeScript; the only platform API is `crypto.subtle`.
 *
 * Which chain each usage is matched against (`PeerChains`):
 *   usages 2, 3 (DANE-TA, DANE-EE)  the chain AS SENT by the server (`sent`): DANE does not depend
 *              on any client trust store, so only what the server sent (plus, for DANE-TA, a trust
 *              anchor carried whole in the TLSA record) may form the path (RFC 7671 §5.1, §5.2).
 *   usages 0, 1 (PKIX-TA, PKIX-EE)  the chain AS VALIDATED by the platform's PKIX (`pkix.validated`,
 *              present when the verdict is 'valid'): a PKIX-TA record may name a root that only the
 *              client's trust store holds and the server rightly did not send (RFC 7671 §5.4,
 *              RFC 6698 §2.1.1). With verdict 'unknown' there is no validated chain: the chain as
 *              sent is used and a match is flagged `pkixUnverified`.
 *
 * Per usage (RFC 6698 §2.1.1 as updated by RFC 7671 §5):
 *   3 DANE-EE  the leaf matches; no PKIX, no name check, validity dates ignored (RFC 7671 §5.1).
 *   2 DANE-TA  a non-leaf certificate of the chain matches and the leaf chains up to it with
 *              valid signatures, or the record carries the trust anchor itself and its public key
 *              verifies a certificate reachable from the leaf although the server did not send the
 *              anchor (RFC 7671 §5.2.2, §5.2.3): "2 1 0" (the key) or "2 0 0" (the whole
 *              certificate; its subject must also name-chain, RFC 5280 §6.1.3 (a)(4)). Because the
 *              anchor is a key, a cross-certificate of the same subject and key sent in its place
 *              verifies just the same. The leaf must match the host name (RFC 7671 §5.2,
 *              RFC 6125); certificates below the TA must be within their validity dates
 *              (RFC 5280 §6.1.3 (a)(2); the TA's own dates are not checked, it is an anchor).
 *   1 PKIX-EE  the leaf matches and the caller's PKIX verdict is 'valid' (RFC 7671 §5.3).
 *   0 PKIX-TA  like DANE-TA for locating the CA in the validated chain, plus the PKIX verdict
 *              (RFC 7671 §5.4). A certificate from DNS ("0 0 0") never completes a PKIX chain: it
 *              must be one of the certificates PKIX validated.
 * Deliberate: no name check for DANE-EE (RFC 7671 §5.1), even where other implementations do one.
 *
 * The RRset matches when any usable record matches; unusable records are ignored and a set
 * with only unusable records is 'no-usable-tlsa' (RFC 7671 §4.1, see usable.ts).
 *
 * Never throws: malformed input yields state 'error' (unusable leaf) or is skipped with a reason.
 */
import type { TLSAData } from '../wire/types';
import { bytesEqual, toHex } from '../util/encoding';
import {
  caFlag,
  cannotIssueNote,
  copyBytes,
  issuerNameMatches,
  loadCertificate,
  notOnTlsChainNote,
  parseSpki,
  pathLimit,
  sha256,
  sha512,
  signedBy,
  validAt,
  type ParsedCert,
  type SubjectKey,
} from './cert';
import { pathOutsideConstraints } from './name-constraints';
import { certMatchesHost, certMatchesHostOrCn } from './names';
import { splitUsable } from './usable';

export { parseCertificate, type CertInfo } from './cert';

export type PkixVerdict = 'valid' | 'invalid' | 'unknown';

/** The platform's PKIX verdict for the connection and host name, with the chain it validated. */
export type PkixResult =
  /** `validated`: DER, leaf first, up to (and normally including) the trust-store root that PKIX chose. */
  | { verdict: 'valid'; validated: Uint8Array[] }
  | { verdict: 'invalid' }
  | { verdict: 'unknown' };

/**
 * What the matcher is given about the TLS peer: both chains, explicitly (see the header for which
 * usage uses which). Every caller (the CLI's `--connect`, the Firefox background, a native helper)
 * fills this the same way.
 */
export interface PeerChains {
  /** DER certificates, leaf first, exactly as the server sent them (TLS Certificate message, RFC 8446 §4.4.2). */
  sent: Uint8Array[];
  pkix: PkixResult;
}

/**
 * For platforms that expose one chain only: Firefox's `webRequest.getSecurityInfo` gives the chain
 * its PKIX built (`succeededCertChain`) when PKIX succeeded, else only the server's leaf. The one
 * chain stands for both. When PKIX succeeded, DANE usages are then matched against the built chain
 * (whose signatures the matcher still verifies itself): it may hold a trust-store root the server
 * did not send, which a DANE-TA record of that root then matches where `check --connect` would not.
 */
export function peerChainsFromOne(certs: Uint8Array[], verdict: PkixVerdict): PeerChains {
  return { sent: certs, pkix: verdict === 'valid' ? { verdict, validated: certs } : { verdict } };
}

export type DaneMatch =
  | {
      state: 'match';
      record: TLSAData;
      /** Index of the matching record in the `records` argument. */
      recordIndex: number;
      /**
       * Chain index of the matching certificate: 0 for the EE usages, the trust anchor's index
       * for the TA usages. When `taNotInChain` is set, the index of the topmost presented
       * certificate whose signature the record's public key verified.
       */
      certIndex: number;
      usage: number;
      /** PKIX usage (0/1) matched but the caller could not tell whether PKIX validation passed. */
      pkixUnverified?: boolean;
      /**
       * TA usage matched through a trust anchor the record carries ("x 1 0" key, or "2 0 0" whole
       * certificate) that the server did not send (RFC 7671 §5.2.2, §5.2.3).
       */
      taNotInChain?: boolean;
      /** Which chain the record was matched against: usages 2/3 'sent', usages 0/1 'validated' (or 'sent' when PKIX is unknown). */
      chain: 'sent' | 'validated';
    }
  | {
      state: 'mismatch';
      /** Short forms of the usable records, "3 1 1 abcdef01…23456789". */
      expected: string[];
      seen: { certIndex: number; spkiSha256: string; certSha256: string }[];
      reason: string;
    }
  | { state: 'no-usable-tlsa'; reason: string }
  | { state: 'error'; reason: string };

export interface MatchOptions {
  /** Reference identifier (the host the user connected to), A-label form. */
  host: string;
  /** Time for the validity checks of DANE-TA chains; default: now. */
  now?: Date;
  /**
   * SMTP (RFC 7672 §3.2.3): the subject CN counts as the leaf's name when it has no DNS-ID.
   * Off for HTTPS (RFC 6125 §6.4.4 allows it, browsers no longer do it).
   */
  cnFallback?: boolean;
}

/** Bounds on attacker-controlled work (the chain comes from the network). */
const MAX_CHAIN_CERTS = 16;
const MAX_PATH_LENGTH = 8; // certificates from the leaf up to and including the TA
const MAX_SIGNATURE_CHECKS = 64; // per matchTlsa call

const USAGE_NAME = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];

/** Presentation form "u s m hex" (RFC 6698 §2.2), lowercase hex. */
export function tlsaToString(r: TLSAData): string {
  const hex = r && r.data instanceof Uint8Array ? toHex(r.data) : '';
  return `${String(r?.usage)} ${String(r?.selector)} ${String(r?.matchingType)} ${hex}`.trimEnd();
}

/** Shortened form for summaries: the hex data cut to its first and last 8 digits. */
export function tlsaToShortString(r: TLSAData): string {
  const hex = r && r.data instanceof Uint8Array ? toHex(r.data) : '';
  const short = hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex;
  return `${String(r?.usage)} ${String(r?.selector)} ${String(r?.matchingType)} ${short}`.trimEnd();
}

/** Error for invalid `generateTlsa` arguments (the generator has nothing sensible to return). */
export class TlsaGenerateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsaGenerateError';
  }
}

/** Certificate association data for a selector/matching type (RFC 6698 §2.1.2, §2.1.3). */
async function associationData(c: ParsedCert, selector: number, matchingType: number): Promise<Uint8Array | null> {
  const selected = selector === 0 ? c.der : selector === 1 ? c.x509.publicKey.der : null;
  if (!selected) return null;
  if (matchingType === 0) return copyBytes(selected);
  if (matchingType === 1) return sha256(selected);
  if (matchingType === 2) return sha512(selected);
  return null;
}

/**
 * Build the TLSA record for a DER certificate. Rejects with `TlsaGenerateError` when the
 * certificate cannot be parsed or the parameters are not usable (usage 0-3, selector 0-1,
 * matching type 0-2): a generator cannot return a meaningful record for those.
 */
export async function generateTlsa(der: Uint8Array, usage: number, selector: number, matchingType: number): Promise<TLSAData> {
  if (!(usage === 0 || usage === 1 || usage === 2 || usage === 3)) throw new TlsaGenerateError(`unsupported usage ${usage}`);
  if (!(selector === 0 || selector === 1)) throw new TlsaGenerateError(`unsupported selector ${selector}`);
  if (!(matchingType === 0 || matchingType === 1 || matchingType === 2)) {
    throw new TlsaGenerateError(`unsupported matching type ${matchingType}`);
  }
  const c = await loadCertificate(der);
  if (!c) throw new TlsaGenerateError('certificate cannot be parsed');
  const data = await associationData(c, selector, matchingType);
  if (!data) throw new TlsaGenerateError('cannot compute association data');
  return { kind: 'TLSA', usage, selector, matchingType, data };
}

/** Per-call state: parsed chain, digest and signature caches, the signature budget. */
class Ctx {
  private digests = new Map<string, Promise<Uint8Array | null>>();
  private sigs = new Map<string, boolean>();
  private recordCerts = new Map<string, Promise<ParsedCert | null>>();
  /** Why a signed issuer could not stand above a path: its nameConstraints (for the mismatch's reason). */
  readonly constraintNotes = new Set<string>();

  constructor(
    readonly certs: (ParsedCert | null)[],
    readonly host: string,
    readonly now: Date,
    /** Shared by the contexts of one matchTlsa call (chain as sent, chain as validated). */
    readonly budget: { sigChecks: number; exhausted: boolean },
    /** MatchOptions.cnFallback (SMTP, RFC 7672 §3.2.3). */
    readonly cnFallback = false,
  ) {}

  /** Parse the certificate a "2 0 0" record carries (once per call and record data). */
  certificateFromRecord(data: Uint8Array): Promise<ParsedCert | null> {
    const k = toHex(data);
    let c = this.recordCerts.get(k);
    if (!c) {
      c = loadCertificate(data);
      this.recordCerts.set(k, c);
    }
    return c;
  }

  /** Does certificate `i` match the record's selector/matching type/data? */
  async certMatches(i: number, r: TLSAData): Promise<boolean> {
    const c = this.certs[i];
    if (!c) return false;
    const key = `${i}/${r.selector}/${r.matchingType}`;
    let d = this.digests.get(key);
    if (!d) {
      d = associationData(c, r.selector, r.matchingType);
      this.digests.set(key, d);
    }
    const data = await d;
    return data !== null && bytesEqual(data, r.data);
  }

  /** Signature check with a cache and a global budget (cacheKey identifies the key). */
  async verify(childIndex: number, cacheKey: string, key: SubjectKey): Promise<boolean> {
    const child = this.certs[childIndex];
    if (!child) return false;
    const k = `${childIndex}<${cacheKey}`;
    const hit = this.sigs.get(k);
    if (hit !== undefined) return hit;
    if (this.budget.sigChecks >= MAX_SIGNATURE_CHECKS) {
      this.budget.exhausted = true;
      return false;
    }
    this.budget.sigChecks++;
    const ok = await signedBy(child, key);
    this.sigs.set(k, ok);
    return ok;
  }

  /** Is certificate `j` a (signature-verified, RFC 5280 §6.1.3 (a)(1),(4)) issuer of `i`? */
  async issuedBy(i: number, j: number): Promise<boolean> {
    const child = this.certs[i];
    const parent = this.certs[j];
    if (!child || !parent) return false;
    // Name chaining first (cheap), then the signature.
    if (!issuerNameMatches(child, parent)) return false;
    return this.verify(i, `cert${j}`, parent.x509.publicKey);
  }

  /**
   * Depth-first search for a signed path from the leaf (index 0) upwards through presented
   * certificates, in any order, until `accept(index)` holds. Returns the path (chain indices,
   * leaf first) or null. `target` is the index that `accept` looks for when known: it may be
   * any certificate, while the certificates between the leaf and it must be CAs
   * (basicConstraints cA, RFC 5280 §6.1.4 (k)) within their path length constraint (§6.1.4 (l)).
   */
  async findPath(accept: (index: number, path: number[]) => Promise<boolean>, target?: number): Promise<number[] | null> {
    const visited = new Set<number>([0]);
    const walk = async (path: number[]): Promise<number[] | null> => {
      const cur = path[path.length - 1];
      if (await accept(cur, path)) return path;
      if (path.length >= MAX_PATH_LENGTH) return null;
      for (let j = 1; j < this.certs.length; j++) {
        const parent = this.certs[j];
        if (!parent || visited.has(j)) continue;
        if (j !== target) {
          if (caFlag(parent) !== true) continue;
        } else if (caFlag(parent) === false) {
          continue; // an explicit "not a CA" certificate cannot issue anything
        }
        const below = path.length - 1; // intermediates between the leaf and `parent`
        const limit = pathLimit(parent);
        if (limit !== undefined && below > limit) continue;
        if (cannotIssueNote(parent) !== null) continue; // keyUsage, extendedKeyUsage, critical extensions (cert.ts)
        if (!(await this.issuedBy(cur, j))) continue;
        if (this.outsideConstraints(parent, `certificate #${j}`, path)) continue;
        visited.add(j);
        const found = await walk([...path, j]);
        if (found) return found;
      }
      return null;
    };
    return walk([0]);
  }

  /**
   * Whether a certificate of `path` lies outside the nameConstraints of `ca` above it (RFC 5280
   * §4.2.1.10, §6.1.3 (b),(c): name-constraints.ts); the reason is kept for the mismatch.
   */
  outsideConstraints(ca: ParsedCert, what: string, path: number[]): boolean {
    const below = path.map((k) => this.certs[k]).filter((c): c is ParsedCert => c !== null && c !== undefined);
    const why = pathOutsideConstraints(ca, below);
    if (why) this.constraintNotes.add(`${what} does not allow the path below it: ${why}`);
    return why !== null;
  }

  /** First certificate on `path` (excluding `exceptLast` when set) outside its validity dates. */
  expiredOn(path: number[], exceptLast: boolean): number | null {
    const n = exceptLast ? path.length - 1 : path.length;
    for (let k = 0; k < n; k++) {
      const c = this.certs[path[k]];
      if (c && !validAt(c, this.now)) return path[k];
    }
    return null;
  }
}

type Outcome =
  | { ok: true; certIndex: number; taNotInChain?: boolean; pkixUnverified?: boolean }
  | { ok: false; reason: string };

/** Locate the trust anchor for a TA usage (0 or 2) record. */
async function matchTrustAnchor(ctx: Ctx, r: TLSAData, checkDates: boolean): Promise<Outcome> {
  const reasons: string[] = [];
  // Every certificate of a TA usage's chain is processed as RFC 5280 §6.1 does, the leaf too: a
  // critical extension we do not process rejects it (§4.2), and so does an extendedKeyUsage
  // without serverAuth (§4.2.1.12). DANE-EE does not come here (RFC 7671 §5.1).
  const leafNote = ctx.certs[0] ? notOnTlsChainNote(ctx.certs[0]) : null;
  if (leafNote) return { ok: false, reason: `the leaf cannot be used: ${leafNote}` };
  // 1. A presented non-leaf certificate matches the record (RFC 7671 §5.2.2): DANE-TA never
  //    matches the leaf itself (the EE usages are for that).
  for (let t = 1; t < ctx.certs.length; t++) {
    if (!(await ctx.certMatches(t, r))) continue;
    const path = await ctx.findPath(async (i) => i === t, t);
    if (!path) {
      reasons.push(`certificate #${t} matches but the leaf does not chain to it with valid signatures`);
      continue;
    }
    if (checkDates) {
      const bad = ctx.expiredOn(path, true);
      if (bad !== null) {
        reasons.push(`certificate #${bad} below the trust anchor #${t} is expired or not yet valid`);
        continue;
      }
    }
    return { ok: true, certIndex: t };
  }
  // 2. The record carries the trust anchor itself, which the server need not send (RFC 7671
  //    §5.2.2, §5.2.3): "x 1 0" (its public key) or, for DANE-TA only, "2 0 0" (its whole
  //    certificate). Its key must verify the signature of a certificate reachable from the leaf.
  //    A certificate from DNS never completes a PKIX chain: no "0 0 0" here (RFC 7671 §5.4).
  const anchor = await anchorFromRecord(ctx, r, reasons);
  if (anchor) {
    const path = await ctx.findPath(async (i, p) => {
      const c = ctx.certs[i];
      if (!c) return false;
      if (anchor.cert) {
        // A certificate anchor also name-chains (RFC 5280 §6.1.3 (a)(4)) and bounds the path
        // below it by its pathLenConstraint (§6.1.4 (l)); DANE-TA never matches the leaf itself.
        if (bytesEqual(anchor.cert.der, c.der)) return false;
        if (!issuerNameMatches(c, anchor.cert)) return false;
        const limit = pathLimit(anchor.cert);
        if (limit !== undefined && p.length - 1 > limit) return false;
        if (!(await ctx.verify(i, anchor.id, anchor.key))) return false;
        return !ctx.outsideConstraints(anchor.cert, 'the certificate from the record', p);
      }
      return ctx.verify(i, anchor.id, anchor.key);
    });
    if (path) {
      const top = path[path.length - 1];
      const bad = checkDates ? ctx.expiredOn(path, false) : null;
      if (bad === null) return { ok: true, certIndex: top, taNotInChain: true };
      reasons.push(`certificate #${bad} below the trust anchor ${anchor.what} is expired or not yet valid`);
    } else {
      reasons.push(`the ${anchor.what} does not verify any certificate of the chain`);
    }
  }
  reasons.push(...ctx.constraintNotes);
  if (reasons.length === 0) reasons.push('no certificate in the chain matches');
  // Say why a presented CA could not serve as an issuer, when that is why no path was found.
  for (let t = 1; t < ctx.certs.length; t++) {
    const c = ctx.certs[t];
    const why = c ? cannotIssueNote(c) : null;
    if (why) reasons.push(`certificate #${t} cannot issue certificates: ${why}`);
  }
  return { ok: false, reason: reasons.join(', ') };
}

/** The trust anchor a record carries whole: "x 1 0" (key) or "2 0 0" (certificate); else null. */
async function anchorFromRecord(
  ctx: Ctx,
  r: TLSAData,
  reasons: string[],
): Promise<{ key: SubjectKey; id: string; what: string; cert?: ParsedCert } | null> {
  if (r.matchingType !== 0) return null;
  const id = `tlsa:${r.selector}:${toHex(r.data)}`;
  if (r.selector === 1) {
    const key = parseSpki(r.data);
    if (!key) reasons.push('the record data is not a valid SubjectPublicKeyInfo');
    return key ? { key, id, what: 'key from the record' } : null;
  }
  if (r.usage !== 2) return null;
  const cert = await ctx.certificateFromRecord(r.data);
  if (!cert) {
    reasons.push('the record data is not a valid certificate');
    return null;
  }
  if (caFlag(cert) === false) {
    // Like a sent certificate: one that says it is not a CA cannot issue anything (RFC 5280 §4.2.1.9).
    reasons.push('the certificate in the record is not a CA (basicConstraints cA false)');
    return null;
  }
  const why = cannotIssueNote(cert);
  if (why) {
    reasons.push(`the certificate in the record cannot issue certificates: ${why}`);
    return null;
  }
  return { key: cert.x509.publicKey, id, what: 'certificate from the record', cert };
}

/** The PKIX usages also need the caller's PKIX verdict (RFC 7671 §5.3, §5.4). */
function pkixGate(pkix: PkixVerdict, usage: number, matched: Outcome & { ok: true }): Outcome {
  if (pkix === 'invalid') {
    return { ok: false, reason: `${USAGE_NAME[usage]} requires PKIX validation, which failed (RFC 7671 §5.${usage === 1 ? 3 : 4})` };
  }
  return pkix === 'unknown' ? { ...matched, pkixUnverified: true } : matched;
}

/** One record against one chain (the caller picks the chain for the usage). */
async function evaluate(ctx: Ctx, r: TLSAData, pkix: PkixVerdict): Promise<Outcome> {
  const leaf = ctx.certs[0] as ParsedCert; // checked by the caller
  switch (r.usage) {
    case 3: {
      // DANE-EE: the leaf only; no name check, no dates, no chain (RFC 7671 §5.1).
      if (await ctx.certMatches(0, r)) return { ok: true, certIndex: 0 };
      return { ok: false, reason: 'leaf certificate does not match' };
    }
    case 1: {
      // PKIX-EE: the leaf matches and passes PKIX validation incl. name checks (RFC 6698 §2.1.1).
      if (!(await ctx.certMatches(0, r))) return { ok: false, reason: 'leaf certificate does not match' };
      if (!certMatchesHost(leaf.info.dnsNames, ctx.host)) {
        return { ok: false, reason: `leaf certificate matches but is not valid for ${ctx.host} (RFC 6125 §6.4)` };
      }
      return pkixGate(pkix, 1, { ok: true, certIndex: 0 });
    }
    case 2:
    case 0: {
      const ta = await matchTrustAnchor(ctx, r, r.usage === 2);
      if (!ta.ok) return ta;
      // Name checks apply to the TA usages (RFC 7671 §5.2; RFC 6125 §6.4; for SMTP, RFC 7672 §3.2.3).
      const named = ctx.cnFallback ? certMatchesHostOrCn(leaf.info.dnsNames, leaf.x509.subject.commonNames, ctx.host) : certMatchesHost(leaf.info.dnsNames, ctx.host);
      if (!named) {
        return {
          ok: false,
          reason: `trust anchor #${ta.certIndex} matches but the leaf is not valid for ${ctx.host} (RFC 7671 §5.2, RFC 6125 §6.4)`,
        };
      }
      if (r.usage === 2) return ta;
      return pkixGate(pkix, 0, ta);
    }
    default:
      return { ok: false, reason: 'unusable record' }; // filtered out before
  }
}

function normaliseHost(h: unknown): string {
  if (typeof h !== 'string') return '';
  const t = h.trim();
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/**
 * Match a TLSA RRset against the peer's chains: usages 2/3 against the chain as sent, usages 0/1
 * against the chain as PKIX validated (see the header). Never throws.
 */
export async function matchTlsa(records: TLSAData[], peer: PeerChains, opts: MatchOptions): Promise<DaneMatch> {
  try {
    return await matchTlsaInner(records, peer, opts);
  } catch (e) {
    // Defensive: nothing below is expected to throw.
    return { state: 'error', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Parse at most MAX_CHAIN_CERTS certificates of a chain (unparseable ones become null). */
async function loadChain(raw: unknown): Promise<{ certs: (ParsedCert | null)[]; total: number }> {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [];
  const certs = await Promise.all(list.slice(0, MAX_CHAIN_CERTS).map((der) => (der instanceof Uint8Array ? loadCertificate(der) : null)));
  return { certs, total: list.length };
}

function pkixOf(peer: PeerChains | null | undefined): { verdict: PkixVerdict; validated: unknown } {
  const p = peer?.pkix;
  if (p?.verdict === 'valid') return { verdict: 'valid', validated: p.validated };
  if (p?.verdict === 'invalid') return { verdict: 'invalid', validated: null };
  return { verdict: 'unknown', validated: null };
}

async function matchTlsaInner(records: TLSAData[], peer: PeerChains, opts: MatchOptions): Promise<DaneMatch> {
  const { usable, unusable, setAside } = splitUsable(records);
  if (usable.length === 0) {
    if (unusable.length === 0) return { state: 'no-usable-tlsa', reason: 'no TLSA records' };
    const why = unusable.map((u) => `#${u.index} ${tlsaToShortString(u.record)}: ${u.reason}`).join('; ');
    return { state: 'no-usable-tlsa', reason: `all ${unusable.length} TLSA records are unusable (RFC 7671 §4.1): ${why}` };
  }

  const sent = await loadChain(peer?.sent);
  if (sent.total === 0) return { state: 'error', reason: 'the server presented no certificates' };
  const certs = sent.certs;
  if (!certs[0]) return { state: 'error', reason: 'the leaf certificate (#0) cannot be parsed' };
  const skipped = certs.flatMap((c, i) => (c ? [] : [i]));

  const now = opts?.now instanceof Date && Number.isFinite(opts.now.getTime()) ? opts.now : new Date();
  const host = normaliseHost(opts?.host);
  const budget = { sigChecks: 0, exhausted: false };
  const ctx = new Ctx(certs, host, now, budget, opts?.cnFallback === true);
  const pkix = pkixOf(peer);

  // The chain PKIX validated, for usages 0 and 1; it must start with the leaf the server sent.
  let validated: Ctx | { unusable: string } | null = null;
  const validatedCtx = async (): Promise<Ctx | { unusable: string }> => {
    if (validated) return validated;
    const v = await loadChain(pkix.validated);
    if (v.total === 0 || !v.certs[0]) validated = { unusable: 'the PKIX-validated chain is empty or its leaf cannot be parsed' };
    else if (!bytesEqual(v.certs[0].der, certs[0]!.der)) validated = { unusable: 'the PKIX-validated chain does not start with the leaf the server sent' };
    else validated = new Ctx(v.certs, host, now, budget, opts?.cnFallback === true);
    return validated;
  };

  let unverified: DaneMatch | null = null;
  const failures: string[] = [];
  for (const { record, index } of usable) {
    const pkixUsage = record.usage === 0 || record.usage === 1;
    const which: 'sent' | 'validated' = pkixUsage && pkix.verdict === 'valid' ? 'validated' : 'sent';
    const on = which === 'validated' ? await validatedCtx() : ctx;
    const o: Outcome = on instanceof Ctx ? await evaluate(on, record, pkix.verdict) : { ok: false, reason: on.unusable };
    if (o.ok) {
      const m: DaneMatch = {
        state: 'match',
        record,
        recordIndex: index,
        certIndex: o.certIndex,
        usage: record.usage,
        chain: which,
        ...(o.pkixUnverified ? { pkixUnverified: true } : {}),
        ...(o.taNotInChain ? { taNotInChain: true } : {}),
      };
      // Prefer a fully verified match; keep the first PKIX-unverified one as a fallback.
      if (!o.pkixUnverified) return m;
      unverified ??= m;
    } else {
      failures.push(`${tlsaToShortString(record)}: ${o.reason}`);
    }
  }
  if (unverified) return unverified;

  const notes: string[] = [];
  if (skipped.length) notes.push(`unparseable certificate(s) skipped: ${skipped.map((i) => `#${i}`).join(', ')}`);
  if (sent.total > MAX_CHAIN_CERTS) notes.push(`only the first ${MAX_CHAIN_CERTS} of ${sent.total} certificates considered`);
  if (unusable.length) notes.push(`${unusable.length} unusable record(s) ignored`);
  if (setAside.length) {
    notes.push(`not used, as a SHA2-512 record with the same usage and selector is published (digest algorithm agility, RFC 7671 §9): ${setAside.map((u) => tlsaToShortString(u.record)).join(', ')}`);
  }
  if (budget.exhausted) notes.push(`signature check limit (${MAX_SIGNATURE_CHECKS}) reached`);
  return {
    state: 'mismatch',
    expected: usable.map((u) => tlsaToShortString(u.record)),
    seen: certs.flatMap((c, i) => (c ? [{ certIndex: i, spkiSha256: c.info.spkiSha256, certSha256: c.info.certSha256 }] : [])),
    reason: [`no usable TLSA record matches the presented chain: ${failures.join('; ')}`, ...notes].join('; '),
  };
}
