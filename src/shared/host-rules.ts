/**
 * Which navigations are checked, and which host names may be sent to the resolver. Pure.
 *
 * Never sent anywhere: IP literals, single-label names, and the special-use or private names that
 * have no meaning in the global DNS (RFC 6761, RFC 6762, RFC 7686, RFC 8375, RFC 9476, ICANN's
 * .internal resolution) plus the reverse-mapping zones. The RFC 6761 test TLDs `.test` and
 * `.example` are skipped by the `skipTestDomains` option (default on) so that a test setup can
 * turn it off. User exclusions come last: "example.org" or "*.example.org" (which covers
 * example.org itself and every name below it).
 */
import { normalizeExclusion } from './options';

/** Suffixes that are never looked up (a name equal to one of them is covered as well). */
export const SPECIAL_USE_SUFFIXES = [
  'localhost', // RFC 6761 §6.3
  'invalid', // RFC 6761 §6.4
  'local', // RFC 6762 (mDNS)
  'onion', // RFC 7686
  'home.arpa', // RFC 8375
  'alt', // RFC 9476
  'internal', // ICANN, reserved for private use (2024)
  'in-addr.arpa', // reverse zones: nothing a browser navigates to
  'ip6.arpa',
] as const;

/** RFC 6761 §6.2 / §6.5 test names, skipped unless the `skipTestDomains` option is off. */
export const TEST_SUFFIXES = ['test', 'example'] as const;

export type SkipReason =
  | 'not-web' // not an http(s) URL, or no URL at all
  | 'ip-literal'
  | 'single-label'
  | 'special-use'
  | 'test-domain'
  | 'excluded' // by the user's list
  | 'private-window'
  | 'options-unreadable'; // the saved options could not be read: nothing is checked (background)

export type Target =
  | { check: true; host: string; port: number; https: boolean }
  | { check: false; host: string | null; reason: SkipReason };

export interface HostRules {
  exclusions: readonly string[];
  skipTestDomains: boolean;
  privateWindows: boolean;
}

function underSuffix(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

/** True if `host` (lower case, A-labels) is covered by one of the exclusion lines. */
export function isExcluded(host: string, exclusions: readonly string[]): boolean {
  for (const line of exclusions) {
    const pattern = normalizeExclusion(line);
    if (pattern === null) continue;
    if (pattern.startsWith('*.')) {
      if (underSuffix(host, pattern.slice(2))) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Why `host` must not be looked up, or null if it may be. `host` is a URL hostname: lower case,
 * A-labels, IPv6 literals in brackets.
 */
export function skipReasonForHost(host: string, rules: HostRules): SkipReason | null {
  const name = host.replace(/\.$/, '');
  if (name === '') return 'not-web';
  if (name.startsWith('[') || IPV4.test(name)) return 'ip-literal';
  if (!name.includes('.')) return name === 'localhost' ? 'special-use' : 'single-label';
  if (SPECIAL_USE_SUFFIXES.some((s) => underSuffix(name, s))) return 'special-use';
  if (rules.skipTestDomains && TEST_SUFFIXES.some((s) => underSuffix(name, s))) return 'test-domain';
  if (isExcluded(name, rules.exclusions)) return 'excluded';
  return null;
}

/** What to do with a navigation to `url` (in a private window when `incognito`). */
export function targetFor(url: string | undefined, rules: HostRules, incognito = false): Target {
  if (!url) return { check: false, host: null, reason: 'not-web' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { check: false, host: null, reason: 'not-web' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { check: false, host: null, reason: 'not-web' };
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '') return { check: false, host: null, reason: 'not-web' };
  const reason = skipReasonForHost(host, rules);
  if (reason) return { check: false, host, reason };
  if (incognito && !rules.privateWindows) return { check: false, host, reason: 'private-window' };
  const https = parsed.protocol === 'https:';
  const port = parsed.port === '' ? (https ? 443 : 80) : Number(parsed.port);
  return { check: true, host, port, https };
}

/** The host name to check for `url`, or null (see `targetFor`); test domains are not skipped. */
export function hostToCheck(url: string | undefined, exclusions: readonly string[]): string | null {
  const t = targetFor(url, { exclusions, skipTestDomains: false, privateWindows: true });
  return t.check ? t.host : null;
}
