/**
 * The popup's tables: names of DNSSEC algorithms and digests, and the message key of each state,
 * reason and outcome it shows. Data only.
 */
import type { ReasonCode } from '../core/dnssec/result';
import type { MailDane, MailReasonCode, MailSummary } from '../core/mail';
import { SECURITY_STATE_WORDS, type MessageKey } from '../shared/message-key';
import type { ProblemWhere } from '../shared/messages';
import type { TlsFacts, TlsWarning } from '../shared/tls-facts';

export const ALGORITHMS: Record<number, string> = {
  5: 'RSASHA1',
  7: 'RSASHA1-NSEC3-SHA1',
  8: 'RSASHA256',
  10: 'RSASHA512',
  13: 'ECDSAP256SHA256',
  14: 'ECDSAP384SHA384',
  15: 'ED25519',
  16: 'ED448',
};
export const DIGESTS: Record<number, string> = { 1: 'SHA-1', 2: 'SHA-256', 4: 'SHA-384' };

export const STATE_WORDS: Record<string, MessageKey> = { ...SECURITY_STATE_WORDS, checking: 'wordChecking' };

/** The plain-words text of each validator reason (every code has one: the compiler checks). */
export const REASONS: Record<ReasonCode, MessageKey> = {
  'resolver-error': 'reasonResolver',
  'resolver-rcode': 'reasonResolver',
  'malformed-answer': 'reasonResolver',
  'limit-exceeded': 'reasonLimit',
  'no-trust-anchor': 'reasonAnchor',
  'anchor-no-match': 'reasonAnchor',
  'ds-no-match': 'reasonChain',
  'no-dnskey': 'reasonChain',
  'dnskey-unsigned': 'reasonChain',
  'no-ds-proof': 'reasonChain',
  'unsupported-algorithm': 'reasonAlgorithm',
  'unsupported-digest': 'reasonAlgorithm',
  'negative-trust-anchor': 'reasonNegativeAnchor',
  'missing-rrsig': 'reasonMissingSignature',
  'signature-invalid': 'reasonBadSignature',
  'signer-mismatch': 'reasonBadSignature',
  'labels-invalid': 'reasonBadSignature',
  'no-matching-key': 'reasonBadSignature',
  'signature-expired': 'reasonExpired',
  'signature-not-yet-valid': 'reasonNotYetValid',
  'denial-missing': 'reasonDenial',
  'denial-invalid': 'reasonDenial',
  'wildcard-invalid': 'reasonDenial',
  'nsec3-iterations': 'reasonNsec3Iterations',
  'nsec3-optout': 'reasonInsecureDelegation',
  'insecure-delegation': 'reasonInsecureDelegation',
  'cname-loop': 'reasonAlias',
  'cname-chain-too-long': 'reasonAlias',
  'dname-invalid': 'reasonAlias',
  'unexpected-answer': 'reasonBadSignature',
};

export const TLS_WARNINGS: Record<TlsWarning, MessageKey> = {
  'old-version': 'tlsWarnOldVersion',
  weak: 'tlsWarnWeak',
  broken: 'tlsWarnBroken',
  'no-hsts': 'tlsWarnNoHsts',
  ct: 'tlsWarnCt',
};
export const TLS_STATES: Record<TlsFacts['state'], MessageKey> = {
  secure: 'tlsStateSecure',
  weak: 'tlsStateWeak',
  broken: 'tlsStateBroken',
  insecure: 'tlsStateInsecure',
  unknown: 'pkixUnknown',
};
export const CT_WORDS: Record<NonNullable<TlsFacts['ct']>, MessageKey> = {
  compliant: 'ctCompliant',
  'not-enough-scts': 'ctNotEnough',
  'not-diverse-scts': 'ctNotDiverse',
  'not-applicable': 'ctNotApplicable',
};

export const MAIL_DANE: Record<MailDane, { key: MessageKey; symbol: string; pill: string }> = {
  dane: { key: 'mailDaneDane', symbol: '✓', pill: 'secure' },
  'no-tlsa': { key: 'mailDaneNoTlsa', symbol: '–', pill: 'insecure' },
  unusable: { key: 'mailDaneUnusable', symbol: '!', pill: 'indeterminate' },
  'not-applicable': { key: 'mailDaneNotApplicable', symbol: '○', pill: 'insecure' },
  bogus: { key: 'wordBogus', symbol: '✗', pill: 'bogus' },
  indeterminate: { key: 'wordIndeterminate', symbol: '?', pill: 'indeterminate' },
};
export const MAIL_REASONS: Record<MailReasonCode, MessageKey> = {
  dane: 'mailReasonDane',
  'no-tlsa': 'mailReasonNoTlsa',
  'unusable-tlsa': 'mailReasonUnusable',
  'mx-insecure': 'mailReasonMxInsecure',
  'address-insecure': 'mailReasonAddressInsecure',
  'tlsa-insecure': 'mailReasonTlsaInsecure',
  'mx-bogus': 'mailReasonBogus',
  'address-bogus': 'mailReasonBogus',
  'tlsa-bogus': 'mailReasonBogus',
  'mx-failed': 'mailReasonFailed',
  'address-failed': 'mailReasonFailed',
  'tlsa-failed': 'mailReasonFailed',
  'no-address': 'mailReasonNoAddress',
};
export const MAIL_SUMMARY: Record<MailSummary, MessageKey> = {
  all: 'mailSummaryAll',
  some: 'mailSummarySome',
  none: 'mailSummaryNone',
  'not-applicable': 'mailSummaryNotApplicable',
  bogus: 'mailSummaryBogus',
  indeterminate: 'mailSummaryIndeterminate',
  'no-mail': 'mailSummaryNoMail',
};

export const PROBLEMS: Record<ProblemWhere, MessageKey> = {
  'options-read': 'problemOptionsRead',
  'certificate-read': 'problemCertificateRead',
  'certificate-parse': 'problemCertificateParse',
  toolbar: 'problemToolbar',
  'session-storage': 'problemSessionStorage',
  generator: 'problemGenerator',
  'start-up': 'problemStartUp',
};
