/**
 * When this background's script began to run (wall-clock ms, as timings.ts's clock): imported
 * first by index.ts, so it is evaluated before any other module of the bundle. Between the
 * browser creating the background and this lies the browser's own start of it and the parsing
 * of the script; from this to `markEvaluated` our modules' evaluation (bench/page-load.ts).
 */
export const scriptStartedAt = performance.timeOrigin + performance.now();
