/**
 * The world's DoH front as the tests and benches use it (test/world/servers.mjs): a resolver URL
 * whose questions are counted under a tag of their own, and the front's record of that tag.
 */
import type { FetchLike } from '../../src/core/transport/doh';

/** What the front recorded under one tag (`/stats?tag=`); times are the front's wall clock, ms. */
export interface FrontTagStats {
  total: number;
  lies: number;
  byName: Record<string, number>;
  byRoute: Record<string, number>;
  /** One entry per question (at most 5,000): when it arrived and, once answered, when the answer left. */
  queries: { at: number; answeredAt?: number; name: string; type: string; method: string; route: string }[];
}

/** `[/t/<tag>]<route>/dns-query` on the front: `route` as servers.mjs reads it ("/delay/50", "/fail/http-500", …). */
export function taggedResolver(frontBase: string, tag: string, route = ''): string {
  return `${frontBase}/t/${tag}${route}/dns-query`;
}

export async function frontTagStats(fetch: FetchLike, frontBase: string, tag: string): Promise<FrontTagStats> {
  const r = await fetch(`${frontBase}/stats?tag=${tag}`, { method: 'GET', headers: {} });
  return JSON.parse(new TextDecoder().decode(await r.arrayBuffer())) as FrontTagStats;
}
