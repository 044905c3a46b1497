/**
 * The message contract between the background and the extension pages (popup, options, block
 * page). Requests go page → background through `runtime.sendMessage`; broadcasts go
 * background → pages. Everything here is plain JSON (structured-clone safe).
 */
import type { DaneState } from '../core/check';
import type { TlsaSuggestion } from '../core/dane/generate';
import type { MailResult } from '../core/mail';
import type { TlsFacts } from './tls-facts';
import type { AnswerClass, ReasonCode, SecurityState } from '../core/dnssec/result';
import type { SkipReason } from './host-rules';
import { isDisplayState, type CertComparison, type DisplayState } from './display-state';
import type { TrustAnchorChoice } from './options';
import type { HelperStatus } from './helper-client';

/** One zone of the chain of trust, as the popup shows it. */
export interface ChainLinkView {
  zone: string;
  state: SecurityState;
  anchor: boolean;
  keys: { keyTag: number; algorithm: number; flags: number; sep: boolean }[];
  ds: { keyTag: number; algorithm: number; digestType: number }[];
  /** Earliest expiry of the signatures used in this zone, ms since the epoch. */
  signatureExpiration: number | null;
  reasonCode: ReasonCode | null;
  /** The validator's technical sentence for a link that is not secure. */
  reason?: string | null;
}

export interface LookupView {
  state: SecurityState;
  result: AnswerClass;
  /** Records in presentation format (addresses; TLSA "u s m hex"). */
  records: string[];
  reasonCode: ReasonCode | null;
  /** The validator's technical sentence (English, with the RFC rule). */
  reason: string | null;
}

/** The certificate the server presented (Firefox only). */
export interface CertificateView {
  subject: string;
  issuer: string;
  notAfter: string;
  spkiSha256: string;
  certSha256: string;
  /** Certificates in the chain as presented, leaf first. */
  chainLength: number;
  /** The browser's own (PKIX) verdict. */
  pkix: 'valid' | 'invalid' | 'unknown';
  tlsVersion: string | null;
  hsts: boolean | null;
}

/** Everything the popup shows about one checked tab. */
export interface TabDetails {
  port: number;
  https: boolean;
  address: LookupView;
  tlsa: LookupView & { name: string; enabled: boolean };
  /** DANE as decided by DNS and, where the browser lets us see it, the certificate. */
  dane: {
    state: DaneState;
    /**
     * Certificate comparison; 'unavailable' = this browser has no certificate API and the helper
     * is off (Chrome); 'pending' = not yet; 'not-loaded' = the page did not load, so there was no
     * certificate; 'helper-failed' = the native helper gave none (why: `helper`, `reason`).
     */
    cert: CertComparison | 'unavailable' | 'pending' | 'not-loaded' | 'helper-failed';
    /** Index into tlsa.records of the record that matched. */
    matchedRecord: number | null;
    /**
     * Records a client does not use, by index into tlsa.records: unusable ones (unknown
     * parameters or impossible data, RFC 7671 §4.1) and SHA2-256 ones beside a SHA2-512 one of
     * the same usage and selector (digest algorithm agility, RFC 7671 §9).
     */
    notUsed: { index: number; why: 'unusable' | 'weaker-digest' }[];
    reason: string | null;
    pkixUnverified: boolean;
  };
  chain: ChainLinkView[];
  /** Can this browser show the certificate to extensions at all (Firefox: yes, Chrome: no)? */
  certificateApi: boolean;
  certificate: CertificateView | null;
  connection: {
    /** The address the browser connected to (webRequest `ip`); null until known. */
    ip: string | null;
    /** Is `ip` among the validated addresses? null = unknown or not comparable. */
    matches: boolean | null;
  };
  resolver: string;
  queries: number;
  elapsedMs: number;
  /** Options: warn about chain signatures expiring within this many days (0 = never). */
  expiryWarningDays?: number;
  /** TLS facts of the connection (Firefox); null where the browser does not tell (Chrome). */
  tls?: TlsFacts | null;
  /** TLSA records for the certificate the browser received (Firefox), compared with the published ones. */
  generator?: TlsaSuggestion | null;
  /** The browser was asked for the certificate and could not give it (Firefox getSecurityInfo failed). */
  certificateError?: string | null;
  /** Where the compared certificate came from: the browser's connection (Firefox) or the native helper's own (Chrome). */
  certificateSource?: 'browser' | 'helper' | null;
  /** The address the helper connected to (one of the validated ones). */
  certificateAddress?: string | null;
  /** Chrome: the native helper for this navigation; null where it does not apply. */
  helper?: HelperProgress | null;
  /** Why the page did not load (webRequest.onErrorOccurred), when it did not. */
  loadError?: string | null;
}

/** Chrome: what the native helper did for one navigation (docs/chrome-certificates.md). */
export interface HelperProgress {
  /** off = no permission; waiting = for the browser's connection; asking = for its answer; failed = it gave no certificate. */
  state: 'off' | 'waiting' | 'asking' | 'failed' | 'done';
  /** A helper failure or refusal code (helper-missing, helper-timeout, address-not-validated, …). */
  error: string | null;
  message: string | null;
}

/** The options page's view of the native helper (Chrome). */
export interface HelperStatusView {
  /** false in Firefox, which shows extensions the certificate itself. */
  applicable: boolean;
  /** The optional nativeMessaging permission is granted ("Compare certificates with the helper" on). */
  permission: boolean;
  status: HelperStatus;
}

/** The popup's mail section: the MX hosts of the site's registered domain (RFC 7672). */
export interface MailCheck {
  /** The registered domain (public suffix + 1 label); null when the host has none. */
  domain: string | null;
  state: 'done' | 'no-domain' | 'off' | 'error';
  result: MailResult | null;
  error: string | null;
}

/** The TLSA record generator for a pasted PEM (options page). */
export type GeneratorResult =
  | {
      ok: true;
      suggestion: TlsaSuggestion;
      /** The validated TLSA lookup the records were compared with; null when it could not be made. */
      lookup: { name: string; state: SecurityState; result: AnswerClass; records: string[]; reason: string | null } | null;
      /** Why there is no lookup (e.g. the trust anchor is unusable). */
      lookupError: string | null;
    }
  | { ok: false; error: 'no-certificate' | 'bad-host' | 'bad-port' | 'bad-certificate'; detail: string };

/**
 * Where the background could not do something (each one a localized label in the popup's
 * "what could not be done"): the saved options, the certificate of a connection, reading a
 * certificate, the toolbar button, session storage, the TLSA record generator, judging the open
 * tabs at start-up.
 */
export type ProblemWhere =
  | 'options-read'
  | 'certificate-read'
  | 'certificate-parse'
  | 'toolbar'
  | 'session-storage'
  | 'generator'
  | 'start-up';

/** One thing the background could not do, with the error's own words. */
export interface Problem {
  where: ProblemWhere;
  message: string;
  /** When it happened, ms since the epoch. */
  at: number;
}

/** What the background knows about one tab. */
export interface TabState {
  tabId: number;
  /** The host name being (or last) checked; null when the tab shows nothing checkable. */
  host: string | null;
  state: DisplayState;
  /** When the current verdict was reached (ms since the epoch); null while checking or off. */
  checkedAt: number | null;
  /** The top-level URL the state belongs to. */
  url?: string | null;
  /** Why the tab is not checked (state 'off'). */
  skip?: SkipReason | null;
  details?: TabDetails | null;
  /** The navigation was blocked by enforcement (Firefox). */
  blocked?: boolean;
  /** Why no verdict could be reached at all (e.g. an unusable trust anchor); state is indeterminate. */
  error?: string | null;
  /** Sub-requests option: the other hosts the page loaded from, with their DNSSEC state. */
  others?: { host: string; state: SecurityState | 'checking' }[];
  /** What the background could not do for this tab (or at all), most recent last; absent when nothing. */
  problems?: Problem[];
}

/** Result of the options page's "test resolver" (a real validation of the root DNSKEY set). */
export interface ResolverTestResult {
  ok: boolean;
  state: SecurityState | 'error';
  url: string;
  keys: number;
  elapsedMs: number;
  /** Reason code or error text when not ok. */
  reasonCode: ReasonCode | null;
  reason: string | null;
}

export type Request =
  | { type: 'getTabState'; tabId: number }
  | { type: 'recheck'; tabId: number }
  | { type: 'proceedAnyway'; host: string }
  | { type: 'testResolver'; url: string; trustAnchor: TrustAnchorChoice }
  | { type: 'checkMail'; tabId: number }
  | { type: 'generateTlsa'; host: string; port: number; pem: string }
  | { type: 'helperStatus'; recheck?: boolean };

/** Upper bound on a pasted PEM chain (a few certificates are a few kilobytes). */
export const PEM_MAX_LENGTH = 65536;

/** The answer to each request type (keys: exactly `Request['type']`, checked below). */
export interface ResponseMap {
  getTabState: TabState;
  recheck: TabState;
  proceedAnyway: { ok: boolean };
  testResolver: ResolverTestResult;
  checkMail: MailCheck;
  generateTlsa: GeneratorResult;
  helperStatus: HelperStatusView;
}

export type ResponseFor<R extends Request> = ResponseMap[R['type']];

/** Compile-time: ResponseMap answers every request type and no other. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RESPONSE_MAP_MATCHES_REQUESTS: Exactly<keyof ResponseMap, Request['type']> = true;

export type Broadcast = { type: 'tabStateChanged'; state: TabState };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isTabId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isTrustAnchorChoice(v: unknown): v is TrustAnchorChoice {
  return isRecord(v) && (v.kind === 'builtin' || (v.kind === 'custom' && typeof v.text === 'string'));
}

const isHost = (v: unknown, min: number): boolean => typeof v === 'string' && v.length >= min && v.length <= 253;

/**
 * The shape check of each request type, one per member of `Request`: the compiler refuses a
 * request type without its check here (and without its handler in the background's map).
 */
const REQUEST_CHECKS: { [K in Request['type']]: (v: Record<string, unknown>) => boolean } = {
  getTabState: (v) => isTabId(v.tabId),
  recheck: (v) => isTabId(v.tabId),
  proceedAnyway: (v) => isHost(v.host, 1),
  testResolver: (v) => typeof v.url === 'string' && v.url.length <= 2048 && isTrustAnchorChoice(v.trustAnchor),
  checkMail: (v) => isTabId(v.tabId),
  generateTlsa: (v) =>
    isHost(v.host, 0) &&
    typeof v.port === 'number' &&
    Number.isInteger(v.port) &&
    typeof v.pem === 'string' &&
    v.pem.length <= PEM_MAX_LENGTH,
  helperStatus: (v) => v.recheck === undefined || typeof v.recheck === 'boolean',
};

function isRequestType(t: unknown): t is Request['type'] {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(REQUEST_CHECKS, t);
}

export function isRequest(v: unknown): v is Request {
  return isRecord(v) && isRequestType(v.type) && REQUEST_CHECKS[v.type](v);
}

export function isTabState(v: unknown): v is TabState {
  return (
    isRecord(v) &&
    isTabId(v.tabId) &&
    (v.host === null || typeof v.host === 'string') &&
    isDisplayState(v.state) &&
    (v.checkedAt === null || typeof v.checkedAt === 'number') &&
    (v.url === undefined || v.url === null || typeof v.url === 'string') &&
    (v.details === undefined || v.details === null || isRecord(v.details))
  );
}

export function isBroadcast(v: unknown): v is Broadcast {
  return isRecord(v) && v.type === 'tabStateChanged' && isTabState(v.state);
}
