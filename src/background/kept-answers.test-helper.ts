/**
 * Tests only: the background's session storage for kept answers, held in memory (one snapshot,
 * written when the engine says so, read back as a copy as storage.session does), and a fetch that
 * counts the DoH requests a background sends.
 */
import type { FetchLike } from '../core/transport/doh';
import { questionKey } from '../core/wire/name';
import { parseMessage } from '../core/wire/packet';
import type { StoredAnswersSnapshot } from '../core/transport/stored-answers';
import type { AnswerStorage } from './engine';

export function memoryAnswerStorage(initial?: unknown): { s: { stored: StoredAnswersSnapshot | undefined; saves: number }; storage: AnswerStorage } {
  const s = { stored: initial as StoredAnswersSnapshot | undefined, saves: 0 };
  const storage: AnswerStorage = {
    load: async () => s.stored && JSON.parse(JSON.stringify(s.stored)),
    save: (take) => {
      s.saves++;
      s.stored = take();
    },
  };
  return { s, storage };
}

/**
 * `inner`, counting its calls and noting each DoH POST's question as the kept answers key it
 * (`questionKey`: "name./type"), so that a test can tell which questions were asked.
 */
export function countingFetch(inner: FetchLike): { fetch: FetchLike; asked: () => number; questions: () => string[] } {
  let n = 0;
  const questions: string[] = [];
  return {
    fetch: (url, init) => {
      n++;
      const q = init.body && parseMessage(init.body).question[0];
      if (q) questions.push(questionKey(q.name, q.type));
      return inner(url, init);
    },
    asked: () => n,
    questions: () => [...questions],
  };
}
