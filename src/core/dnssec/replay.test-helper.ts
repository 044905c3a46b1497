/**
 * Tests only: the test world's real signed answers (recorded by test/validator/record-replay.mts,
 * signed by BIND) replayed through an injected resolver; the anchor and pinned clock they need.
 */
import type { DohResult } from '../transport/doh';
import { fromBase64 } from '../util/encoding';
import { questionKey } from '../wire/name';
import { parseMessage } from '../wire/packet';
import { parseTrustAnchors } from './anchors';
import type { QueryResolver } from './fetcher';

import recording from './fixtures/replay/world.json';

interface Expect { state: string; result: string }
export const fixture: {
  recordedAt: string;
  sigExpiration: string;
  anchor: string;
  cases: { id: string; host: string; port: number; address: Expect; tlsa: Expect; tlsaName: string }[];
  responses: Record<string, string>;
} = recording;

const parsedAnchors = parseTrustAnchors(fixture.anchor);
if (!parsedAnchors.ok) throw new Error('fixture anchor does not parse');
export const anchors = parsedAnchors.anchors;
export const recordedAt = Date.parse(fixture.recordedAt);

/** A resolver answering from the recording; `asked` lists every question, in order. */
export function replay(): QueryResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async query(name, type): Promise<DohResult> {
      const key = questionKey(name, type);
      asked.push(key);
      const b64 = fixture.responses[key];
      if (!b64) return { ok: false, error: { kind: 'network', message: `not recorded: ${key}`, url: 'replay:' } };
      const bytes = fromBase64(b64)!;
      return { ok: true, message: parseMessage(bytes), bytes, elapsedMs: 0, url: 'replay:' };
    },
  };
}
