import { describe, expect, test } from 'vitest';
import { toHex } from '../util/encoding';
import { BUILTIN_ANCHORS, closestAnchor, IANA_ROOT_DS_TEXT, parseNegativeAnchors, parseTrustAnchors } from './anchors';
import { computeDsDigest } from './ds';
import { keyTag } from './keytag';
import { parseZoneText } from '../wire/present';

// The root KSKs as published by IANA (root-anchors.xml) and in unbound's root.key.
const ROOT_KSKS = `
. 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU= ;{id = 20326 (ksk), size = 2048b}
. 172800 IN DNSKEY 257 3 8 AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc= ;{id = 38696 (ksk), size = 2048b}
`;

describe('built-in IANA root anchors', () => {
  test('parse to KSK-2017 (20326) and KSK-2024 (38696) as SHA-256 DS', () => {
    const p = parseTrustAnchors(IANA_ROOT_DS_TEXT);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.anchors).toHaveLength(1);
    expect(p.anchors[0].zone).toBe('.');
    expect(p.anchors[0].ds.map((d) => [d.keyTag, d.algorithm, d.digestType])).toEqual([
      [20326, 8, 2],
      [38696, 8, 2],
    ]);
    expect(p.anchors[0].ds.map((d) => toHex(d.digest))).toEqual(BUILTIN_ANCHORS[0].ds.map((d) => toHex(d.digest)));
  });

  test('the published root KSKs hash to the built-in DS digests (RFC 4034 §5.1.4)', async () => {
    const keys = parseZoneText(ROOT_KSKS).records;
    expect(keys).toHaveLength(2);
    const got = [];
    for (const k of keys) got.push([keyTag(k.rdata), toHex((await computeDsDigest('.', k.rdata, 2))!)]);
    expect(got).toEqual(BUILTIN_ANCHORS[0].ds.map((d) => [d.keyTag, toHex(d.digest)]));
  });

  test('DNSKEY lines are accepted as anchors too (unbound root.key format)', () => {
    const p = parseTrustAnchors(ROOT_KSKS);
    expect(p.ok && p.anchors[0].dnskeys.length).toBe(2);
  });
});

describe('custom anchor text', () => {
  test('several zones at once, comments and blank lines', () => {
    const p = parseTrustAnchors(`; island of trust
example.org. 3600 IN DS 12345 13 2 ${'ab'.repeat(32)}

example.net. DS 23456 8 2 ${'cd'.repeat(32)} ; comment`);
    expect(p.ok).toBe(true);
    if (p.ok) expect(p.anchors.map((a) => a.zone).sort()).toEqual(['example.net.', 'example.org.']);
  });

  test.each([
    ['garbage', 'this is not a zone file'],
    ['wrong type', '. IN A 192.0.2.1'],
    ['bad hex', '. IN DS 20326 8 2 XYZ'],
    ['empty', '   \n ; only a comment\n'],
    ['revoked DNSKEY (RFC 5011 §2.1)', '. IN DNSKEY 385 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3'],
    ['DNSKEY without zone bit', '. IN DNSKEY 1 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3'],
  ])('%s is refused with a message', (_n, text) => {
    const p = parseTrustAnchors(text);
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.errors.length).toBeGreaterThan(0);
      expect(p.errors[0].message.length).toBeGreaterThan(5);
    }
  });

  test('closest enclosing anchor wins', () => {
    const p = parseTrustAnchors(`. DS 1 8 2 ${'00'.repeat(32)}\nexample.org. DS 2 13 2 ${'11'.repeat(32)}`);
    if (!p.ok) throw new Error('parse');
    expect(closestAnchor(p.anchors, 'www.example.org.')?.zone).toBe('example.org.');
    expect(closestAnchor(p.anchors, 'www.example.com.')?.zone).toBe('.');
    expect(closestAnchor([p.anchors[1]], 'www.example.com.')).toBeNull();
  });

  test('negative anchors: valid names kept, invalid reported', () => {
    expect(parseNegativeAnchors(['Broken.Example.', ' ', 'bad..name', '.'])).toEqual({ names: ['broken.example.'], invalid: ['bad..name', '.'] });
  });
});
