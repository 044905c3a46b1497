import type { AnswerClass, SecurityState } from '../core/dnssec/result';

/** What the toolbar shows for one tab. Order: from "nothing known" to the failure states. */
export const DISPLAY_STATES = [
  'checking',
  'secure-tlsa-match',
  'secure',
  'secure-not-compared',
  'nxdomain',
  'insecure',
  'bogus',
  'tlsa-mismatch',
  'address-mismatch',
  'indeterminate',
  'off',
] as const;

export type DisplayState = (typeof DISPLAY_STATES)[number];

export function isDisplayState(value: unknown): value is DisplayState {
  return typeof value === 'string' && (DISPLAY_STATES as readonly string[]).includes(value);
}

/** The DNS facts the display state depends on: a `CheckResult` from src/core/check.ts fits. */
export interface DnsFacts {
  address: { state: SecurityState; result: AnswerClass };
  tlsa: { state: SecurityState; result: AnswerClass };
}

/**
 * Outcome of comparing the certificate the server presented with the TLSA records:
 * 'no-usable' = only unusable records (RFC 7671 §4.1, treated as no TLSA), 'error' = the
 * certificate could not be read. null = not compared: no certificate (Chrome without the helper,
 * the helper failed or timed out, the page did not load, plain HTTP), or not yet.
 */
export type CertComparison = 'match' | 'mismatch' | 'no-usable' | 'error' | null;

export interface DisplayExtras {
  /** Checking is off for this tab (see SkipReason); wins over everything. */
  off?: boolean;
  /** The TLSA option: when false, TLSA answers are ignored entirely. */
  tlsaEnabled: boolean;
  cert: CertComparison;
  /** Is the address the browser connected to among the validated A/AAAA records? null = unknown. */
  addressMatch: boolean | null;
}

/**
 * The one mapping from what is known about a tab to what its toolbar button shows. Pure.
 * Order (first rule that applies wins):
 *  1. off; no DNS facts yet → checking
 *  2. bogus address records, or bogus TLSA records (when TLSA is on) → bogus
 *  3. the certificate matches none of the TLSA records → tlsa-mismatch
 *  4. the address lookup failed → indeterminate
 *  5. the certificate matches a TLSA record → secure-tlsa-match (DANE authenticated the server,
 *     so a differing connected address is only reported in the details)
 *  6. signed addresses, but the browser connected elsewhere → address-mismatch
 *  7. the name is proven not to exist (signed NXDOMAIN, RFC 4035 §5.4) → nxdomain
 *  8. unsigned addresses → insecure
 *  9. the certificate could not be read, or (TLSA on) the TLSA lookup failed → indeterminate
 * 10. signed TLSA records that no certificate was compared with → secure-not-compared (never the
 *     green of a checked state: RFC 6698 §4 authentication happened only if the comparison did)
 * 11. otherwise → secure (signed, and no usable TLSA record to compare with)
 */
export function displayStateFor(facts: DnsFacts | null, extras: DisplayExtras): DisplayState {
  if (extras.off) return 'off';
  if (!facts) return 'checking';
  const { address, tlsa } = facts;
  const tlsaOn = extras.tlsaEnabled;
  if (address.state === 'bogus' || (tlsaOn && tlsa.state === 'bogus')) return 'bogus';
  const daneApplies = tlsaOn && tlsa.state === 'secure' && tlsa.result === 'data';
  if (daneApplies && extras.cert === 'mismatch') return 'tlsa-mismatch';
  if (address.state === 'indeterminate') return 'indeterminate';
  if (daneApplies && extras.cert === 'match') return 'secure-tlsa-match';
  if (address.state === 'secure' && extras.addressMatch === false) return 'address-mismatch';
  if (address.state === 'secure' && address.result === 'nxdomain') return 'nxdomain';
  if (address.state === 'insecure') return 'insecure';
  if (daneApplies && extras.cert === 'error') return 'indeterminate';
  if (tlsaOn && tlsa.state === 'indeterminate') return 'indeterminate';
  if (daneApplies && extras.cert === null) return 'secure-not-compared';
  return 'secure';
}
