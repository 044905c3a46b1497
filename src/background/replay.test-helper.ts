/**
 * Tests only: the test world's real signed answers (the validator's replay fixture) served as
 * DoH responses, so background code can be tested on real DNSSEC data without the world.
 */
import { readFileSync } from 'node:fs';
import type { FetchLike } from '../core/transport/doh';
import { fromBase64 } from '../core/util/encoding';
import { questionKey } from '../core/wire/name';
import { parseMessage } from '../core/wire/packet';

export interface ReplayFixture {
  anchor: string;
  recordedAt: string;
  responses: Record<string, string>;
}

export const replayFixture: ReplayFixture = JSON.parse(
  readFileSync(new URL('../core/dnssec/fixtures/replay/world.json', import.meta.url), 'utf8'),
) as ReplayFixture;

/** Answers each DoH query with the recorded response; 404 for a question never recorded. */
export const replayFetch: FetchLike = async (_url, init) => {
  const q = parseMessage(init.body!).question[0]!;
  const b64 = replayFixture.responses[questionKey(q.name, q.type)];
  const body = b64 ? fromBase64(b64)! : new Uint8Array();
  return { ok: !!b64, status: b64 ? 200 : 404, headers: { get: () => 'application/dns-message' }, arrayBuffer: async () => body.slice().buffer };
};
