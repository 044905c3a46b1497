// The lying DoH front's repertoire: attacks that rewrite a real upstream answer on the fly
// (`/lie/<attack>/dns-query`), and failure modes that replace the answer altogether
// (`/fail/<mode>/dns-query`). The ideas follow test/validator/lying-resolver.ts and
// hostile.test.ts; here they run in the world's front, so any DoH client (the CLI, a browser
// extension) can be pointed at a lying resolver by URL.
import { TYPES, decodeFull, encodeFull, nameToWire, parentOf, rdataName, rrsigCovered, rrsigLabels, sameName } from './dnsmsg.mjs';

const { A, AAAA, CNAME, DS, NSEC, NSEC3, RRSIG, SOA, TLSA } = TYPES;
const DATA_TYPES = new Set([A, AAAA, TLSA]);

const labelCount = (name) => (name === '.' ? 0 : name.replace(/\.$/, '').split('.').filter((l) => l !== '*').length);
const isSig = (rr) => rr.type === RRSIG;
const noSigs = (rrs) => rrs.filter((rr) => !isSig(rr));
const clone = (m) => ({ ...m, flags: { ...m.flags }, question: m.question.map((q) => ({ ...q })), answer: [...m.answer], authority: [...m.authority], additional: [...m.additional] });

function garbageRdata(type) {
  if (type === A) return Buffer.from([192, 0, 2, 77]);
  if (type === AAAA) return Buffer.from('20010db8000000000000000000000077', 'hex');
  return Buffer.concat([Buffer.from([3, 1, 1]), Buffer.alloc(32, 0x77)]);
}

/**
 * Each attack: (msg, q, tools) → edited message (decoded form of dnsmsg.mjs), raw bytes, or
 * undefined (real answer passes). `q` = { name, type } of the request; tools.upstream(name, type)
 * gives another real answer (decoded, CD=1 DO=1).
 */
export const ATTACKS = {
  'strip-rrsig': {
    what: 'every RRSIG removed from every section of every answer',
    apply: (m) => ({ ...clone(m), answer: noSigs(m.answer), authority: noSigs(m.authority), additional: noSigs(m.additional) }),
  },
  'forge-a': {
    what: 'A records rewritten to 192.0.2.66, the genuine RRSIGs kept (replayed over forged data)',
    apply: (m, q) => {
      if (q.type !== A || !m.answer.some((rr) => rr.type === A)) return undefined;
      return { ...clone(m), answer: m.answer.map((rr) => (rr.type === A ? { ...rr, rdata: Buffer.from([192, 0, 2, 66]) } : rr)) };
    },
  },
  'drop-ds': {
    what: 'DS RRsets removed: a NOERROR/NODATA answer without NSEC/NSEC3 fakes an unsigned delegation',
    apply: (m, q) => {
      if (q.type !== DS || !m.answer.some((rr) => rr.type === DS)) return undefined;
      const soaOnly = m.authority.filter((rr) => rr.type === SOA || (isSig(rr) && rrsigCovered(rr) === SOA));
      return { ...clone(m), answer: [], authority: soaOnly };
    },
  },
  'nsec-not-covering': {
    what: 'existing data answered NXDOMAIN with the signed NSEC/NSEC3 proof of another, non-existent name',
    apply: async (m, q, tools) => {
      if (!DATA_TYPES.has(q.type) || m.flags.rcode !== 0 || !m.answer.some((rr) => sameName(rr.name, q.name))) return undefined;
      const other = await tools.upstream(`lie-nx-0.${parentOf(q.name)}`, q.type);
      if (other.flags.rcode !== 3 || !other.authority.some((rr) => rr.type === NSEC || rr.type === NSEC3)) return undefined;
      return { ...clone(m), flags: { ...m.flags, rcode: 3 }, answer: [], authority: other.authority };
    },
  },
  'ad-garbage': {
    what: 'AD=1 on garbage: the asked-for records replaced by unsigned nonsense, RRSIGs and proofs removed',
    apply: (m, q) => {
      if (!DATA_TYPES.has(q.type)) return undefined;
      const forged = { name: q.name, type: q.type, class: 1, ttl: 300, rdata: garbageRdata(q.type) };
      const answer = noSigs(m.answer).filter((rr) => !(sameName(rr.name, q.name) && rr.type === q.type));
      return { ...clone(m), flags: { ...m.flags, ad: true, rcode: 0 }, answer: [...answer, forged], authority: [] };
    },
  },
  'wrong-question': {
    what: 'the answer to another question (another name), question section included',
    apply: async (m, q, tools) => {
      if (!DATA_TYPES.has(q.type)) return undefined;
      const other = sameName(q.name, 'www.alg14.test.') ? 'www.alg13.test.' : 'www.alg14.test.';
      const r = await tools.upstream(other, q.type);
      return { ...r, id: m.id };
    },
  },
  'wildcard-replay': {
    what: 'a wildcard expansion (with its NSEC/NSEC3 proof) replayed for a name that exists',
    apply: async (m, q, tools) => {
      if (!DATA_TYPES.has(q.type)) return undefined;
      const probe = `lie-wc-0.${parentOf(q.name)}`;
      const other = await tools.upstream(probe, q.type);
      const expanded = other.answer.some((rr) => isSig(rr) && sameName(rr.name, probe) && rrsigLabels(rr) < labelCount(probe));
      if (other.flags.rcode !== 0 || !expanded) return undefined;
      const answer = other.answer.map((rr) => (sameName(rr.name, probe) ? { ...rr, name: q.name } : rr));
      return { ...clone(m), flags: { ...m.flags, rcode: 0 }, answer, authority: other.authority };
    },
  },
  'cname-loop': {
    what: 'a CNAME chain bent back to its start (qname → target → qname), the genuine RRSIG replayed on the forged link',
    apply: (m, q) => {
      if (!DATA_TYPES.has(q.type)) return undefined;
      const first = m.answer.find((rr) => rr.type === CNAME && sameName(rr.name, q.name));
      if (!first) return undefined;
      const target = rdataName(first.rdata);
      const sigs = m.answer.filter((rr) => isSig(rr) && rrsigCovered(rr) === CNAME && sameName(rr.name, q.name));
      const back = { ...first, name: target, rdata: nameToWire(q.name) };
      return { ...clone(m), answer: [first, ...sigs, back, ...sigs.map((s) => ({ ...s, name: target }))] };
    },
  },
};

/** Failure modes: what the front sends instead of forwarding (or on top of it). */
export const FAILURES = {
  'http-500': 'HTTP 500 with a text body',
  'http-503': 'HTTP 503 with a text body',
  'http-404': 'HTTP 404 with a text body',
  html: 'HTTP 200 with an HTML page (a captive portal)',
  'content-type': 'HTTP 200 with the real DNS answer labelled text/plain',
  servfail: 'a DNS answer with RCODE SERVFAIL',
  refused: 'a DNS answer with RCODE REFUSED',
  garbage: 'HTTP 200 application/dns-message with bytes that are no DNS message',
  hang: 'no answer at all (the request is left open)',
  reset: 'the HTTP/2 stream is reset',
  'ds-servfail': 'every DS question below a zone apex (a name that is no zone of the world) answered SERVFAIL; all else forwarded',
  'ds-referral': 'every DS question below a zone apex answered with a stray unsigned referral (NS at the name, no answer, no proof); all else forwarded',
};

/**
 * The DS failure modes (issue 14): some authoritative servers (load balancers, CDNs) fail DS
 * questions for names that are not zone apexes. `apexes` holds the world's zone names (lowercase,
 * trailing dot). Returns the bytes to send instead of forwarding, or null to forward.
 */
export function dsFailure(mode, wire, apexes) {
  if (mode !== 'ds-servfail' && mode !== 'ds-referral') return null;
  const q = decodeFull(wire);
  const question = q.question[0];
  if (!question || question.type !== DS) return null;
  const name = question.name.toLowerCase().replace(/\.?$/, '.');
  if (apexes.has(name)) return null;
  if (mode === 'ds-servfail') return errorAnswer(wire, 2);
  const ns = { name: question.name, type: TYPES.NS, class: 1, ttl: 300, rdata: nameToWire(`ns1.${name}`) };
  return encodeFull({
    id: q.id,
    flags: { qr: true, opcode: 0, aa: false, tc: false, rd: q.flags.rd, ra: true, ad: false, cd: q.flags.cd, rcode: 0 },
    question: q.question,
    answer: [],
    authority: [ns],
    additional: [],
  });
}

/** A DNS error answer to `wire` with `rcode` (question echoed, DO kept off: no OPT). */
export function errorAnswer(wire, rcode) {
  const q = decodeFull(wire);
  return encodeFull({ id: q.id, flags: { qr: true, opcode: 0, aa: false, tc: false, rd: q.flags.rd, ra: true, ad: false, cd: q.flags.cd, rcode }, question: q.question, answer: [], authority: [], additional: [] });
}

/** Apply `attack` to the real answer `body` for the query `wire`; returns the bytes to send. */
export async function lie(attack, wire, body, tools) {
  const a = ATTACKS[attack];
  if (!a) throw new Error(`unknown attack ${attack}`);
  const q = decodeFull(wire).question[0];
  if (!q) return { body, changed: false };
  const m = decodeFull(body);
  const out = await a.apply(m, { name: q.name, type: q.type }, tools);
  if (out === undefined) return { body, changed: false };
  return { body: Buffer.isBuffer(out) ? out : encodeFull(out), changed: true };
}
