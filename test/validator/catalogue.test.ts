/**
 * The oracle test: every case of the world's catalogue judged by our own validator through each
 * of the world's DoH resolvers (BIND and unbound), cold cache, against the catalogue's expectations
 * (which test/world/world.test.ts proves with delv, unbound-host and openssl).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { daneBeforeConnect, toCheckResult, validateHost } from '../../src/core/check';
import { connectAndMatch } from '../../src/cli/connect';
import { httpsFetch } from '../../src/cli/https-fetch';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { parseName } from '../../src/core/wire/name';
import { readCatalogue, readWorld } from '../world/world.mjs';

interface Expect { state: string; result: string; reason?: string }
interface Case {
  id: string;
  host: string;
  port: number;
  tlsaName: string;
  address: Expect;
  tlsa: Expect;
  dane: string;
  site?: boolean;
  knownCoreBug?: string;
  category?: string;
}

const world = readWorld();
const catalogue: { cases: Case[] } = readCatalogue();
const anchorParse = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!anchorParse.ok) throw new Error(`world trust anchor: ${JSON.stringify(anchorParse.errors)}`);
const anchors = anchorParse.anchors;
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });

const expectOf = (e: Expect) => ({ state: e.state, result: e.result });
/** Cases whose expectation the core does not meet yet: they must fail (test.fails), until fixed. */
const working = catalogue.cases.filter((c) => !c.knownCoreBug);
const knownBugs = catalogue.cases.filter((c) => c.knownCoreBug);

for (const resolverName of ['bind', 'unbound'] as const) {
  describe(`catalogue via ${resolverName} DoH`, () => {
    const judge = async (c: Case) => {
      // Limits cases get an HTTP/2 connection of their own: BIND 9.18's DoH corrupts ~60 KiB
      // responses now and then when they share a busy connection (plain TCP and unbound are fine).
      const own = c.category === 'limits' ? httpsFetch({ ca }) : null;
      const resolver = new DohClient({ urls: [world.resolvers[resolverName].doh], fetch: own ?? fetch });
      const validator = new Validator({ resolver, anchors });
      const verdict = await validateHost(validator, parseName(c.host)!, c.port).finally(() => own?.close());
      let r = toCheckResult(c.host, c.port, verdict, 0);
      const got: Record<string, unknown> = {
        address: { state: r.address.state, result: r.address.result },
        tlsa: { state: r.tlsa.state, result: r.tlsa.result },
        tlsaName: r.tlsa.name,
      };
      const want: Record<string, unknown> = {
        address: expectOf(c.address),
        tlsa: expectOf(c.tlsa),
        tlsaName: c.tlsaName,
      };
      // Limits cases name the reason code as well (e.g. limit-exceeded, nsec3-iterations).
      if (c.address.reason) {
        (got.address as Expect).reason = r.address.reasonCode;
        (want.address as Expect).reason = c.address.reason;
      }
      if (c.tlsa.reason) {
        (got.tlsa as Expect).reason = r.tlsa.reasonCode;
        (want.tlsa as Expect).reason = c.tlsa.reason;
      }
      if (c.site) {
        r = await connectAndMatch(r, verdict, { ca });
        got.dane = r.dane;
        want.dane = c.dane;
      } else if (['bogus', 'insecure', 'no-tlsa'].includes(c.dane)) {
        got.dane = daneBeforeConnect(r)?.dane;
        want.dane = c.dane;
      }
      expect({ ...got, reasons: undefined }, `${c.id}: ${r.address.reason ?? ''} | ${r.tlsa.reason ?? ''} | ${r.daneReason ?? ''}`).toEqual({ ...want, reasons: undefined });
      // A secure verdict always comes with the chain that proved it, from the anchor down.
      if (r.address.state === 'secure') expect(r.chain[0]?.zone).toBe('.');
    };
    test.concurrent.each(working.map((c) => [c.id, c] as const))('%s', (_id, c) => judge(c));
    if (knownBugs.length > 0) {
      // Known core bugs (catalogue `knownCoreBug`): these fail today; when the core is fixed,
      // test.fails turns red and the catalogue entry's knownCoreBug is to be removed.
      test.fails.each(knownBugs.map((c) => [c.id, c] as const))('known core bug: %s', (_id, c) => judge(c));
    }
  });
}
