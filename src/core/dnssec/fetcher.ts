import type { DohResult } from '../transport/doh';
import { questionKey } from '../wire/name';
import { typeToString } from '../wire/present';
import { Rcode, type Message, type Name } from '../wire/types';
import type { Reason } from './result';

/** What the validator needs from a transport: one DNS question, DO=1 CD=1 (RFC 4035 §3.2.2, §4.6). */
export interface QueryResolver {
  query(name: Name, type: number): Promise<DohResult>;
}

/**
 * A failed fetch. `bogus` marks data that arrived but cannot be authenticated at all (a malformed
 * record or message): the answer is then bogus, not merely unknown.
 */
export type FetchResult = { ok: true; message: Message } | { ok: false; reason: Reason; bogus?: boolean };

/**
 * Fetching, separated from verifying: one `Fetcher` per verdict deduplicates identical questions,
 * counts queries against a budget (LIMITS.maxQueriesPerVerdict) and turns transport failures and
 * unusable RCODEs into typed reasons. Everything it returns is still unverified data.
 */
export class Fetcher {
  private readonly memo = new Map<string, Promise<FetchResult>>();
  /** Messages received so far, in arrival order (unverified: whoever uses one verifies it). */
  private readonly received: Message[] = [];
  sent = 0;

  constructor(
    private readonly resolver: QueryResolver,
    private readonly maxQueries: number,
  ) {}

  get(name: Name, type: number): Promise<FetchResult> {
    const key = questionKey(name, type);
    let p = this.memo.get(key);
    if (!p) {
      p = this.send(name, type).then((r) => {
        if (r.ok) this.received.push(r.message);
        return r;
      });
      this.memo.set(key, p);
    }
    return p;
  }

  /** Whether this question was already sent (or answered from the budget's refusal) in this verdict. */
  asked(name: Name, type: number): boolean {
    return this.memo.has(questionKey(name, type));
  }

  /** Answers already received in this verdict (no waiting). */
  arrived(): readonly Message[] {
    return [...this.received];
  }

  /** Every answer of this verdict: waits for the questions already sent, then returns what arrived. */
  async settled(): Promise<readonly Message[]> {
    await Promise.all([...this.memo.values()]);
    return [...this.received];
  }

  /** Start queries early without waiting (prefetch never spends the last quarter of the budget). */
  prefetch(list: { name: Name; type: number }[]): void {
    for (const q of list) {
      if (this.sent >= (this.maxQueries * 3) / 4) return;
      void this.get(q.name, q.type);
    }
  }

  private async send(name: Name, type: number): Promise<FetchResult> {
    if (this.sent >= this.maxQueries) {
      return {
        ok: false,
        reason: { code: 'limit-exceeded', message: `more than ${this.maxQueries} queries needed for one verdict`, name, type },
      };
    }
    this.sent++;
    const res = await this.resolver.query(name, type);
    if (!res.ok) {
      if (res.error.kind === 'malformed') {
        return { ok: false, bogus: true, reason: { code: 'malformed-answer', message: `malformed answer for ${name} ${typeToString(type)}: ${res.error.message}`, name, type } };
      }
      return {
        ok: false,
        reason: { code: 'resolver-error', message: `${res.error.kind}: ${res.error.message}`, name, type },
      };
    }
    const rcode = res.message.header.rcode;
    // Only NOERROR and NXDOMAIN carry data or denial (RFC 1035 §4.1.1, RFC 2308); SERVFAIL with CD=1
    // means the resolver could not fetch the data at all.
    if (rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) {
      return {
        ok: false,
        reason: {
          code: 'resolver-rcode',
          message: `resolver answered ${rcodeName(rcode)} for ${name} ${typeToString(type)}`,
          name,
          type,
        },
      };
    }
    return { ok: true, message: res.message };
  }
}

export function rcodeName(rcode: number): string {
  const names: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN' };
  return names[rcode] ?? `RCODE${rcode}`;
}
