/**
 * A small deterministic generator for tests that draw their cases (the same draws on every run):
 * the classic ANSI C linear congruential step, as a number in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}
