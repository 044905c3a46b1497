import { canonicalName, namesEqual } from '../wire/name';
import { RRType, type Name, type RR, type RRSIGData } from '../wire/types';

/** An RRset (RFC 2181 §5) with the RRSIGs that claim to cover it. */
export interface RRset {
  name: Name;
  type: number;
  class: number;
  records: RR[];
  sigs: RR<RRSIGData>[];
}

/** Records of `section` at `name` of `type` (owner compared case-insensitively, RFC 4343). */
export function pick(section: RR[], name: Name, type: number): RR[] {
  return section.filter((rr) => rr.type === type && namesEqual(rr.name, name));
}

/** RRSIGs in `section` at `name` covering `type` (RFC 4034 §3.1.1). */
export function sigsFor(section: RR[], name: Name, type: number): RR<RRSIGData>[] {
  return section.filter(
    (rr): rr is RR<RRSIGData> =>
      rr.type === RRType.RRSIG && rr.data.kind === 'RRSIG' && rr.data.typeCovered === type && namesEqual(rr.name, name),
  );
}

/** The RRset `name`/`type` of `section`, with its signatures, or null when absent. */
export function rrsetOf(section: RR[], name: Name, type: number): RRset | null {
  const records = pick(section, name, type);
  if (records.length === 0) return null;
  return { name: records[0].name, type, class: records[0].class, records, sigs: sigsFor(section, name, type) };
}

/** All RRsets of the given types in a section (used for NSEC/NSEC3 in the authority section). */
export function rrsetsOfTypes(section: RR[], types: number[]): RRset[] {
  const out: RRset[] = [];
  for (const rr of section) {
    if (!types.includes(rr.type)) continue;
    if (out.some((s) => s.type === rr.type && namesEqual(s.name, rr.name))) continue;
    const set = rrsetOf(section, rr.name, rr.type);
    if (set) out.push(set);
  }
  return out;
}

/** Signer names claimed by a set of RRSIGs (lowercased, deduplicated). */
export function signersOf(sigs: RR<RRSIGData>[]): Name[] {
  const out: Name[] = [];
  for (const s of sigs) {
    const n = canonicalName(s.data.signerName);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
