import { fromHex } from '../util/encoding';
import { canonicalName, isSubdomain, labelCount, parseName } from '../wire/name';
import { parseZoneText } from '../wire/present';
import { RRType, type DNSKEYData, type DSData, type Name } from '../wire/types';

/**
 * Trust anchors (RFC 4033 §3, RFC 4035 §4.4): DS or DNSKEY records of a zone, configured out of band.
 * Validation of a name starts from the closest enclosing anchor.
 */
export interface TrustAnchor {
  zone: Name;
  ds: DSData[];
  dnskeys: DNSKEYData[];
}

export interface AnchorError {
  line: number;
  message: string;
}

export type AnchorParse = { ok: true; anchors: TrustAnchor[] } | { ok: false; errors: AnchorError[] };

/** DNSKEY flag bits (RFC 4034 §2.1.1, RFC 5011 §3). */
export const DNSKEY_FLAG_ZONE = 0x0100;
export const DNSKEY_FLAG_REVOKE = 0x0080;
export const DNSKEY_FLAG_SEP = 0x0001;

/**
 * The IANA root zone KSKs as DS records (https://data.iana.org/root-anchors/root-anchors.xml):
 * KSK-2017 (tag 20326) and KSK-2024 (tag 38696), algorithm 8, SHA-256 digests.
 */
export const IANA_ROOT_DS_TEXT = [
  '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
  '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
].join('\n');

function builtinRootAnchor(): TrustAnchor {
  const ds: DSData[] = [
    { kind: 'DS', keyTag: 20326, algorithm: 8, digestType: 2, digest: fromHex('E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D')! },
    { kind: 'DS', keyTag: 38696, algorithm: 8, digestType: 2, digest: fromHex('683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16')! },
  ];
  return { zone: '.', ds, dnskeys: [] };
}

export const BUILTIN_ANCHORS: readonly TrustAnchor[] = Object.freeze([builtinRootAnchor()]);

/**
 * Parse trust-anchor text: DS and/or DNSKEY lines in zone-file format (unbound's root.key,
 * `dnssec-dsfromkey` output, BIND `dnssec-keygen` .key files), for any owner names.
 * Other record types are an error; so is a DNSKEY with the REVOKE bit (RFC 5011 §2.1: a revoked
 * key must not be used as an anchor) or without the Zone Key bit (RFC 4034 §2.1.1).
 */
export function parseTrustAnchors(text: string): AnchorParse {
  const parsed = parseZoneText(text);
  const errors: AnchorError[] = [...parsed.errors];
  const byZone = new Map<Name, TrustAnchor>();
  for (const { rr, line } of parsed.records.map((rr, i) => ({ rr, line: parsed.lines?.[i] ?? 0 }))) {
    const zone = canonicalName(rr.name);
    let anchor = byZone.get(zone);
    if (!anchor) {
      anchor = { zone, ds: [], dnskeys: [] };
      byZone.set(zone, anchor);
    }
    if (rr.type === RRType.DS && rr.data.kind === 'DS') {
      anchor.ds.push(rr.data);
    } else if (rr.type === RRType.DNSKEY && rr.data.kind === 'DNSKEY') {
      const k = rr.data;
      if (k.flags & DNSKEY_FLAG_REVOKE) {
        errors.push({ line, message: `DNSKEY for ${zone} has the REVOKE bit set (RFC 5011 §2.1); refusing it as a trust anchor` });
      } else if (!(k.flags & DNSKEY_FLAG_ZONE)) {
        errors.push({ line, message: `DNSKEY for ${zone} lacks the Zone Key flag (RFC 4034 §2.1.1)` });
      } else if (k.protocol !== 3) {
        errors.push({ line, message: `DNSKEY for ${zone} has protocol ${k.protocol}, not 3 (RFC 4034 §2.1.2)` });
      } else {
        anchor.dnskeys.push(k);
      }
    } else {
      errors.push({ line, message: `only DS and DNSKEY records can be trust anchors, not type ${rr.type}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const anchors = [...byZone.values()].filter((a) => a.ds.length + a.dnskeys.length > 0);
  if (anchors.length === 0) return { ok: false, errors: [{ line: 0, message: 'no DS or DNSKEY record found in the trust anchor text' }] };
  return { ok: true, anchors };
}

/** The closest enclosing trust anchor of `name` (RFC 4035 §4.4), or null. */
export function closestAnchor(anchors: readonly TrustAnchor[], name: Name): TrustAnchor | null {
  let best: TrustAnchor | null = null;
  for (const a of anchors) {
    if (!isSubdomain(name, a.zone)) continue;
    if (!best || labelCount(a.zone) > labelCount(best.zone)) best = a;
  }
  return best;
}

/** Negative trust anchors (RFC 7646): parse a list of domain names; invalid entries are reported. */
export function parseNegativeAnchors(list: string[]): { names: Name[]; invalid: string[] } {
  const names: Name[] = [];
  const invalid: string[] = [];
  for (const raw of list) {
    const t = raw.trim();
    if (!t) continue;
    const n = parseName(t);
    if (!n || n === '.') invalid.push(raw);
    else names.push(canonicalName(n));
  }
  return { names, invalid };
}
