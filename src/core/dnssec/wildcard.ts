/**
 * Wildcard expansion as seen through an RRSIG (RFC 4035 §5.3.4, RFC 4034 §3.1.3, RFC 5155 §8.8).
 *
 * The RRSIG Labels field counts the labels of the owner name of the signed RRset as it exists in
 * the zone, not counting the root nor a leftmost "*" label (RFC 4034 §3.1.3). When it is smaller
 * than the label count of the owner name in the answer, the RRset was synthesized from the
 * wildcard "*.<rightmost Labels labels of the owner>" (RFC 4035 §5.3.4), and the validator must
 * still prove that no closer match exists (RFC 4035 §5.3.4, RFC 5155 §8.8).
 *
 * Pure logic, no I/O.
 */
import type { Name } from '../wire/types';
import { labelCount, namesEqual, nameToLabels, rrsigLabelCount, truncateToLabels, wildcardOf } from '../wire/name';

export type WildcardInfo =
  | {
      /**
       * True when the answer was expanded from a wildcard, so a denial of the exact name is still
       * needed (RFC 4035 §5.3.4). False for an ordinary RRset, and for an RRset owned by the
       * wildcard name itself (e.g. a query for "*.example."), where nothing was synthesized.
       */
      synthesized: boolean;
      /** The wildcard the RRset came from ("*.<closest encloser>"); the owner itself when not synthesized. */
      source: Name;
      /** The closest encloser of the owner (RFC 4592 §3.3.1); the owner itself when not synthesized. */
      closestEncloser: Name;
      /**
       * The next closer name (RFC 5155 §1.3: the closest encloser with one more label of the owner),
       * whose non-existence proves that the wildcard applies (RFC 5155 §8.8); the owner itself when
       * not synthesized.
       */
      nextCloser: Name;
    }
  | { invalid: true };

/**
 * What an RRSIG Labels value says about the owner name of the RRset it covers.
 * RFC 4035 §5.3.1: the Labels field must be ≤ the number of labels in the owner name (not
 * counting a leading "*"); anything else, or a value that is not a small non-negative integer,
 * is invalid.
 */
export function wildcardInfo(owner: Name, rrsigLabels: number): WildcardInfo {
  if (!Number.isInteger(rrsigLabels) || rrsigLabels < 0 || rrsigLabels > 255) return { invalid: true };
  let total: number;
  let rrsigCount: number;
  try {
    total = labelCount(owner);
    rrsigCount = rrsigLabelCount(owner);
  } catch {
    return { invalid: true }; // not a valid Name
  }
  // RFC 4035 §5.3.1: "The number of labels in the RRset owner name is greater than or equal to the
  // value in the RRSIG RR's Labels field." (RFC 4034 §3.1.3: a leading "*" is not counted.)
  if (rrsigLabels > rrsigCount) return { invalid: true };
  if (rrsigLabels === total) {
    // RFC 4034 §3.1.3: equal counts: the RRset was not synthesized.
    return { synthesized: false, source: owner, closestEncloser: owner, nextCloser: owner };
  }
  const closestEncloser = truncateToLabels(owner, rrsigLabels);
  const source = wildcardOf(closestEncloser);
  if (rrsigLabels === total - 1 && isWildcardLabel(owner) && namesEqual(owner, source)) {
    // The owner *is* the wildcard name (RFC 4592 §2.1.1 "asterisk label"): the RRset exists as
    // such at the owner; no expansion took place (RFC 4034 §3.1.3 example "*.example.com." → 2).
    return { synthesized: false, source: owner, closestEncloser: owner, nextCloser: owner };
  }
  // RFC 4035 §5.3.4 / RFC 5155 §8.8: synthesized from "*.<closest encloser>"; the next closer
  // name is the closest encloser plus one label of the owner (RFC 5155 §1.3 "next closer name").
  return {
    synthesized: true,
    source,
    closestEncloser,
    nextCloser: truncateToLabels(owner, rrsigLabels + 1),
  };
}

/** True when the leftmost label of `name` is the single asterisk label (RFC 4592 §2.1.1). */
function isWildcardLabel(name: Name): boolean {
  const l = nameToLabels(name);
  return l.length > 0 && l[0].length === 1 && l[0][0] === 0x2a;
}
