/**
 * The one place where the background records what it could not do: kept in memory (the
 * background-wide ones here, a navigation's own on the navigation) and shown by the popup as
 * "what could not be done". Nothing is swallowed without a word.
 */
import type { Problem, ProblemWhere } from '../shared/messages';

/** Problems kept per list: the most recent ones say what is wrong now; older ones are dropped. */
export const MAX_PROBLEMS = 20;

/** Background-wide problems (not about one navigation). */
const problems: Problem[] = [];

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Records that `where` failed with `error`; for one navigation's problem pass its list. */
export function report(where: ProblemWhere, error: unknown, list: Problem[] = problems): void {
  const message = messageOf(error);
  list.push({ where, message, at: Date.now() });
  if (list.length > MAX_PROBLEMS) list.splice(0, list.length - MAX_PROBLEMS);
  console.warn(`DNSSEC/TLSA validator: ${where}: ${message}`);
}

/** A background-wide problem is over (e.g. the options could be read after all). */
export function resolved(where: ProblemWhere): void {
  for (let i = problems.length - 1; i >= 0; i--) if (problems[i]!.where === where) problems.splice(i, 1);
}

/** The background-wide problems, then the navigation's own. */
export function problemsWith(own: readonly Problem[]): Problem[] {
  return [...problems, ...own];
}
