import { describe, expect, it } from 'vitest';
import { certMatchesHost, dnsNameMatches, parseTlsaName, tlsaName } from './names';

describe('tlsaName (RFC 6698 §3)', () => {
  it('builds _port._proto.host.', () => {
    expect(tlsaName('www.dane.test', 443)).toBe('_443._tcp.www.dane.test.');
    expect(tlsaName('www.dane.test.', 443)).toBe('_443._tcp.www.dane.test.');
    expect(tlsaName('mail.example.com', 25, 'tcp')).toBe('_25._tcp.mail.example.com.');
    expect(tlsaName('sip.example.com', 5061, 'udp')).toBe('_5061._udp.sip.example.com.');
    expect(tlsaName('Example.COM', 0)).toBe('_0._tcp.Example.COM.');
    expect(tlsaName('xn--bcher-kva.example', 65535)).toBe('_65535._tcp.xn--bcher-kva.example.');
  });
  it('returns null for bad input', () => {
    for (const port of [-1, 65536, 1.5, NaN]) expect(tlsaName('a.test', port)).toBeNull();
    for (const host of ['', '.', 'a..b', 'a b.test', '[::1]', 'bücher.example', `${'a'.repeat(64)}.test`, `${'a.'.repeat(127)}test`]) {
      expect(tlsaName(host, 443), host).toBeNull();
    }
    expect(tlsaName('a.test', 443, '')).toBeNull();
    expect(tlsaName('a.test', 443, 't.cp')).toBeNull();
    expect(tlsaName(undefined as unknown as string, 443)).toBeNull();
  });
});

describe('parseTlsaName', () => {
  it('parses what tlsaName builds', () => {
    expect(parseTlsaName('_443._tcp.www.dane.test.')).toEqual({ port: 443, proto: 'tcp', host: 'www.dane.test' });
    expect(parseTlsaName('_25._TCP.Mail.Example.com')).toEqual({ port: 25, proto: 'tcp', host: 'Mail.Example.com' });
    for (const [h, p, pr] of [
      ['a.b.c', 1, 'udp'],
      ['x', 65535, 'sctp'],
    ] as const) {
      expect(parseTlsaName(tlsaName(h, p, pr)!)).toEqual({ host: h, port: p, proto: pr });
    }
  });
  it('rejects other shapes', () => {
    for (const n of ['www.dane.test.', '_443.www.dane.test.', '_https._tcp.x.', '_0443._tcp.x.', '_65536._tcp.x.', '_443._tcp.', '_443._tcp..', '443._tcp.x.', '_443._tcp.a..b.']) {
      expect(parseTlsaName(n), n).toBeNull();
    }
    expect(parseTlsaName(null as unknown as string)).toBeNull();
  });
});

describe('dnsNameMatches (RFC 6125 §6.4)', () => {
  const yes: [string, string][] = [
    ['www.dane.test', 'www.dane.test'],
    ['WWW.Dane.TEST', 'www.dane.test'],
    ['www.dane.test.', 'www.dane.test'],
    ['www.dane.test', 'www.dane.test.'],
    ['*.dane.test', 'www.dane.test'],
    ['*.dane.test', 'x-1.dane.test'],
  ];
  const no: [string, string][] = [
    ['www.dane.test', 'dane.test'],
    ['www.dane.test', 'www.dane.test.evil'],
    ['*.dane.test', 'dane.test'],
    ['*.dane.test', 'a.b.dane.test'],
    ['*.dane.test', '.dane.test'],
    ['w*.dane.test', 'www.dane.test'],
    ['*w.dane.test', 'www.dane.test'],
    ['www.*.test', 'www.dane.test'],
    ['*.*.test', 'www.dane.test'],
    ['*.test', 'dane.test'],
    ['*', 'test'],
    ['', ''],
    ['www.dane.test', ''],
  ];
  it.each(yes)('%s matches %s', (p, h) => expect(dnsNameMatches(p, h)).toBe(true));
  it.each(no)('%s does not match %s', (p, h) => expect(dnsNameMatches(p, h)).toBe(false));
  it('certMatchesHost: any SAN', () => {
    expect(certMatchesHost(['a.test', '*.dane.test'], 'www.dane.test')).toBe(true);
    expect(certMatchesHost([], 'www.dane.test')).toBe(false);
  });
});
