import { describe, expect, it } from 'vitest';
import { nameToWire } from '../core/wire/name';
import { parseSrv } from './service-connect';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTlsa } from '../core/dane/match';
import { judgeSession, parseTlsaText, tlsaBase, validAddresses, type ServiceTarget } from './mail-connect';
import type { SessionResult } from './starttls/session';

describe('SRV RDATA (RFC 2782) and the helpers of the STARTTLS checks', () => {
  const srv = (prio: number, weight: number, port: number, target: string) =>
    new Uint8Array([prio >> 8, prio & 255, weight >> 8, weight & 255, port >> 8, port & 255, ...nameToWire(target)]);

  it('parses priority, weight, port and the uncompressed target', () => {
    expect(parseSrv(srv(10, 5, 5222, 'im.xmpp.test.'))).toEqual({ priority: 10, weight: 5, port: 5222, target: 'im.xmpp.test.' });
    expect(parseSrv(srv(0, 0, 0, '.'))).toMatchObject({ target: '.' });
  });

  it('rejects truncated RDATA, trailing bytes and compression pointers', () => {
    expect(parseSrv(new Uint8Array([0, 1, 0, 2]))).toBeNull();
    const b = srv(1, 1, 25, 'a.test.');
    expect(parseSrv(new Uint8Array([...b, 0]))).toBeNull();
    expect(parseSrv(new Uint8Array([0, 1, 0, 1, 0, 25, 0xc0, 0]))).toBeNull();
  });

  it('TLSA text, TLSA base domain, address literals', () => {
    expect(parseTlsaText('3 1 1 ABcd')).toMatchObject({ usage: 3, selector: 1, matchingType: 1, data: new Uint8Array([0xab, 0xcd]) });
    expect(parseTlsaText('3 1 1 xyz')).toBeNull();
    expect(tlsaBase('_25._tcp.MX1.Mail.test.')).toBe('mx1.mail.test');
    expect(validAddresses(['127.0.0.1', '::1', 'not-an-ip', '10.0.0.1'], 2)).toEqual(['127.0.0.1', '::1']);
  });
});

describe('SMTP between MTAs names a leaf without DNS-IDs by its subject CN (RFC 7672 §3.2.3)', () => {
  const fixture = (n: string) =>
    new Uint8Array(
      Buffer.from(
        readFileSync(join(import.meta.dirname, '../core/dane/fixtures', `${n}.pem`), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''),
        'base64',
      ),
    );
  const session = (...names: string[]): SessionResult => ({
    address: '192.0.2.25',
    port: 25,
    starttls: 'offered',
    end: 'tls',
    tls: { version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
    certs: names.map(fixture),
  });
  async function target(cnFallback: boolean): Promise<ServiceTarget> {
    return {
      addresses: ['192.0.2.25'],
      port: 25,
      protocol: 'smtp',
      servername: 'mx.dane.test',
      referenceIds: ['mx.dane.test', 'dane.test'],
      records: [await generateTlsa(fixture('cn-root'), 2, 0, 1)],
      mustNotFallBack: true,
      usePkix: false,
      cnFallback,
    };
  }

  it('DANE-TA with the CN-only leaf: a match for SMTP, a mismatch where the CN does not count', async () => {
    const smtp = await judgeSession(session('leaf-cn-only', 'cn-root'), await target(true));
    expect(smtp.dane).toBe('match');
    const strict = await judgeSession(session('leaf-cn-only', 'cn-root'), await target(false));
    expect(strict.dane).toBe('mismatch');
    expect(strict.reason).toContain('reference identifiers: mx.dane.test, dane.test');
  });

  it('a leaf with a DNS-ID for another name stays a mismatch, CN or not', async () => {
    const r = await judgeSession(session('leaf-cn-other-san', 'cn-root'), await target(true));
    expect(r.dane).toBe('mismatch');
  });
});
