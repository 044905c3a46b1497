import { normalizeExclusion } from '../shared/options';

/** True if `host` (lower case, A-labels) is covered by one of the exclusion lines. */
export function isExcluded(host: string, exclusions: readonly string[]): boolean {
  for (const line of exclusions) {
    const pattern = normalizeExclusion(line);
    if (pattern === null) continue;
    if (pattern.startsWith('*.')) {
      const base = pattern.slice(2);
      if (host === base || host.endsWith(`.${base}`)) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}

/**
 * The host name whose DNS records decide this tab's state, or null if the URL is nothing to
 * check: not http(s), an IP literal, or excluded. Pure.
 */
export function hostToCheck(url: string | undefined, exclusions: readonly string[]): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '' || host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return null;
  return isExcluded(host, exclusions) ? null : host;
}
