/**
 * Small helpers shared by the NSEC (nsec.ts) and NSEC3 (nsec3.ts) denial proofs: one place for
 * how a failed proof is reported and for "is this name in the zone" on possibly invalid input.
 */
import { isSubdomain } from '../wire/name';
import type { Name } from '../wire/types';
import type { DenialResult } from './denial';
import type { Reason, ReasonCode } from './result';

/** A proof that does not hold: bogus, with the rule it fails (RFC section in `rule`). */
export function failed(code: ReasonCode, message: string, rule: string, extra: Partial<Reason> = {}): DenialResult {
  return { kind: 'failed', reason: { code, message, rule, ...extra } };
}

/** `name` is `zone` or below it; false for anything that is not a valid name. */
export function inZone(name: Name, zone: Name): boolean {
  try {
    return isSubdomain(name, zone);
  } catch {
    return false;
  }
}
