/**
 * The TLSA record generator with real certificates (fixtures/): the association data is checked
 * against Node's own X.509 parser and hash, independently of our X.509 reader and WebCrypto.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseTlsa, suggestTlsa } from './generate';
import { TlsaGenerateError } from './match';

const DIR = join(import.meta.dirname, 'fixtures');
const der = (n: string) => new Uint8Array(new X509Certificate(readFileSync(join(DIR, `${n}.pem`))).raw);
const spkiSha256 = (n: string) =>
  createHash('sha256').update(new X509Certificate(readFileSync(join(DIR, `${n}.pem`))).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
const certSha256 = (n: string) => createHash('sha256').update(der(n)).digest('hex');

describe('suggestTlsa', () => {
  it('makes 3 1 1, 3 0 1 (leaf) and 2 1 1 (issuing CA) zone-file lines for _443._tcp.<host>', async () => {
    const s = await suggestTlsa({ chain: [der('leaf-ec'), der('int')], host: 'www.dane.test', port: 443 });
    expect(s.owner).toBe('_443._tcp.www.dane.test.');
    expect(s.records.map((r) => [r.kind, r.of, r.line])).toEqual([
      ['311', 'leaf', `_443._tcp.www.dane.test. IN TLSA 3 1 1 ${spkiSha256('leaf-ec')}`],
      ['301', 'leaf', `_443._tcp.www.dane.test. IN TLSA 3 0 1 ${certSha256('leaf-ec')}`],
      ['211', 'issuer', `_443._tcp.www.dane.test. IN TLSA 2 1 1 ${spkiSha256('int')}`],
    ]);
    expect(s.records.every((r) => r.published === null)).toBe(true);
    expect(s.issuer?.subject).toMatch(/CN=/);
    expect(s.advice).toEqual([{ code: 'rollover' }]);
  });

  it('finds the issuer among the other certificates whatever their order, for RSA and Ed25519 leaves too', async () => {
    for (const leaf of ['leaf-rsa', 'leaf-ed25519']) {
      const s = await suggestTlsa({ chain: [der(leaf), der('root'), der('int')], host: 'www.dane.test', port: 25 });
      expect(s.owner).toBe('_25._tcp.www.dane.test.');
      expect(s.records.map((r) => r.rdata)).toEqual([`3 1 1 ${spkiSha256(leaf)}`, `3 0 1 ${certSha256(leaf)}`, `2 1 1 ${spkiSha256('int')}`]);
    }
  });

  it('marks which records are published and says the current key is covered', async () => {
    const published = [`3 1 1 ${spkiSha256('leaf-ec').toUpperCase()}`, `2 1 1 ${spkiSha256('int')}`];
    const s = await suggestTlsa({ chain: [der('leaf-ec'), der('int')], host: 'www.dane.test', port: 443, published, publishedState: 'secure' });
    expect(s.records.map((r) => [r.kind, r.published])).toEqual([
      ['311', true],
      ['301', false],
      ['211', true],
    ]);
    expect(s.advice.map((a) => a.code)).toEqual(['current-published', 'rollover']);
  });

  it('tells when the published records name another key (and that only one record is published)', async () => {
    const other = `3 1 1 ${spkiSha256('leaf-rsa')}`;
    const s = await suggestTlsa({ chain: [der('leaf-ec'), der('int')], host: 'www.dane.test', port: 443, published: [other], publishedState: 'secure' });
    expect(s.records.map((r) => r.published)).toEqual([false, false, false]);
    expect(s.advice).toEqual([{ code: 'not-published' }, { code: 'extra-records', records: [other] }, { code: 'single-record' }, { code: 'rollover' }]);
  });

  it('during a rollover: current key published, the next key\'s record listed as extra', async () => {
    const next = `3 1 1 ${spkiSha256('leaf-rsa')}`;
    const s = await suggestTlsa({
      chain: [der('leaf-ec'), der('int')],
      host: 'www.dane.test',
      port: 443,
      published: [`3 1 1 ${spkiSha256('leaf-ec')}`, next],
      publishedState: 'secure',
    });
    expect(s.advice.map((a) => a.code)).toEqual(['current-published', 'extra-records', 'rollover']);
  });

  it.each([
    ['secure', [], ['none-published', 'rollover']],
    ['insecure', [], ['tlsa-unsigned', 'rollover']],
    ['bogus', ['3 1 1 00'], ['tlsa-bogus', 'rollover']],
    ['indeterminate', [], ['tlsa-unknown', 'rollover']],
  ] as const)('advice for a %s TLSA lookup', async (state, published, codes) => {
    const s = await suggestTlsa({ chain: [der('leaf-ec'), der('int')], host: 'www.dane.test', port: 443, published: [...published], publishedState: state });
    expect(s.advice.map((a) => a.code)).toEqual(codes);
  });

  it('has no 2 1 1 without the issuing CA: asks for the chain, except for a self-signed leaf', async () => {
    const alone = await suggestTlsa({ chain: [der('leaf-ec')], host: 'www.dane.test', port: 443 });
    expect(alone.records.map((r) => r.kind)).toEqual(['311', '301']);
    expect(alone.advice.map((a) => a.code)).toEqual(['no-issuer', 'rollover']);
    const wrongCa = await suggestTlsa({ chain: [der('leaf-ec'), der('unrelated-ca')], host: 'www.dane.test', port: 443 });
    expect(wrongCa.records.map((r) => r.kind)).toEqual(['311', '301']);
    const self = await suggestTlsa({ chain: [der('leaf-selfsigned')], host: 'www.dane.test', port: 443 });
    expect(self.records.map((r) => r.kind)).toEqual(['311', '301']);
    expect(self.advice.map((a) => a.code)).toEqual(['rollover']);
  });

  it('writes the owner given (the CNAME-expanded TLSA name) instead of the host\'s', async () => {
    const s = await suggestTlsa({ chain: [der('leaf-ec')], host: 'alias.dane.test', port: 443, owner: '_443._tcp.www.dane.test' });
    expect(s.owner).toBe('_443._tcp.www.dane.test.');
    expect(s.records[0].line.startsWith('_443._tcp.www.dane.test. IN TLSA 3 1 1 ')).toBe(true);
  });

  it('rejects a chain without a readable leaf and a host without a TLSA name', async () => {
    await expect(suggestTlsa({ chain: [], host: 'www.dane.test', port: 443 })).rejects.toThrow(TlsaGenerateError);
    await expect(suggestTlsa({ chain: [new Uint8Array([0x30, 0x03, 1, 2, 3])], host: 'www.dane.test', port: 443 })).rejects.toThrow(/cannot be parsed/);
    await expect(suggestTlsa({ chain: [der('leaf-ec')], host: 'bad host', port: 443 })).rejects.toThrow(TlsaGenerateError);
    await expect(suggestTlsa({ chain: [der('leaf-ec')], host: 'www.dane.test', port: 70000 })).rejects.toThrow(TlsaGenerateError);
  });
});

describe('normaliseTlsa', () => {
  it('compares presentation forms regardless of case and spacing inside the data', () => {
    expect(normaliseTlsa(' 3 1 1 ABCD ef01 ')).toBe('3 1 1 abcdef01');
    expect(normaliseTlsa('03 1 1 ab')).toBe('3 1 1 ab');
  });
});
