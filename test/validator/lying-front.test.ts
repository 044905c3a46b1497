/**
 * The lying DoH front of the world (servers.mjs, attacks in test/world/lib/lies.mjs): a real
 * resolver URL, `https://127.0.55.1:8443/lie/<attack>/dns-query`, that rewrites unbound's genuine
 * answers on the fly. Unlike hostile.test.ts (lies told in-process below the DohClient), any DoH
 * client can be pointed at it: here the core (validateHost) and the `check` CLI in a child
 * process; test/browser/hostile-e2e.test.ts points the extension at it.
 *
 * Invariant: never `secure` for the attacked answer; `bogus` with the reason a validating
 * resolver would give where the data was tampered with, `indeterminate` where the transport lied.
 * Each test runs under its own front tag (/t/<tag>/...) and checks that the attack really fired.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { httpsFetch } from '../../src/cli/https-fetch';
import { toCheckResult, validateHost } from '../../src/core/check';
import { parseTrustAnchors } from '../../src/core/dnssec/anchors';
import type { ReasonCode } from '../../src/core/dnssec/result';
import { Validator } from '../../src/core/dnssec/validator';
import { DohClient } from '../../src/core/transport/doh';
import { parseName } from '../../src/core/wire/name';
import { readWorld } from '../world/world.mjs';
import { check } from '../cli/run-check';
import { frontTagStats, taggedResolver } from '../support/front';

const world = readWorld();
const ca = readFileSync(world.ca);
const parsed = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!parsed.ok) throw new Error('world trust anchor');
const anchors = parsed.anchors;
const fetch = httpsFetch({ ca });
afterAll(() => fetch.close());

const tagged = (tag: string, route = '') => taggedResolver(world.front.base, tag, route);

const tagStats = (tag: string) => frontTagStats(fetch, world.front.base, tag);

async function verdictVia(url: string, host: string) {
  const v = new Validator({ resolver: new DohClient({ urls: [url], fetch, retries: 0 }), anchors });
  return toCheckResult(host, 443, await validateHost(v, parseName(host)!, 443), 0);
}

interface Case {
  attack: string;
  host: string;
  /** Expected state and reason codes of the address verdict. */
  state: 'bogus' | 'indeterminate' | 'insecure';
  reasons: ReasonCode[];
  message?: RegExp;
  /** The TLSA verdict must not be secure either (when the attack touches every question). */
  tlsaNotSecure?: boolean;
}

const CASES: Case[] = [
  { attack: 'strip-rrsig', host: 'www.alg13.test', state: 'bogus', reasons: ['missing-rrsig'], tlsaNotSecure: true },
  { attack: 'strip-rrsig', host: 'www.nsec3.test', state: 'bogus', reasons: ['missing-rrsig'], tlsaNotSecure: true },
  { attack: 'forge-a', host: 'www.alg13.test', state: 'bogus', reasons: ['signature-invalid'], message: /does not verify/ },
  { attack: 'forge-a', host: 'alias.cname.test', state: 'bogus', reasons: ['signature-invalid'] },
  { attack: 'drop-ds', host: 'www.alg13.test', state: 'bogus', reasons: ['no-ds-proof'], tlsaNotSecure: true },
  { attack: 'drop-ds', host: 'www.nsec3salt.example', state: 'bogus', reasons: ['no-ds-proof'], tlsaNotSecure: true },
  { attack: 'nsec-not-covering', host: 'www.alg13.test', state: 'bogus', reasons: ['denial-missing', 'denial-invalid'], tlsaNotSecure: true },
  { attack: 'nsec-not-covering', host: 'www.nsec3.test', state: 'bogus', reasons: ['denial-missing', 'denial-invalid'], tlsaNotSecure: true },
  { attack: 'ad-garbage', host: 'www.alg13.test', state: 'bogus', reasons: ['missing-rrsig'], tlsaNotSecure: true },
  // AD=1 on garbage in an unsigned zone: the AD bit is ignored, the zone stays merely insecure.
  { attack: 'ad-garbage', host: 'www.insecure.test', state: 'insecure', reasons: ['insecure-delegation'] },
  { attack: 'wrong-question', host: 'www.alg13.test', state: 'indeterminate', reasons: ['resolver-error'], message: /question-mismatch/, tlsaNotSecure: true },
  { attack: 'wildcard-replay', host: 'ns1.wild.test', state: 'bogus', reasons: ['denial-missing', 'wildcard-invalid', 'denial-invalid'] },
  { attack: 'wildcard-replay', host: 'ns1.wild.example', state: 'bogus', reasons: ['denial-missing', 'wildcard-invalid', 'denial-invalid'] },
  { attack: 'cname-loop', host: 'alias.cname.test', state: 'bogus', reasons: ['signature-invalid', 'cname-loop'] },
  { attack: 'cname-loop', host: 'chain.cname.test', state: 'bogus', reasons: ['signature-invalid', 'cname-loop'] },
];

describe('the front lists its attacks and failure modes', () => {
  test('/lies', async () => {
    const r = await fetch(`${world.front.base}/lies`, { method: 'GET', headers: {} });
    const j = JSON.parse(Buffer.from(await r.arrayBuffer()).toString('utf8'));
    expect(Object.keys(j.attacks).sort()).toEqual([...new Set(CASES.map((c) => c.attack))].sort());
    expect(Object.keys(j.failures)).toContain('servfail');
  });
  test('an unknown attack is a 404, not a pass-through', async () => {
    const r = await fetch(`${world.front.base}/lie/no-such-attack/dns-query?dns=AAABAAABAAAAAAAAA3d3dwVhbGcxMwR0ZXN0AAABAAE`, { method: 'GET', headers: {} });
    expect(r.status).toBe(404);
  });
});

describe.concurrent('baseline: the same front without lies is secure', () => {
  test.each([...new Set(CASES.map((c) => c.host))])('%s', async (host) => {
    const r = await verdictVia(tagged(`base-${randomUUID()}`), host);
    if (host === 'www.insecure.test') expect(r.address.state).toBe('insecure');
    else expect(r.address.state, r.address.reason).toBe('secure');
  });
});

describe.concurrent('core (validateHost) through /lie/<attack>/', () => {
  test.each(CASES.map((c) => [c.attack, c.host, c] as const))('%s on %s', async (_a, _h, c) => {
    const tag = `lie-${randomUUID()}`;
    const r = await verdictVia(tagged(tag, `/lie/${c.attack}`), c.host);
    const stats = await tagStats(tag);
    expect(stats.lies, `the attack ${c.attack} never fired for ${c.host}`).toBeGreaterThan(0);
    const show = `${r.address.state} ${r.address.reasonCode}: ${r.address.reason}`;
    expect(r.address.state, show).not.toBe('secure');
    expect(r.address.state, show).toBe(c.state);
    expect(c.reasons, show).toContain(r.address.reasonCode);
    if (c.message) expect(r.address.reason, show).toMatch(c.message);
    if (c.tlsaNotSecure) expect(r.tlsa.state, r.tlsa.reason).not.toBe('secure');
    if (r.dane !== 'not-checked') expect(r.dane).not.toBe('match');
  });
});


describe.concurrent('the check CLI pointed at a lying resolver URL', () => {
  test.each([
    ['forge-a', 'www.alg13.test', 'bogus'],
    ['strip-rrsig', 'www.alg13.test', 'bogus'],
    ['drop-ds', 'www.alg13.test', 'bogus'],
    ['wrong-question', 'www.alg13.test', 'indeterminate'],
  ])('%s on %s → %s', async (attack, host, state) => {
    const tag = `cli-${randomUUID()}`;
    const r = await check([host, '--resolver', tagged(tag, `/lie/${attack}`), '--trust-anchor', world.trustAnchor.zone, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.address.state, JSON.stringify(j.address)).toBe(state);
    expect(j.address.reason).toBeTruthy();
    expect((await tagStats(tag)).lies).toBeGreaterThan(0);
  });
});
