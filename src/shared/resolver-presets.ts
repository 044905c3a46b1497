/**
 * The DoH resolvers offered by name, and the default one: shared by the extension's options and the
 * CLI (src/cli/flags.ts, which must stay light: no other import here).
 */
export const RESOLVER_PRESETS = {
  cloudflare: { label: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
  quad9: { label: 'Quad9', url: 'https://dns.quad9.net/dns-query' },
  google: { label: 'Google Public DNS', url: 'https://dns.google/dns-query' },
  'cznic-odvr': { label: 'CZ.NIC ODVR', url: 'https://odvr.nic.cz/doh' },
  mullvad: { label: 'Mullvad', url: 'https://dns.mullvad.net/dns-query' },
} as const satisfies Record<string, { label: string; url: string }>;

export type ResolverPresetId = keyof typeof RESOLVER_PRESETS;

/** The resolver used when none is chosen (options default, CLI without --resolver). */
export const DEFAULT_RESOLVER_PRESET: ResolverPresetId = 'cloudflare';
export const DEFAULT_RESOLVER_URL: string = RESOLVER_PRESETS[DEFAULT_RESOLVER_PRESET].url;
