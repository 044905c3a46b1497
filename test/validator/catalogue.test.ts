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

interface Expect { state: string; result: string }
interface Case {
  id: string;
  host: string;
  port: number;
  tlsaName: string;
  address: Expect;
  tlsa: Expect;
  dane: string;
  site?: boolean;
}

const world = readWorld();
const catalogue: { cases: Case[] } = readCatalogue();
const anchorParse = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!anchorParse.ok) throw new Error(`world trust anchor: ${JSON.stringify(anchorParse.errors)}`);
const anchors = anchorParse.anchors;
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });

for (const resolverName of ['bind', 'unbound'] as const) {
  describe(`catalogue via ${resolverName} DoH`, () => {
    test.concurrent.each(catalogue.cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const resolver = new DohClient({ urls: [world.resolvers[resolverName].doh], fetch });
      const validator = new Validator({ resolver, anchors });
      const verdict = await validateHost(validator, parseName(c.host)!, c.port);
      let r = toCheckResult(c.host, c.port, verdict, 0);
      const got: Record<string, unknown> = {
        address: { state: r.address.state, result: r.address.result },
        tlsa: { state: r.tlsa.state, result: r.tlsa.result },
        tlsaName: r.tlsa.name,
      };
      const want: Record<string, unknown> = {
        address: c.address,
        tlsa: c.tlsa,
        tlsaName: c.tlsaName,
      };
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
    });
  });
}
