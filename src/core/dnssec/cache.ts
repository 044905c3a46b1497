/**
 * A small TTL + LRU cache shared by all lookups of a validator (zone keys, proven zone cuts).
 * Entries expire at `expiresAt` (ms, injected clock); the oldest-used entry goes first past `max`.
 * Only verified facts are stored here, never raw resolver data that was not validated.
 */
export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    readonly max: number,
    private readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    // Refresh LRU position (Map keeps insertion order).
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  set(key: string, value: V, ttlSeconds: number): void {
    if (!(ttlSeconds > 0)) return;
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
