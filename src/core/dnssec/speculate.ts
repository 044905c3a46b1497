/**
 * Signature checks started as the answers of a verdict arrive, before the walk needs them.
 *
 * A cold verdict sends its questions at once (Validator.prefetchAll) and gets its answers within
 * one round trip, but the walk then verifies down the chain one signature after another (the DS
 * of a zone with its parent's keys, its DNSKEY RRset with the key that DS names, and so on: RFC
 * 4035 §5.2–§5.3). Where a signature check is asynchronous (WebCrypto hands it to another thread
 * and answers through the event loop), every link of that chain waits for one such hop, and in
 * a browser busy loading the page each hop costs milliseconds (bench/results/page-load.md).
 *
 * So, as each answer arrives, every signature in it whose signer's DNSKEY RRset is at hand (an
 * answer of this verdict, or a zone the validator has already authenticated) is handed to the
 * primitive at once, unverified keys and all, and its outcome is remembered by its exact inputs
 * (algorithm, key, signed data, signature). The walk decides as before what to verify, with
 * which keys and in which order, and counts its budget as before (RFC 4035 §5.3.3, KeyTrap
 * bounds in rrsig.ts); a check it makes that was started here only finds its outcome ready.
 * Nothing is trusted by being checked early: an outcome is the same function of the same bytes.
 *
 * Bounded apart from the walk's budget (LIMITS.maxEarlySignatureChecks, one key per signature,
 * only keys whose tag and algorithm are unique in their RRset): a hostile answer costs at most
 * that much extra work, and never spends what the walk may need.
 */
import { verify, type SignatureBackend, type VerifyOutcome } from './algorithms';
import { signedData } from './canonical';
import { keyTag } from './keytag';
import { LIMITS } from './limits';
import { serialDiff } from './rrsig';
import { pick } from './rrset';
import { bytesEqual } from '../util/encoding';
import { canonicalName, namesEqual } from '../wire/name';
import { RRType, type DNSKEYData, type Message, type Name, type RR, type RRSIGData } from '../wire/types';

const FLAG_ZONE = 0x0100; // RFC 4034 §2.1.1

interface Checked {
  alg: number;
  key: Uint8Array;
  data: Uint8Array;
  signature: Uint8Array;
  outcome: Promise<VerifyOutcome>;
}

/**
 * The signature checks of one verdict, by their inputs. `verify` gives the outcome of a check
 * made before with the same algorithm, key, data and signature, or makes it.
 */
export class SignatureChecks {
  private readonly done = new Map<string, Checked[]>();
  /** Checks handed to the primitive, of them started early (EarlyChecks), and checks answered from an earlier one. */
  readonly stats = { made: 0, early: 0, reused: 0 };

  constructor(private readonly backend?: SignatureBackend) {}

  verify(alg: number, key: Uint8Array, data: Uint8Array, signature: Uint8Array, early = false): Promise<VerifyOutcome> {
    const id = `${alg}:${signature.length}:${signature[0] ?? 0}:${signature[signature.length - 1] ?? 0}:${data.length}`;
    let list = this.done.get(id);
    const hit = list?.find((c) => c.alg === alg && bytesEqual(c.signature, signature) && bytesEqual(c.key, key) && bytesEqual(c.data, data));
    if (hit) {
      if (!early) this.stats.reused++;
      return hit.outcome;
    }
    this.stats.made++;
    if (early) this.stats.early++;
    const outcome = verify(alg, key, data, signature, this.backend);
    if (!list) this.done.set(id, (list = []));
    list.push({ alg, key, data, signature, outcome });
    return outcome;
  }
}

interface Signed {
  sig: RR<RRSIGData>;
  records: RR[];
}

/**
 * Watches the answers of one verdict (Fetcher's `onArrive`) and starts the signature checks
 * they allow. `knownKeys` gives the DNSKEYs of a zone the validator has already authenticated.
 */
export class EarlyChecks {
  private readonly keys = new Map<string, RR<DNSKEYData>[]>();
  private readonly waiting = new Map<string, Signed[]>();

  constructor(
    private readonly checks: SignatureChecks,
    private readonly now: number,
    private readonly knownKeys: (zone: Name) => RR<DNSKEYData>[] | null,
  ) {}

  arrived(msg: Message): void {
    const q = msg.question[0];
    // A DNSKEY RRset answering "zone DNSKEY" (RFC 4035 §5.2: the apex keys).
    if (q && q.type === RRType.DNSKEY) {
      const set = msg.answer.filter((rr): rr is RR<DNSKEYData> => rr.type === RRType.DNSKEY && rr.data.kind === 'DNSKEY' && namesEqual(rr.name, q.name));
      const zone = canonicalName(q.name);
      if (set.length > 0 && !this.keys.has(zone)) {
        this.keys.set(zone, set.slice(0, LIMITS.maxKeysPerZone));
        const list = this.waiting.get(zone) ?? [];
        this.waiting.delete(zone);
        for (const s of list) this.start(s, this.keys.get(zone)!);
      }
    }
    for (const section of [msg.answer, msg.authority]) {
      for (const s of signedSets(section)) {
        const zone = canonicalName(s.sig.data.signerName);
        const keys = this.keys.get(zone) ?? this.knownKeys(zone);
        if (keys) this.start(s, keys);
        else {
          const list = this.waiting.get(zone) ?? [];
          if (list.length < LIMITS.maxEarlySignatureChecks) list.push(s);
          this.waiting.set(zone, list);
        }
      }
    }
  }

  private start(s: Signed, keys: readonly RR<DNSKEYData>[]): void {
    if (this.checks.stats.early >= LIMITS.maxEarlySignatureChecks) return;
    const d = s.sig.data;
    // RFC 4035 §5.3.1: outside its validity window the walk does not check it either.
    const sinceInception = serialDiff(this.now, d.inception);
    const toExpiration = serialDiff(d.expiration, this.now);
    if (sinceInception === undefined || sinceInception < 0 || toExpiration === undefined || toExpiration < 0) return;
    const candidates = keys.filter((k) => k.data.algorithm === d.algorithm && (k.data.flags & FLAG_ZONE) !== 0 && keyTag(k.rdata) === d.keyTag);
    if (candidates.length !== 1) return;
    void this.checks.verify(d.algorithm, candidates[0]!.data.publicKey, signedData(s.sig, s.records), d.signature, true);
  }
}

/** Each RRSIG of a section with the RRset it covers (same owner and type, RFC 4034 §3, as the walk picks it). */
function signedSets(section: readonly RR[]): Signed[] {
  const out: Signed[] = [];
  for (const rr of section) {
    if (rr.type !== RRType.RRSIG || rr.data.kind !== 'RRSIG') continue;
    const sig = rr as RR<RRSIGData>;
    const records = pick(section as RR[], sig.name, sig.data.typeCovered); // as the walk's rrsetOf
    if (records.length > 0) out.push({ sig, records });
    if (out.length >= LIMITS.maxEarlySignatureChecks) break;
  }
  return out;
}
