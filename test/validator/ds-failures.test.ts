/**
 * Issue 14: authoritative servers that fail DS questions below a zone apex exist (load balancers,
 * some CDNs). The world's DoH front plays one (test/world/lib/lies.mjs): `/fail/ds-servfail/`
 * answers SERVFAIL, `/fail/ds-referral/` a stray unsigned referral, to every DS question for a
 * name that is no zone of the world, and forwards everything else to unbound. The chain of trust
 * goes to the signer's zone and the zone-cut walk only where an unsigned answer must be proven
 * insecure, so no catalogue case needs such a DS answer: every one keeps its verdict.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { httpsFetch } from '../../src/cli/https-fetch';
import { toCheckResult, validateHost } from '../../src/core/check';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { parseName } from '../../src/core/wire/name';
import { readCatalogue, readWorld } from '../world/world.mjs';
import { frontTagStats, taggedResolver } from '../support/front';

interface Expect { state: string; result: string; reason?: string }
interface Case { id: string; host: string; port: number; tlsaName: string; address: Expect; tlsa: Expect; knownCoreBug?: string; category?: string }

const world = readWorld();
const catalogue: { cases: Case[] } = readCatalogue();
const parsed = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!parsed.ok) throw new Error('world trust anchor');
const anchors = parsed.anchors;
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });
afterAll(() => fetch.close());

const cases = catalogue.cases.filter((c) => !c.knownCoreBug);

for (const mode of ['ds-servfail', 'ds-referral'] as const) {
  describe(`every catalogue case keeps its verdict when DS questions below a zone apex get ${mode}`, () => {
    const tag = `i14-${mode}-${randomUUID().slice(0, 8)}`;
    const url = taggedResolver(world.front.base, tag, `/fail/${mode}`);

    test.concurrent.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const own = c.category === 'limits' ? httpsFetch({ ca }) : null;
      const validator = new Validator({ resolver: new DohClient({ urls: [url], fetch: own ?? fetch, retries: 0 }), anchors });
      const verdict = await validateHost(validator, parseName(c.host)!, c.port).finally(() => own?.close());
      const r = toCheckResult(c.host, c.port, verdict, 0);
      const got = { address: { state: r.address.state, result: r.address.result }, tlsa: { state: r.tlsa.state, result: r.tlsa.result } };
      const want = { address: { state: c.address.state, result: c.address.result }, tlsa: { state: c.tlsa.state, result: c.tlsa.result } };
      expect(got, `${c.id}: ${r.address.reason ?? ''} | ${r.tlsa.reason ?? ''}`).toEqual(want);
    });

    test('the front really failed DS questions below zone apexes', async () => {
      // Runs after the concurrent cases of this block (vitest runs a block's tests in order of completion groups).
      const stats = await frontTagStats(fetch, world.front.base, tag);
      expect(stats.total).toBeGreaterThan(cases.length);
      expect(stats.lies).toBeGreaterThan(0);
    });
  });
}
