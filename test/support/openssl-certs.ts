/**
 * Certificates made by `openssl` at test time (OpenSSL 3), for tests that need key and signature
 * algorithms, names or chains the committed fixtures do not have. Keys are made once per kind and
 * slot and reused across a test file (RSA key generation is slow).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyKind = 'rsa' | 'rsa-pss' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'ed448';
export type Digest = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface Made {
  der: Uint8Array;
  pem: string;
  keyPem: string;
  keyFile: string;
  certFile: string;
}

export interface MakeOptions {
  /** The subject as `openssl -subj` takes it, e.g. "/CN=Example CA/O=Example". */
  subject: string;
  key: KeyKind;
  /** Another key of the same kind (0, the default, or 1, …). */
  keySlot?: number;
  issuer?: Made;
  ca?: boolean;
  pathLen?: number;
  san?: string[];
  digest?: Digest;
  /** Sign with RSASSA-PSS (an RSA issuer), salt length in octets. */
  pssSalt?: number;
  serial?: number;
  /** Extra lines for the extension section, as in openssl.cnf. */
  extra?: string[];
  /** `openssl` string_mask: "utf8only" writes UTF8String names, "default" PrintableString where it can. */
  stringMask?: 'utf8only' | 'default' | 'nombstr';
}

const dir = mkdtempSync(join(tmpdir(), 'dane-openssl-'));
let n = 0;
const keys = new Map<string, string>();

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function keyFile(kind: KeyKind, slot: number): string {
  const id = `${kind}-${slot}`;
  const known = keys.get(id);
  if (known) return known;
  const file = join(dir, `${id}.key`);
  const alg: Record<KeyKind, string[]> = {
    rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
    p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    ed25519: ['-algorithm', 'ED25519'],
    ed448: ['-algorithm', 'ED448'],
  };
  openssl(['genpkey', ...alg[kind], '-out', file]);
  keys.set(id, file);
  return file;
}

/** One certificate: self-signed, or signed by `issuer` (whose key signs). */
export function makeCert(o: MakeOptions): Made {
  const id = `c${n++}`;
  const key = keyFile(o.key, o.keySlot ?? 0);
  const cfg = join(dir, `${id}.cnf`);
  const ext = [
    o.ca ? `basicConstraints = critical, CA:true${o.pathLen !== undefined ? `, pathlen:${o.pathLen}` : ''}` : 'basicConstraints = critical, CA:false',
    ...(o.san && o.san.length > 0 ? [`subjectAltName = ${o.san.map((s) => `DNS:${s}`).join(', ')}`] : []),
    ...(o.extra ?? []),
  ];
  writeFileSync(cfg, ['[ req ]', 'distinguished_name = dn', `string_mask = ${o.stringMask ?? 'utf8only'}`, '[ dn ]', '[ e ]', ...ext, ''].join('\n'));
  const certFile = join(dir, `${id}.pem`);
  const sign: string[] = [];
  if (o.digest) sign.push(`-${o.digest}`);
  if (o.pssSalt !== undefined) sign.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${o.pssSalt}`);
  const serial = ['-set_serial', String(o.serial ?? 1000 + n)];
  if (!o.issuer) {
    openssl(['req', '-new', '-x509', '-utf8', '-config', cfg, '-extensions', 'e', '-key', key, '-subj', o.subject, '-days', '2', ...serial, ...sign, '-out', certFile]);
  } else {
    const csr = join(dir, `${id}.csr`);
    openssl(['req', '-new', '-utf8', '-config', cfg, '-key', key, '-subj', o.subject, '-out', csr]);
    openssl(['x509', '-req', '-in', csr, '-CA', o.issuer.certFile, '-CAkey', o.issuer.keyFile, '-extfile', cfg, '-extensions', 'e', '-days', '2', ...serial, ...sign, '-out', certFile]);
  }
  const pem = readFileSync(certFile, 'utf8');
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { der: new Uint8Array(Buffer.from(b64, 'base64')), pem, keyPem: readFileSync(key, 'utf8'), keyFile: key, certFile };
}

/** Remove the working directory (afterAll). */
export function cleanUp(): void {
  rmSync(dir, { recursive: true, force: true });
}
