/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) that DANE needs, read with ./der.ts:
 * the exact bytes TLSA selectors cover (RFC 6698 §2.1.2), names for chaining and display,
 * validity, subjectAltName dNSNames and basicConstraints, and what a signature check needs
 * (./signature.ts). Everything else in a certificate is skipped, not interpreted.
 *
 * Our own reader instead of a library: the one we used (@peculiar/x509 with its ASN.1 schema
 * classes and dependency injection) was half of the extension's 1 MB script and most of its
 * start-up time in the browser (README, "Speed"), for the handful of fields read here.
 *
 * Never throws: malformed input gives `{ ok: false, reason }`.
 */
import { DerError, DerReader, Tag, contents, contextTag, encoding, readBoolean, readOctetAlignedBits, readOid, readSmallUint, type Tlv } from './der';
import { toHex } from '../util/encoding';

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2): the OID and the encoding of the parameters, if any. */
export interface AlgorithmId {
  oid: string;
  /** The parameters' whole encoding (identifier, length, contents); null when absent. */
  params: Uint8Array | null;
}

/** A SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
export interface SubjectKey {
  /** The whole SubjectPublicKeyInfo encoding: TLSA selector 1 (RFC 6698 §2.1.2). */
  der: Uint8Array;
  algorithm: AlgorithmId;
  /** subjectPublicKey without the unused-bits octet. */
  key: Uint8Array;
}

/** A Name (RFC 5280 §4.1.2.4): shown, compared, and its commonNames. */
export interface X509Name {
  /** For people: RDNs in certificate order joined by ", ", values escaped as RFC 4514 §2.4. */
  text: string;
  /** For name chaining (RFC 5280 §7.1): equal for names that match (see `canonicalValue`). */
  key: string;
  /** Values of the commonName attributes (2.5.4.3), in order. */
  commonNames: string[];
  /** Each RDN's part of `key`, in certificate order: directoryName constraints compare prefixes (RFC 5280 §4.2.1.10). */
  rdns: string[];
  /** An emailAddress attribute (1.2.840.113549.1.9.1) is present: rfc822Name constraints would apply to it (§4.2.1.10). */
  hasEmail: boolean;
}

/** One side of nameConstraints (§4.2.1.10): the subtrees of the forms we evaluate, and the tags of the others. */
export interface Subtrees {
  /** dNSName bases as written ("example.com", ".example.com", "" for all). */
  dns: string[];
  /** iPAddress bases: address then mask, 8 octets for IPv4, 32 for IPv6 (RFC 5280 §4.2.1.10). */
  ip: Uint8Array[];
  /** directoryName bases as RDN keys (X509Name.rdns). */
  dirs: string[][];
  /** GeneralName choice numbers of other bases (rfc822Name 1, URI 6, otherName 0, …): not evaluated here. */
  other: number[];
}

/** nameConstraints (§4.2.1.10). `problem` when a subtree uses minimum or maximum, which §4.2.1.10 forbids and nothing evaluates. */
export interface NameConstraints {
  permitted: Subtrees;
  excluded: Subtrees;
  problem: string | null;
}

/** What ./cert.ts and ./signature.ts need of one certificate. */
export interface X509Fields {
  /** tbsCertificate's whole encoding: what the issuer signed (RFC 5280 §4.1.1.1). */
  tbs: Uint8Array;
  /** Certificate.signatureAlgorithm (§4.1.1.2). */
  signatureAlgorithm: AlgorithmId;
  /** tbsCertificate.signature: must equal signatureAlgorithm (§4.1.2.3). */
  tbsSignatureAlgorithm: AlgorithmId;
  /** signatureValue without the unused-bits octet (§4.1.1.3). */
  signature: Uint8Array;
  issuer: X509Name;
  subject: X509Name;
  notBefore: Date;
  notAfter: Date;
  publicKey: SubjectKey;
  /** subjectAltName dNSName entries as written (§4.2.1.6); empty when there are none. */
  dnsNames: string[];
  /** subjectAltName iPAddress entries (4 or 16 octets; other lengths kept as they are). */
  ipAddresses: Uint8Array[];
  /** GeneralName choice numbers of the other subjectAltName entries (rfc822Name 1, URI 6, …). */
  otherNameForms: number[];
  /** nameConstraints (§4.2.1.10) of a CA; null when absent. */
  nameConstraints: NameConstraints | null;
  /** basicConstraints (§4.2.1.9); null when the extension is absent. */
  basicConstraints: { ca: boolean; pathLength: number | undefined } | null;
  /** keyUsage keyCertSign (§4.2.1.3); null when the certificate has no keyUsage extension. */
  keyCertSign: boolean | null;
  /** extendedKeyUsage purposes as OIDs (§4.2.1.12); null when the extension is absent. */
  extKeyUsage: string[] | null;
  /**
   * Critical extensions whose meaning we do not apply (§4.2: a certificate-using system MUST
   * reject a certificate with a critical extension it does not recognise), as OIDs.
   */
  unhandledCritical: string[];
}

export type X509Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const OID_COMMON_NAME = '2.5.4.3';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_NAME_CONSTRAINTS = '2.5.29.30';
const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/**
 * Extensions whose criticality we can honour: the ones read here (extendedKeyUsage §4.2.1.12 and
 * nameConstraints §4.2.1.10 among them: ./cert.ts applies them on TLS server chains), and those
 * that only narrow uses a DANE check never makes of a certificate (certificatePolicies §4.2.1.4
 * without policy processing, as OpenSSL without policy flags; the TLS feature of RFC 7633).
 * Not here, so refused when critical: policyConstraints (§4.2.1.11), which would restrict the
 * chain in ways this checker does not evaluate, and everything unknown.
 */
const HANDLED_EXTENSIONS = new Set([OID_SUBJECT_ALT_NAME, OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, OID_EXT_KEY_USAGE, OID_NAME_CONSTRAINTS, '2.5.29.32', '1.3.6.1.5.5.7.1.24']);

/** Parse a DER certificate (RFC 5280 §4.1); the input must be exactly one certificate. */
export function readCertificate(der: Uint8Array): X509Result<X509Fields> {
  return guarded(() => {
    const top = new DerReader(der);
    const cert = top.expect(Tag.SEQUENCE, 'Certificate');
    top.end('certificate');
    const c = DerReader.inside(der, cert);
    const tbsTlv = c.expect(Tag.SEQUENCE, 'tbsCertificate');
    const signatureAlgorithm = readAlgorithm(der, c.expect(Tag.SEQUENCE, 'signatureAlgorithm'));
    const signature = readOctetAlignedBits(contents(der, c.expect(Tag.BIT_STRING, 'signatureValue')), 'signatureValue');
    c.end('Certificate');

    const t = DerReader.inside(der, tbsTlv);
    // §4.1.2.1: version [0] EXPLICIT, DEFAULT v1; extensions only in v3 (§4.1.2.9).
    let version = 0;
    const v = t.optional(contextTag(0, true));
    if (v) {
      const inner = DerReader.inside(der, v);
      version = readSmallUint(contents(der, inner.expect(Tag.INTEGER, 'version')), 'version');
      inner.end('version');
      if (version > 2) throw new DerError(`unknown certificate version ${version + 1}`);
    }
    t.expect(Tag.INTEGER, 'serialNumber'); // §4.1.2.2: read as an opaque value (real ones break its rules)
    const tbsSignatureAlgorithm = readAlgorithm(der, t.expect(Tag.SEQUENCE, 'signature'));
    const issuer = readName(der, t.expect(Tag.SEQUENCE, 'issuer'));
    const validity = DerReader.inside(der, t.expect(Tag.SEQUENCE, 'validity'));
    const notBefore = readTime(der, validity.next());
    const notAfter = readTime(der, validity.next());
    validity.end('validity');
    const subject = readName(der, t.expect(Tag.SEQUENCE, 'subject'));
    const publicKey = readSubjectKey(der, t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo'));
    t.optional(contextTag(1, false)); // issuerUniqueID (§4.1.2.8)
    t.optional(contextTag(2, false)); // subjectUniqueID
    const ext = t.optional(contextTag(3, true));
    t.end('tbsCertificate');
    if (ext && version !== 2) throw new DerError('extensions in a certificate that is not version 3 (RFC 5280 §4.1.2.9)');

    let alt: AltNames = { dns: [], ip: [], other: [] };
    let nameConstraints: NameConstraints | null = null;
    let basicConstraints: X509Fields['basicConstraints'] = null;
    let keyCertSign: boolean | null = null;
    let extKeyUsage: string[] | null = null;
    const unhandledCritical: string[] = [];
    if (ext) {
      const outer = DerReader.inside(der, ext);
      const list = DerReader.inside(der, outer.expect(Tag.SEQUENCE, 'extensions'));
      outer.end('extensions');
      const seen = new Set<string>();
      while (!list.atEnd) {
        const e = DerReader.inside(der, list.expect(Tag.SEQUENCE, 'extension'));
        const id = readOid(contents(der, e.expect(Tag.OID, 'extnID')));
        // §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
        if (seen.has(id)) throw new DerError(`extension ${id} appears twice (RFC 5280 §4.2)`);
        seen.add(id);
        const critical = e.optional(Tag.BOOLEAN);
        if (critical && readBoolean(contents(der, critical), 'critical') && !HANDLED_EXTENSIONS.has(id)) unhandledCritical.push(id);
        const value = e.expect(Tag.OCTET_STRING, 'extnValue');
        e.end('extension');
        if (id === OID_SUBJECT_ALT_NAME) alt = readAltNames(der, value);
        else if (id === OID_NAME_CONSTRAINTS) nameConstraints = readNameConstraints(der, value);
        else if (id === OID_BASIC_CONSTRAINTS) basicConstraints = readBasicConstraints(der, value);
        else if (id === OID_KEY_USAGE) keyCertSign = readKeyCertSign(der, value);
        else if (id === OID_EXT_KEY_USAGE) extKeyUsage = readExtKeyUsage(der, value);
      }
    }
    return {
      tbs: encoding(der, tbsTlv),
      signatureAlgorithm,
      tbsSignatureAlgorithm,
      signature,
      issuer,
      subject,
      notBefore,
      notAfter,
      publicKey,
      dnsNames: alt.dns,
      ipAddresses: alt.ip,
      otherNameForms: alt.other,
      nameConstraints,
      basicConstraints,
      keyCertSign,
      extKeyUsage,
      unhandledCritical,
    };
  });
}

/** Parse a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), e.g. the data of a "2 1 0" TLSA record. */
export function readSubjectPublicKeyInfo(der: Uint8Array): X509Result<SubjectKey> {
  return guarded(() => {
    const top = new DerReader(der);
    const spki = top.expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
    top.end('SubjectPublicKeyInfo');
    return readSubjectKey(der, spki);
  });
}

function guarded<T>(read: () => T): X509Result<T> {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    if (e instanceof DerError) return { ok: false, reason: e.message };
    throw e;
  }
}

function readAlgorithm(der: Uint8Array, t: Tlv): AlgorithmId {
  const r = DerReader.inside(der, t);
  const oid = readOid(contents(der, r.expect(Tag.OID, 'algorithm')));
  const p = r.atEnd ? null : r.next();
  r.end('AlgorithmIdentifier');
  return { oid, params: p ? encoding(der, p) : null };
}

function readSubjectKey(der: Uint8Array, t: Tlv): SubjectKey {
  const r = DerReader.inside(der, t);
  const algorithm = readAlgorithm(der, r.expect(Tag.SEQUENCE, 'algorithm'));
  const key = readOctetAlignedBits(contents(der, r.expect(Tag.BIT_STRING, 'subjectPublicKey')), 'subjectPublicKey');
  r.end('SubjectPublicKeyInfo');
  return { der: encoding(der, t), algorithm, key };
}

// --- names ------------------------------------------------------------------------------------

/** Short names of attribute types in the text form (RFC 4514 §3, and the usual extras). */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET OF AttributeTypeAndValue. */
function readName(der: Uint8Array, t: Tlv): X509Name {
  const rdns = DerReader.inside(der, t);
  const shown: string[] = [];
  const keys: string[] = [];
  const commonNames: string[] = [];
  let hasEmail = false;
  while (!rdns.atEnd) {
    const set = DerReader.inside(der, rdns.expect(Tag.SET, 'RelativeDistinguishedName'));
    const avas: { text: string; key: string }[] = [];
    while (!set.atEnd) {
      const ava = DerReader.inside(der, set.expect(Tag.SEQUENCE, 'AttributeTypeAndValue'));
      const type = readOid(contents(der, ava.expect(Tag.OID, 'attribute type')));
      const value = ava.next();
      ava.end('AttributeTypeAndValue');
      const str = directoryString(der, value);
      if (type === OID_COMMON_NAME && str !== null) commonNames.push(str);
      if (type === OID_EMAIL_ADDRESS) hasEmail = true;
      // Not a string: RFC 4514 §2.4's "#" and the hex of the whole encoding, shown and compared.
      let shown: string;
      let compared: string;
      if (str === null) shown = compared = `#${toHex(encoding(der, value))}`;
      else [shown, compared] = [escapeValue(str), JSON.stringify(canonicalValue(str))];
      avas.push({ text: `${ATTRIBUTE_NAMES[type] ?? type}=${shown}`, key: `${type}=${compared}` });
    }
    if (avas.length === 0) throw new DerError('empty RelativeDistinguishedName');
    shown.push(avas.map((a) => a.text).join('+'));
    // §7.1: an RDN is a set: its attributes match in any order.
    keys.push(
      avas
        .map((a) => a.key)
        .sort()
        .join('+'),
    );
  }
  return { text: shown.join(', '), key: keys.join(','), commonNames, rdns: keys, hasEmail };
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const utf16be = new TextDecoder('utf-16be');

/** A string-typed attribute value (RFC 5280 §4.1.2.4 DirectoryString, IA5String, …); null for other types. */
function directoryString(der: Uint8Array, t: Tlv): string | null {
  const c = contents(der, t);
  switch (t.tag) {
    case Tag.UTF8String:
      return utf8.decode(c);
    case Tag.PrintableString:
    case Tag.IA5String:
    case Tag.NumericString:
    case Tag.VisibleString:
    case Tag.TeletexString: // T.61 in theory; Latin-1 in every real certificate
      return latin1.decode(c);
    case Tag.BMPString:
      if (c.length % 2 !== 0) throw new DerError('BMPString of odd length');
      return utf16be.decode(c);
    case Tag.UniversalString: {
      if (c.length % 4 !== 0) throw new DerError('UniversalString length not a multiple of 4');
      let s = '';
      for (let i = 0; i < c.length; i += 4) {
        const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
        s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return null;
  }
}

/**
 * RFC 5280 §7.1 compares names after RFC 4518 preparation; like OpenSSL's canonical form, we
 * fold case, drop leading and trailing spaces and collapse inner runs of spaces, and ignore which
 * string type carried the value. Chaining by name only picks candidates: every link is then
 * proven by its signature (./signature.ts), so a looser match cannot make a chain valid.
 */
function canonicalValue(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** RFC 4514 §2.4 escaping of a string value. */
function escapeValue(s: string): string {
  return s
    .replace(/[,+"\\<>;]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    // eslint-disable-next-line no-control-regex -- RFC 4514 §2.4: control characters are written as \XX
    .replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

// --- validity ---------------------------------------------------------------------------------

/**
 * RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY ≥ 50 is 19YY, else 20YY; §4.1.2.5.1) or
 * GeneralizedTime YYYYMMDDHHMMSSZ (§4.1.2.5.2). Another form gives an invalid date, not a
 * malformed certificate: such a certificate is never "valid at" any time (./cert.ts validAt),
 * but its key still matches a DANE-EE record, which ignores dates (RFC 7671 §5.1).
 */
function readTime(der: Uint8Array, t: Tlv): Date {
  const s = latin1.decode(contents(der, t));
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === Tag.UTCTime && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === Tag.GeneralizedTime && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    year = Number(m[1]);
  } else return new Date(NaN);
  const [mo, d, h, mi, sec] = m.slice(2).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, sec));
  // Date.UTC rolls over (month 13, second 60): the fields must come back as written.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== sec) {
    return new Date(NaN);
  }
  if (year < 100) date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return date;
}

// --- extensions -------------------------------------------------------------------------------

interface AltNames {
  dns: string[];
  ip: Uint8Array[];
  other: number[];
}

/** The GeneralName choice number of a tag ([0]…[8], §4.2.1.6), or null for anything else. */
function generalNameForm(tag: number): number | null {
  const n = tag & 0x1f;
  return (tag & 0xc0) === 0x80 && n <= 8 ? n : null;
}

/** subjectAltName (§4.2.1.6): GeneralNames; dNSName is [2] IA5String, iPAddress [7] OCTET STRING; other forms noted by number. */
function readAltNames(der: Uint8Array, value: Tlv): AltNames {
  const outer = DerReader.inside(der, value);
  const names = DerReader.inside(der, outer.expect(Tag.SEQUENCE, 'GeneralNames'));
  outer.end('subjectAltName');
  const out: AltNames = { dns: [], ip: [], other: [] };
  while (!names.atEnd) {
    const n = names.next();
    if (n.tag === contextTag(2, false)) out.dns.push(latin1.decode(contents(der, n)));
    else if (n.tag === contextTag(7, false)) out.ip.push(contents(der, n));
    else {
      const form = generalNameForm(n.tag); // anything else is no GeneralName: skipped, as before
      if (form !== null && !out.other.includes(form)) out.other.push(form);
    }
  }
  return out;
}

/**
 * nameConstraints (§4.2.1.10): SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 * excludedSubtrees [1] GeneralSubtrees OPTIONAL }, GeneralSubtree ::= SEQUENCE { base GeneralName,
 * minimum [0] DEFAULT 0, maximum [1] OPTIONAL }. A CA "MUST NOT" leave both out, nor use minimum
 * other than 0 or maximum: those are noted as the problem (nothing evaluates them; OpenSSL refuses).
 */
function readNameConstraints(der: Uint8Array, value: Tlv): NameConstraints {
  const outer = DerReader.inside(der, value);
  const nc = DerReader.inside(der, outer.expect(Tag.SEQUENCE, 'NameConstraints'));
  outer.end('nameConstraints');
  let problem: string | null = null;
  const side = (t: Tlv | null): Subtrees => {
    const s: Subtrees = { dns: [], ip: [], dirs: [], other: [] };
    if (!t) return s;
    const list = DerReader.inside(der, t);
    if (list.atEnd) throw new DerError('GeneralSubtrees: empty (SIZE 1..MAX)');
    while (!list.atEnd) {
      const st = DerReader.inside(der, list.expect(Tag.SEQUENCE, 'GeneralSubtree'));
      const base = st.next();
      if (st.optional(contextTag(0, false)) || st.optional(contextTag(1, false))) problem = 'a subtree with minimum or maximum (RFC 5280 §4.2.1.10)';
      st.end('GeneralSubtree');
      if (base.tag === contextTag(2, false)) s.dns.push(latin1.decode(contents(der, base)));
      else if (base.tag === contextTag(7, false)) {
        const ip = contents(der, base);
        if (ip.length !== 8 && ip.length !== 32) throw new DerError('nameConstraints: iPAddress base of a length other than 8 or 32');
        s.ip.push(ip);
      } else if (base.tag === contextTag(4, true)) {
        const d = DerReader.inside(der, base);
        s.dirs.push(readName(der, d.expect(Tag.SEQUENCE, 'directoryName')).rdns);
        d.end('directoryName');
      } else {
        const form = generalNameForm(base.tag);
        if (form === null) problem = 'a subtree whose base is no GeneralName (RFC 5280 §4.2.1.10)';
        else if (!s.other.includes(form)) s.other.push(form);
      }
    }
    return s;
  };
  const permitted = side(nc.optional(contextTag(0, true)));
  const excluded = side(nc.optional(contextTag(1, true)));
  nc.end('NameConstraints');
  return { permitted, excluded, problem };
}

/** keyUsage (§4.2.1.3): KeyUsage ::= BIT STRING; keyCertSign is bit 5 (0x04 of the first octet). */
function readKeyCertSign(der: Uint8Array, value: Tlv): boolean {
  const outer = DerReader.inside(der, value);
  const bits = contents(der, outer.expect(Tag.BIT_STRING, 'KeyUsage'));
  outer.end('keyUsage');
  if (bits.length === 0 || bits[0]! > 7) throw new DerError('KeyUsage: malformed BIT STRING');
  return bits.length > 1 && (bits[1]! & 0x04) !== 0;
}

/** extKeyUsage (§4.2.1.12): ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OIDs). */
function readExtKeyUsage(der: Uint8Array, value: Tlv): string[] {
  const outer = DerReader.inside(der, value);
  const list = DerReader.inside(der, outer.expect(Tag.SEQUENCE, 'ExtKeyUsageSyntax'));
  outer.end('extKeyUsage');
  const out: string[] = [];
  while (!list.atEnd) out.push(readOid(contents(der, list.expect(Tag.OID, 'KeyPurposeId'))));
  if (out.length === 0) throw new DerError('ExtKeyUsageSyntax: empty (SIZE 1..MAX)');
  return out;
}

/** basicConstraints (§4.2.1.9): SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
function readBasicConstraints(der: Uint8Array, value: Tlv): { ca: boolean; pathLength: number | undefined } {
  const outer = DerReader.inside(der, value);
  const bc = DerReader.inside(der, outer.expect(Tag.SEQUENCE, 'BasicConstraints'));
  outer.end('basicConstraints');
  const ca = bc.optional(Tag.BOOLEAN);
  const len = bc.optional(Tag.INTEGER);
  bc.end('BasicConstraints');
  return {
    ca: ca ? readBoolean(contents(der, ca), 'cA') : false,
    pathLength: len ? readSmallUint(contents(der, len), 'pathLenConstraint') : undefined,
  };
}
