/**
 * TLSA record generator for operators (issue #9): from a server's certificate chain, the
 * ready-to-paste `3 1 1`, `3 0 1` and `2 1 1` records for `_<port>._tcp.<host>.` (RFC 6698 §2,
 * RFC 7671 §5, recommendations of RFC 7671 §10), which of them are already published in the
 * (validated) TLSA RRset, and advice for a key rollover (RFC 7671 §8.1: publish the next key's
 * record before switching). Pure: hashing via WebCrypto (`crypto.subtle`) only.
 */
import type { SecurityState } from '../dnssec/result';
import { toHex } from '../util/encoding';
import { caFlag, issuerNameMatches, loadCertificate, selfIssued, signedBy, type CertInfo, type ParsedCert } from './cert';
import { generateTlsa, TlsaGenerateError } from './match';
import { tlsaName } from './names';

export type SuggestedKind = '311' | '301' | '211';

export interface SuggestedRecord {
  kind: SuggestedKind;
  usage: number;
  selector: number;
  matchingType: number;
  /** Certificate association data, lowercase hex. */
  data: string;
  /** Presentation form "3 1 1 <hex>". */
  rdata: string;
  /** Zone-file line: "_443._tcp.www.example.org. IN TLSA 3 1 1 <hex>". */
  line: string;
  /** Which certificate it names: the leaf, or the CA that issued it. */
  of: 'leaf' | 'issuer';
  /** Already in the published TLSA RRset (null when that is unknown). */
  published: boolean | null;
}

export type AdviceCode =
  | 'current-published' // the leaf key's 3 1 1 is published
  | 'not-published' // signed TLSA records exist but none of these is among them
  | 'none-published' // the TLSA name securely has no records
  | 'tlsa-unsigned' // the TLSA lookup is insecure: DANE does not apply
  | 'tlsa-bogus'
  | 'tlsa-unknown' // the lookup failed
  | 'extra-records' // published records that match none of these certificates
  | 'single-record' // one record only: no room for a rollover
  | 'no-issuer' // the issuing CA certificate is missing: no 2 1 1
  | 'rollover'; // always: how to change keys

export interface Advice {
  code: AdviceCode;
  /** Records concerned (extra-records), presentation form. */
  records?: string[];
}

export interface TlsaSuggestion {
  /** "_443._tcp.www.example.org." */
  owner: string;
  records: SuggestedRecord[];
  advice: Advice[];
  leaf: CertInfo;
  issuer: CertInfo | null;
}

export interface SuggestInput {
  /** DER certificates, leaf first (as presented, or as pasted). */
  chain: readonly Uint8Array[];
  host: string;
  port: number;
  /** The validated TLSA RRset at the owner name, "u s m hex" each; omit when not looked up. */
  published?: readonly string[] | null;
  /** Its DNSSEC state; omit when not looked up. */
  publishedState?: SecurityState | null;
  /**
   * The TLSA owner name to write, when it is not `_<port>._tcp.<host>.`: e.g. the CNAME-expanded
   * name where the records were found (RFC 7671 §7).
   */
  owner?: string | null;
}

/** "3 1 1 ABcd…" → "3 1 1 abcd…", whitespace in the data removed, for comparison. */
export function normaliseTlsa(text: string): string {
  const f = text.trim().split(/\s+/);
  if (f.length < 4) return text.trim().toLowerCase();
  return `${Number(f[0])} ${Number(f[1])} ${Number(f[2])} ${f.slice(3).join('').toLowerCase()}`;
}

/** The issuer of `leaf` among the other certificates: name chaining, a CA, then the signature. */
async function findIssuer(leaf: ParsedCert, others: (ParsedCert | null)[]): Promise<ParsedCert | null> {
  for (const c of others) {
    if (!c || caFlag(c) === false || !issuerNameMatches(leaf, c)) continue;
    if (await signedBy(leaf, c.x509.publicKey)) return c;
  }
  return null;
}

/**
 * Suggests TLSA records for a certificate chain. Rejects with TlsaGenerateError when there is
 * no parseable leaf certificate or the host/port make no TLSA owner name.
 */
export async function suggestTlsa(input: SuggestInput): Promise<TlsaSuggestion> {
  const owner = input.owner ? `${input.owner.replace(/\.$/, '')}.` : tlsaName(input.host.replace(/\.$/, ''), input.port, 'tcp');
  if (!owner) throw new TlsaGenerateError(`no TLSA name for host ${JSON.stringify(input.host)} and port ${input.port}`);
  if (input.chain.length === 0) throw new TlsaGenerateError('no certificate');
  const parsed = await Promise.all(input.chain.slice(0, 16).map((d) => loadCertificate(d)));
  const leaf = parsed[0];
  if (!leaf) throw new TlsaGenerateError('the first certificate cannot be parsed');
  const leafSelfIssued = selfIssued(leaf);
  const issuer = leafSelfIssued ? null : await findIssuer(leaf, parsed.slice(1));

  const published = input.published ? new Set(input.published.map(normaliseTlsa)) : null;
  const make = async (kind: SuggestedKind, cert: ParsedCert, of: 'leaf' | 'issuer'): Promise<SuggestedRecord> => {
    const [u, s, m] = kind.split('').map(Number) as [number, number, number];
    const r = await generateTlsa(cert.der, u, s, m);
    const data = toHex(r.data);
    const rdata = `${u} ${s} ${m} ${data}`;
    return {
      kind,
      usage: u,
      selector: s,
      matchingType: m,
      data,
      rdata,
      line: `${owner} IN TLSA ${rdata}`,
      of,
      published: published ? published.has(rdata) : null,
    };
  };
  const records = [await make('311', leaf, 'leaf'), await make('301', leaf, 'leaf')];
  if (issuer) records.push(await make('211', issuer, 'issuer'));

  const advice: Advice[] = [];
  const state = input.publishedState ?? null;
  if (state === 'bogus') advice.push({ code: 'tlsa-bogus' });
  else if (state === 'indeterminate') advice.push({ code: 'tlsa-unknown' });
  else if (state === 'insecure') advice.push({ code: 'tlsa-unsigned' });
  if (published && state === 'secure') {
    if (published.size === 0) advice.push({ code: 'none-published' });
    else if (records[0].published) advice.push({ code: 'current-published' });
    else if (!records.some((r) => r.published)) advice.push({ code: 'not-published' });
    const ours = new Set(records.map((r) => r.rdata));
    const extra = [...published].filter((p) => !ours.has(p));
    if (extra.length > 0) advice.push({ code: 'extra-records', records: extra });
    if (published.size === 1) advice.push({ code: 'single-record' });
  }
  if (!issuer && !leafSelfIssued) advice.push({ code: 'no-issuer' });
  advice.push({ code: 'rollover' });
  return { owner, records, advice, leaf: leaf.info, issuer: issuer?.info ?? null };
}
