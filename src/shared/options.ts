/**
 * User options: typed defaults, versioned migration of whatever storage holds, and validation
 * with typed errors. Pure: no browser API (storage access is in options-storage.ts).
 */
import { parseNegativeAnchors, parseTrustAnchors } from '../core/dnssec/anchors';
import { validateDohUrl } from '../core/transport/doh';
import { DEFAULT_RESOLVER_PRESET, RESOLVER_PRESETS, type ResolverPresetId } from './resolver-presets';

export { RESOLVER_PRESETS, type ResolverPresetId };

export const OPTIONS_VERSION = 4;
export const RESOLVER_PRESET_IDS = Object.keys(RESOLVER_PRESETS) as ResolverPresetId[];

export type ResolverChoice = { kind: 'preset'; id: ResolverPresetId } | { kind: 'custom'; url: string };
export type TrustAnchorChoice = { kind: 'builtin' } | { kind: 'custom'; text: string };

export interface Options {
  version: typeof OPTIONS_VERSION;
  resolver: ResolverChoice;
  /** Used only when `resolver` fails; null = none. */
  secondaryResolver: ResolverChoice | null;
  trustAnchor: TrustAnchorChoice;
  /** Host names never checked; "*.example.org" also covers every subdomain. */
  exclusions: string[];
  tlsa: boolean;
  subrequests: boolean;
  enforcement: boolean;
  privateWindows: boolean;
  /**
   * Skip the RFC 6761 test TLDs `.test` and `.example` (never sent to the resolver). On by
   * default; the offline test world turns it off because all its names live there.
   */
  skipTestDomains: boolean;
  /** Hosts (normalized, no wildcards) the user chose to open although enforcement blocked them. */
  enforcementExceptions: string[];
  /**
   * Warn (popup detail turns yellow) when a signature in the chain of trust expires within this
   * many days; 0 = never. Whole days, 0..EXPIRY_WARNING_MAX_DAYS.
   */
  expiryWarningDays: number;
  /**
   * Negative trust anchors (RFC 7646): domains (normalized, no wildcard; each covers its
   * subdomains) treated as insecure, for zones known to be broken. The popup says when one applies.
   */
  negativeAnchors: string[];
}

export const EXPIRY_WARNING_MAX_DAYS = 365;

const DEFAULTS: Options = {
  version: OPTIONS_VERSION,
  resolver: { kind: 'preset', id: DEFAULT_RESOLVER_PRESET },
  secondaryResolver: { kind: 'preset', id: 'quad9' },
  trustAnchor: { kind: 'builtin' },
  exclusions: [],
  tlsa: true,
  subrequests: false,
  enforcement: false,
  privateWindows: false,
  skipTestDomains: true,
  enforcementExceptions: [],
  expiryWarningDays: 7,
  negativeAnchors: [],
};

/** Read-only view of the defaults; use `defaultOptions()` for a copy to modify. */
export const DEFAULT_OPTIONS: Readonly<Options> = Object.freeze(DEFAULTS);

/** A fresh, mutable copy of the defaults. */
export function defaultOptions(): Options {
  return structuredClone(DEFAULTS);
}

export function resolverUrl(choice: ResolverChoice): string {
  return choice.kind === 'preset' ? RESOLVER_PRESETS[choice.id].url : choice.url;
}

// ---------------------------------------------------------------------------------------------
// Migration

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * MIGRATIONS[n] turns a version-n object into a version-(n+1) object. Version 0 is anything
 * stored without a `version` field (pre-release builds, hand edits), where a resolver could be
 * a bare URL string; turning those into a typed choice is done by `coerceResolver` below.
 */
const MIGRATIONS: Record<number, (o: Raw) => Raw> = {
  0: (o) => ({ ...o, version: 1 }),
  // v2 added skipTestDomains and enforcementExceptions; their defaults are filled in by `coerce`.
  1: (o) => ({ ...o, version: 2 }),
  // v3 added expiryWarningDays (issue #9); its default is filled in by `coerce`.
  2: (o) => ({ ...o, version: 3 }),
  // v4 added negativeAnchors (issue #10); its default is filled in by `coerce`.
  3: (o) => ({ ...o, version: 4 }),
};

function coerceResolver(v: unknown): ResolverChoice | undefined {
  if (typeof v === 'string') {
    const url = v.trim();
    const preset = RESOLVER_PRESET_IDS.find((id) => RESOLVER_PRESETS[id].url === url);
    return preset ? { kind: 'preset', id: preset } : { kind: 'custom', url };
  }
  if (!isRecord(v)) return undefined;
  if (v.kind === 'preset' && typeof v.id === 'string' && v.id in RESOLVER_PRESETS) {
    return { kind: 'preset', id: v.id as ResolverPresetId };
  }
  if (v.kind === 'custom' && typeof v.url === 'string') return { kind: 'custom', url: v.url };
  return undefined;
}

function coerceTrustAnchor(v: unknown): TrustAnchorChoice | undefined {
  if (!isRecord(v)) return undefined;
  if (v.kind === 'builtin') return { kind: 'builtin' };
  if (v.kind === 'custom' && typeof v.text === 'string') return { kind: 'custom', text: v.text };
  return undefined;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** A whole number of days within 0..EXPIRY_WARNING_MAX_DAYS, else null. */
export function isExpiryWarningDays(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= EXPIRY_WARNING_MAX_DAYS;
}

/** Field by field: a field of the wrong shape takes its default, the others are kept. */
function coerce(o: Raw): Options {
  const d = defaultOptions();
  return {
    version: OPTIONS_VERSION,
    resolver: coerceResolver(o.resolver) ?? d.resolver,
    secondaryResolver: o.secondaryResolver === null ? null : (coerceResolver(o.secondaryResolver) ?? d.secondaryResolver),
    trustAnchor: coerceTrustAnchor(o.trustAnchor) ?? d.trustAnchor,
    exclusions: Array.isArray(o.exclusions)
      ? o.exclusions.filter((e): e is string => typeof e === 'string')
      : d.exclusions,
    tlsa: bool(o.tlsa, d.tlsa),
    subrequests: bool(o.subrequests, d.subrequests),
    enforcement: bool(o.enforcement, d.enforcement),
    privateWindows: bool(o.privateWindows, d.privateWindows),
    skipTestDomains: bool(o.skipTestDomains, d.skipTestDomains),
    enforcementExceptions: Array.isArray(o.enforcementExceptions)
      ? [
          ...new Set(
            o.enforcementExceptions
              .map((e) => (typeof e === 'string' ? normalizeExclusion(e) : null))
              .filter((e): e is string => e !== null && !e.startsWith('*.')),
          ),
        ]
      : d.enforcementExceptions,
    expiryWarningDays: isExpiryWarningDays(o.expiryWarningDays) ? o.expiryWarningDays : d.expiryWarningDays,
    negativeAnchors: Array.isArray(o.negativeAnchors)
      ? o.negativeAnchors.filter((e): e is string => typeof e === 'string')
      : d.negativeAnchors,
  };
}

/**
 * Brings whatever storage returned (undefined, garbage, an older or newer version) to the
 * current `Options`. Never throws. A newer version than this build knows is read field by field.
 */
export function migrateOptions(stored: unknown): Options {
  let o: Raw = isRecord(stored) ? { ...stored } : {};
  let version = typeof o.version === 'number' && Number.isInteger(o.version) && o.version >= 0 ? o.version : 0;
  while (version < OPTIONS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`options: no migration from version ${version}`);
    o = step(o);
    version += 1;
  }
  return coerce(o);
}

// ---------------------------------------------------------------------------------------------
// Validation

export type UrlErrorCode = 'url-invalid' | 'url-not-https' | 'url-credentials' | 'url-fragment' | 'url-not-doh';

export type OptionsError =
  | { field: 'resolver' | 'secondaryResolver'; code: UrlErrorCode }
  | { field: 'secondaryResolver'; code: 'secondary-same' }
  | { field: 'trustAnchor'; code: 'trust-anchor-empty' | 'trust-anchor-too-long' }
  | { field: 'trustAnchor'; code: 'trust-anchor-invalid'; line: number; detail: string }
  | { field: 'exclusions'; code: 'exclusion-invalid' | 'exclusion-duplicate'; index: number; value: string }
  | { field: 'expiryWarningDays'; code: 'expiry-days-invalid' }
  | { field: 'negativeAnchors'; code: 'negative-anchor-invalid'; index: number; value: string };

export type OptionsErrorCode = OptionsError['code'];

/** Upper bound for a custom trust anchor text (a root DS/DNSKEY set is a few kilobytes). */
export const TRUST_ANCHOR_MAX_LENGTH = 65536;

export function checkResolverUrl(url: string): UrlErrorCode | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'url-invalid';
  }
  if (parsed.protocol !== 'https:') return 'url-not-https';
  if (parsed.username !== '' || parsed.password !== '') return 'url-credentials';
  if (parsed.hash !== '' || url.includes('#')) return 'url-fragment';
  if (parsed.hostname === '') return 'url-invalid';
  // The DoH client's own rules (RFC 8484): a path, no "dns" parameter, no other URI template.
  if (!validateDohUrl(url).ok) return 'url-not-doh';
  return null;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * The canonical form of an exclusion line: lower case, A-labels (punycode) for IDNs, no trailing
 * dot, an optional leading "*.". Returns null if the line is not a host name pattern.
 */
export function normalizeExclusion(line: string): string | null {
  let s = line.trim().toLowerCase();
  const wildcard = s.startsWith('*.');
  if (wildcard) s = s.slice(2);
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s === '' || /[\s/:@?#*]/.test(s)) return null;
  let host: string;
  try {
    host = new URL(`http://${s}/`).hostname;
  } catch {
    return null;
  }
  if (host.length > 253 || !host.split('.').every((l) => LABEL.test(l))) return null;
  return wildcard ? `*.${host}` : host;
}

function resolverErrors(field: 'resolver' | 'secondaryResolver', choice: ResolverChoice): OptionsError[] {
  if (choice.kind !== 'custom') return [];
  const code = checkResolverUrl(choice.url);
  return code ? [{ field, code }] : [];
}

/** All problems with `o`, in field order; empty when the options can be saved. */
export function validateOptions(o: Options): OptionsError[] {
  const errors: OptionsError[] = [...resolverErrors('resolver', o.resolver)];
  if (o.secondaryResolver) {
    const secondary = resolverErrors('secondaryResolver', o.secondaryResolver);
    errors.push(...secondary);
    if (secondary.length === 0 && resolverUrl(o.secondaryResolver).trim() === resolverUrl(o.resolver).trim()) {
      errors.push({ field: 'secondaryResolver', code: 'secondary-same' });
    }
  }
  if (o.trustAnchor.kind === 'custom') {
    if (o.trustAnchor.text.trim() === '') errors.push({ field: 'trustAnchor', code: 'trust-anchor-empty' });
    else if (o.trustAnchor.text.length > TRUST_ANCHOR_MAX_LENGTH) {
      errors.push({ field: 'trustAnchor', code: 'trust-anchor-too-long' });
    } else {
      const parsed = parseTrustAnchors(o.trustAnchor.text);
      if (!parsed.ok) {
        for (const e of parsed.errors.slice(0, 5)) {
          errors.push({ field: 'trustAnchor', code: 'trust-anchor-invalid', line: e.line, detail: e.message });
        }
      }
    }
  }
  const seen = new Set<string>();
  o.exclusions.forEach((value, index) => {
    const normal = normalizeExclusion(value);
    if (normal === null) errors.push({ field: 'exclusions', code: 'exclusion-invalid', index, value });
    else if (seen.has(normal)) errors.push({ field: 'exclusions', code: 'exclusion-duplicate', index, value });
    else seen.add(normal);
  });
  if (!isExpiryWarningDays(o.expiryWarningDays)) errors.push({ field: 'expiryWarningDays', code: 'expiry-days-invalid' });
  // The CLI's rule (--negative-anchor): any DNS name but the root (RFC 7646).
  o.negativeAnchors.forEach((value, index) => {
    if (parseNegativeAnchors([value]).names.length !== 1) errors.push({ field: 'negativeAnchors', code: 'negative-anchor-invalid', index, value });
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Helpers used by the background

/** The DoH URLs to use, primary first, then the secondary one (if any and different). */
export function resolverUrls(o: Options): string[] {
  const urls = [resolverUrl(o.resolver).trim()];
  if (o.secondaryResolver) {
    const secondary = resolverUrl(o.secondaryResolver).trim();
    if (secondary !== urls[0]) urls.push(secondary);
  }
  return urls;
}

/** A copy of `o` whose enforcement exceptions include `host` (normalized); `o` itself is unchanged. */
export function withEnforcementException(o: Options, host: string): Options {
  const normal = normalizeExclusion(host);
  if (normal === null || normal.startsWith('*.') || o.enforcementExceptions.includes(normal)) return structuredClone(o);
  return { ...structuredClone(o), enforcementExceptions: [...o.enforcementExceptions, normal] };
}

/** The negative trust anchors as absolute domain names for the validator (RFC 7646), parsed as the CLI does. */
export function negativeAnchorNames(o: Options): string[] {
  return [...new Set(parseNegativeAnchors(o.negativeAnchors).names)];
}
