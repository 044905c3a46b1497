/**
 * DANE for SMTP (RFC 7672): the per-host rules as a table, and checkMail's orchestration (MX
 * order, implicit and null MX, CNAME'd MX host, host limit) against a scripted validator.
 */
import { describe, expect, it } from 'vitest';
import type { LookupResult, SecurityState } from './dnssec/result';
import type { Validator } from './dnssec/validator';
import { checkMail, mailHostVerdict, mailSummary, smtpUsable } from './mail';
import { RRType, type RR, type TLSAData } from './wire/types';

const tlsa = (usage: number, selector = 1, matchingType = 1, len = 32): TLSAData => ({ kind: 'TLSA', usage, selector, matchingType, data: new Uint8Array(len).fill(7) });

describe('smtpUsable (RFC 7672 §3.1.3)', () => {
  it('keeps only DANE-TA(2) and DANE-EE(3) records that are usable at all', () => {
    const rs = [tlsa(3), tlsa(2), tlsa(1), tlsa(0), tlsa(3, 1, 1, 5), tlsa(3, 7)];
    expect(smtpUsable(rs).map((r) => r.usage)).toEqual([3, 2]);
  });
});

describe('mailHostVerdict', () => {
  const S = (state: SecurityState, result: 'data' | 'nodata' | 'nxdomain' = 'data') => ({ state, result });
  const T = (state: SecurityState, result: 'data' | 'nodata' | 'nxdomain' = 'data') => ({ state, result, name: '_25._tcp.mx.example' });
  it.each([
    ['secure everything, usable records', 'secure', S('secure'), T('secure'), 1, 'dane', 'dane'],
    ['secure, TLSA securely denied', 'secure', S('secure'), T('secure', 'nxdomain'), 0, 'no-tlsa', 'no-tlsa'],
    ['secure, only PKIX usages', 'secure', S('secure'), T('secure'), 0, 'unusable', 'unusable-tlsa'],
    ['insecure MX, even with signed TLSA', 'insecure', S('secure'), T('secure'), 1, 'not-applicable', 'mx-insecure'],
    ['insecure host address', 'secure', S('insecure'), T('insecure', 'nxdomain'), 0, 'not-applicable', 'address-insecure'],
    ['insecure TLSA', 'secure', S('secure'), T('insecure'), 0, 'not-applicable', 'tlsa-insecure'],
    ['bogus MX', 'bogus', S('secure'), T('secure'), 1, 'bogus', 'mx-bogus'],
    ['bogus address', 'secure', S('bogus'), T('secure'), 1, 'bogus', 'address-bogus'],
    ['bogus TLSA', 'secure', S('secure'), T('bogus'), 0, 'bogus', 'tlsa-bogus'],
    ['bogus TLSA under an insecure MX still fails', 'insecure', S('secure'), T('bogus'), 0, 'bogus', 'tlsa-bogus'],
    ['failed MX lookup', 'indeterminate', S('secure'), T('secure'), 1, 'indeterminate', 'mx-failed'],
    ['failed TLSA lookup', 'secure', S('secure'), T('indeterminate'), 0, 'indeterminate', 'tlsa-failed'],
    ['no address', 'secure', S('secure', 'nxdomain'), T('secure', 'nxdomain'), 0, 'indeterminate', 'no-address'],
  ] as const)('%s → %s', (_n, mx, address, t, usable, dane, code) => {
    expect(mailHostVerdict(mx, address, t, usable)).toMatchObject({ dane, reasonCode: code });
  });
});

describe('mailSummary', () => {
  it.each([
    ['secure', false, ['dane', 'dane'], 'all'],
    ['secure', false, ['dane', 'no-tlsa'], 'some'],
    ['secure', false, ['no-tlsa', 'unusable'], 'none'],
    ['secure', false, ['dane', 'bogus'], 'bogus'],
    ['secure', false, ['no-tlsa', 'indeterminate'], 'indeterminate'],
    ['insecure', false, ['not-applicable'], 'not-applicable'],
    ['bogus', false, [], 'bogus'],
    ['secure', true, [], 'no-mail'],
    ['secure', false, [], 'no-mail'],
  ] as const)('MX %s, null MX %s, hosts %j → %s', (mx, nullMx, hosts, want) => {
    expect(mailSummary(mx, nullMx, hosts.map((dane) => ({ dane })))).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------------
// checkMail against a scripted validator: lookups answered from a table keyed "name/TYPE".

const rr = (name: string, type: number, data: RR['data']): RR => ({ name, type, class: 1, ttl: 300, rdata: new Uint8Array(), data }) as RR;
function answer(name: string, type: number, state: SecurityState, records: RR[], over: Partial<LookupResult> = {}): LookupResult {
  return { name, type, state, result: records.length ? 'data' : 'nxdomain', records, links: [], chain: [], ttl: 300, ...over };
}

function scripted(table: Record<string, LookupResult>): { validator: Validator; asked: string[] } {
  const asked: string[] = [];
  const validator = {
    context: () => ({ fetcher: { sent: 1 }, now: 0, budget: { cryptoOps: 1e6, hashes: 1e6 }, memo: new Map() }),
    prefetch: () => undefined,
    prefetchAll: () => undefined,
    lookup: async (name: string, type: number) => {
      const key = `${name.toLowerCase()}/${type}`;
      asked.push(key);
      return table[key] ?? answer(name, type, 'secure', []);
    },
  } as unknown as Validator;
  return { validator, asked };
}

const A = (name: string, ip: string, state: SecurityState = 'secure') => answer(name, RRType.A, state, [rr(name, RRType.A, { kind: 'A', address: ip })]);
const MX = (name: string, state: SecurityState, ...mx: [number, string][]) =>
  answer(name, RRType.MX, state, mx.map(([preference, exchange]) => rr(name, RRType.MX, { kind: 'MX', preference, exchange })));
const TLSA = (name: string, state: SecurityState, ...records: TLSAData[]) => answer(name, RRType.TLSA, state, records.map((d) => rr(name, RRType.TLSA, d)));

describe('checkMail', () => {
  it('checks every MX host in preference order: DANE for mx1, no TLSA for mx2', async () => {
    const { validator } = scripted({
      [`mail.example./${RRType.MX}`]: MX('mail.example.', 'secure', [20, 'mx2.mail.example.'], [10, 'mx1.mail.example.']),
      [`mx1.mail.example./${RRType.A}`]: A('mx1.mail.example.', '192.0.2.1'),
      [`mx2.mail.example./${RRType.A}`]: A('mx2.mail.example.', '192.0.2.2'),
      [`_25._tcp.mx1.mail.example./${RRType.TLSA}`]: TLSA('_25._tcp.mx1.mail.example.', 'secure', tlsa(3)),
    });
    const r = await checkMail(validator, 'mail.example.', { clock: () => 0 });
    expect(r).toMatchObject({ domain: 'mail.example', implicitMx: false, nullMx: false, summary: 'some', skippedHosts: 0 });
    expect(r.mx.records).toEqual(['20 mx2.mail.example.', '10 mx1.mail.example.']);
    expect(r.hosts.map((h) => [h.preference, h.host, h.address.records, h.tlsa.name, h.dane])).toEqual([
      [10, 'mx1.mail.example', ['192.0.2.1'], '_25._tcp.mx1.mail.example', 'dane'],
      [20, 'mx2.mail.example', ['192.0.2.2'], '_25._tcp.mx2.mail.example', 'no-tlsa'],
    ]);
    expect(r.hosts[0].usable).toEqual([`3 1 1 ${'07'.repeat(32)}`]);
    expect(r.queries).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain JSON (CLI, messages)
  });

  it('uses the CNAME-expanded name as TLSA base when the expansion is secure (RFC 7672 §2.2.2)', async () => {
    const link = [{ owner: 'mx-alias.mail.example.', target: 'mx1.mail.example.', type: 'CNAME' as const, state: 'secure' as const }];
    const { validator } = scripted({
      [`alias.mail.example./${RRType.MX}`]: MX('alias.mail.example.', 'secure', [10, 'mx-alias.mail.example.']),
      [`mx-alias.mail.example./${RRType.A}`]: { ...A('mx1.mail.example.', '192.0.2.1'), links: link },
      [`_25._tcp.mx1.mail.example./${RRType.TLSA}`]: TLSA('_25._tcp.mx1.mail.example.', 'secure', tlsa(3)),
    });
    const r = await checkMail(validator, 'alias.mail.example.');
    expect(r.hosts.map((h) => [h.host, h.tlsa.name, h.dane])).toEqual([['mx-alias.mail.example', '_25._tcp.mx1.mail.example', 'dane']]);
  });

  it('keeps the original name as TLSA base when the CNAME is insecure', async () => {
    const link = [{ owner: 'mx-alias.mail.example.', target: 'mx.elsewhere.example.', type: 'CNAME' as const, state: 'insecure' as const }];
    const { validator, asked } = scripted({
      [`alias.mail.example./${RRType.MX}`]: MX('alias.mail.example.', 'secure', [10, 'mx-alias.mail.example.']),
      [`mx-alias.mail.example./${RRType.A}`]: { ...A('mx.elsewhere.example.', '192.0.2.9', 'insecure'), links: link },
    });
    const r = await checkMail(validator, 'alias.mail.example.');
    expect(r.hosts[0]).toMatchObject({ tlsa: { name: '_25._tcp.mx-alias.mail.example' }, dane: 'not-applicable', reasonCode: 'address-insecure' });
    expect(asked).not.toContain(`_25._tcp.mx.elsewhere.example./${RRType.TLSA}`);
  });

  it('a null MX means no mail and no host lookups (RFC 7505)', async () => {
    const { validator, asked } = scripted({ [`nomail.example./${RRType.MX}`]: MX('nomail.example.', 'secure', [0, '.']) });
    const r = await checkMail(validator, 'nomail.example.');
    expect(r).toMatchObject({ nullMx: true, hosts: [], summary: 'no-mail' });
    expect(asked).toEqual([`nomail.example./${RRType.MX}`]);
  });

  it('no MX records: the domain itself is the mail host (RFC 5321 §5.1)', async () => {
    const { validator } = scripted({
      [`implicit.example./${RRType.MX}`]: answer('implicit.example.', RRType.MX, 'secure', [], { result: 'nodata' }),
      [`implicit.example./${RRType.A}`]: A('implicit.example.', '192.0.2.7'),
    });
    const r = await checkMail(validator, 'implicit.example.');
    expect(r).toMatchObject({ implicitMx: true, summary: 'none' });
    expect(r.hosts.map((h) => [h.host, h.preference, h.dane])).toEqual([['implicit.example', 0, 'no-tlsa']]);
    // ...and without an address either, there is no mail host at all.
    const none = scripted({ [`bare.example./${RRType.MX}`]: answer('bare.example.', RRType.MX, 'secure', [], { result: 'nodata' }) });
    expect(await checkMail(none.validator, 'bare.example.')).toMatchObject({ implicitMx: true, hosts: [], summary: 'no-mail' });
  });

  it('a bogus MX RRset stops there', async () => {
    const { validator, asked } = scripted({ [`bad.example./${RRType.MX}`]: MX('bad.example.', 'bogus', [10, 'mx.bad.example.']) });
    const r = await checkMail(validator, 'bad.example.');
    expect(r).toMatchObject({ summary: 'bogus', hosts: [], skippedHosts: 1 });
    expect(asked).toHaveLength(1);
  });

  it('checks at most maxHosts hosts, each name once', async () => {
    const mx: [number, string][] = [1, 2, 3, 4].map((i) => [i, `mx${i}.many.example.`]);
    const { validator } = scripted({ [`many.example./${RRType.MX}`]: MX('many.example.', 'secure', ...mx, [9, 'MX1.many.example.']) });
    const r = await checkMail(validator, 'many.example.', { maxHosts: 2 });
    expect(r.hosts.map((h) => h.host)).toEqual(['mx1.many.example', 'mx2.many.example']);
    expect(r.skippedHosts).toBe(2);
  });
});
