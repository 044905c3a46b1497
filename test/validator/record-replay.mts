/**
 * Record the test world's real DoH answers for a few catalogue cases into a replay fixture, so the
 * validator's unit tests can run offline with a pinned clock:
 *   npx tsx test/validator/record-replay.mts   (world running)
 * Expectations are copied from the catalogue (the oracle), never from our own output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { validateHost } from '../../src/core/check';
import { httpsFetch } from '../../src/cli/https-fetch';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import type { QueryResolver } from '../../src/core/dnssec/fetcher';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { toBase64 } from '../../src/core/util/encoding';
import { parseName, questionKey } from '../../src/core/wire/name';
import { readCatalogue, readWorld } from '../world/world.mjs';

const CASES = [
  'alg13-www', 'alg16-www', 'rollover-www', 'nsec3-nxdomain', 'nsec-nodata', 'optout-unsigned-delegation', 'optout-nxdomain',
  'insecure-nsec', 'bogus-expired', 'bogus-corrupt-rrsig', 'bogus-missing-rrsig-tlsa', 'bogus-ds-mismatch',
  'wildcard-nsec', 'wildcard-nsec3', 'cname-secure-insecure', 'cname-tlsa-at-target', 'dname',
];

const world = readWorld();
const catalogue = readCatalogue();
const anchorText = readFileSync(world.trustAnchor.zone, 'utf8');
const anchors = parseTrustAnchors(anchorText);
if (!anchors.ok) throw new Error('bad anchor');
const fetch = httpsFetch({ ca: readFileSync(world.ca) });
const doh = new DohClient({ urls: [world.resolvers.unbound.doh], fetch });
const responses: Record<string, string> = {};
const recorder: QueryResolver = {
  async query(name, type) {
    const r = await doh.query(name, type);
    if (r.ok) responses[questionKey(name, type)] = toBase64(r.bytes);
    return r;
  },
};
const now = Date.now();
const validator = new Validator({ resolver: recorder, anchors: anchors.anchors, now: () => now });
const cases = [];
for (const id of CASES) {
  const c = catalogue.cases.find((x: { id: string }) => x.id === id);
  await validateHost(validator, parseName(c.host)!, c.port);
  cases.push({ id, host: c.host, port: c.port, address: c.address, tlsa: c.tlsa, tlsaName: c.tlsaName });
}
fetch.close();
const out = {
  $comment: 'Recorded by test/validator/record-replay.mts from the test world; expectations from its catalogue.',
  recordedAt: new Date(now).toISOString(),
  sigExpiration: world.sigExpiration,
  anchor: anchorText,
  cases,
  responses,
};
writeFileSync('src/core/dnssec/fixtures/replay/world.json', JSON.stringify(out, null, 1) + '\n');
console.log(`${cases.length} cases, ${Object.keys(responses).length} responses`);
