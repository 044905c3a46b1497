import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePemCertificates } from './pem';

const DIR = join(import.meta.dirname, 'fixtures');
const pem = (n: string) => readFileSync(join(DIR, `${n}.pem`), 'utf8');
const der = (n: string) => new Uint8Array(Buffer.from(pem(n).replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64'));

describe('parsePemCertificates', () => {
  it('reads every certificate of a chain, in order, ignoring text around the blocks', () => {
    const text = `subject=CN = www.dane.test\nissuer=CN = int\n${pem('leaf-ec')}\nsome openssl chatter\n${pem('int')}`;
    const r = parsePemCertificates(text);
    expect(r.invalid).toBe(0);
    expect(r.certs).toEqual([der('leaf-ec'), der('int')]);
  });

  it('accepts CRLF line ends and the X509/TRUSTED labels', () => {
    const crlf = pem('root').replace(/\n/g, '\r\n').replace(/CERTIFICATE/g, 'TRUSTED CERTIFICATE');
    expect(parsePemCertificates(crlf).certs).toEqual([der('root')]);
  });

  it('counts blocks that are not base64 DER, and finds nothing in other text', () => {
    expect(parsePemCertificates('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----')).toEqual({ certs: [], invalid: 1 });
    expect(parsePemCertificates('-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----')).toEqual({ certs: [], invalid: 1 });
    expect(parsePemCertificates('no certificate here')).toEqual({ certs: [], invalid: 0 });
    expect(parsePemCertificates(42 as unknown as string)).toEqual({ certs: [], invalid: 0 });
  });
});
