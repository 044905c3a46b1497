/**
 * PEM certificates (RFC 7468 §5): the DER of every `CERTIFICATE` block in a pasted text, in
 * order. Text around the blocks (openssl's "subject=…" lines, comments) is ignored. Pure.
 */
import { fromBase64 } from '../util/encoding';

/** Upper bound on the blocks read from one text (a chain is a handful of certificates). */
export const MAX_PEM_CERTIFICATES = 16;

export interface PemResult {
  certs: Uint8Array[];
  /** Blocks that were found but are not valid base64. */
  invalid: number;
}

const BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

export function parsePemCertificates(text: string): PemResult {
  const certs: Uint8Array[] = [];
  let invalid = 0;
  if (typeof text !== 'string') return { certs, invalid };
  for (const m of text.matchAll(BLOCK)) {
    if (certs.length >= MAX_PEM_CERTIFICATES) break;
    // RFC 7468 §3: whitespace may appear anywhere in the base64 text; headers (RFC 1421 style
    // "Name: value" lines) are not part of it.
    const body = m[1]
      .split(/\r?\n/)
      .filter((line) => !/^[\w-]+:/.test(line.trim()))
      .join('')
      .replace(/\s+/g, '');
    const der = fromBase64(body);
    if (der && der.length > 0 && der[0] === 0x30) certs.push(der);
    else invalid++;
  }
  return { certs, invalid };
}
