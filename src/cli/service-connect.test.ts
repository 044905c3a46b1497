import { describe, expect, it } from 'vitest';
import { nameToWire } from '../core/wire/name';
import { parseSrv } from './service-connect';
import { parseTlsaText, tlsaBase, validAddresses } from './mail-connect';

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
