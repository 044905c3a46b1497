/**
 * A request that never settles fails after a deadline instead. An extension page asks the
 * background through `runtime.sendMessage`; a background stopped or restarted while it handled
 * the request can leave that promise pending for good, and the page would say "checking…"
 * forever. With a deadline it says why it has no answer (a state of its own, never a verdict).
 */
export function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
