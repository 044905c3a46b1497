/**
 * The engine's kept answers (core/transport/stored-answers.ts) in session storage: what proved
 * the verdicts of this browser session outlives the background (Chrome stops an idle worker
 * after 30 s, Firefox suspends an idle event page), so the next navigation after a pause asks
 * the resolver only what is not kept. Session storage lives in memory and is gone when the
 * browser closes (PRIVACY.md).
 */
import type { AnswerStorage } from './engine';
import type { StoredAnswersSnapshot } from '../core/transport/stored-answers';
import { report } from './report';
import { sessionArea } from './session-area';

const KEY = 'keptAnswers';

/** Writes wait this long and are coalesced: after the page load that produced them, one write for several verdicts. */
export const SAVE_AFTER_MS = 1_000;

export function sessionAnswerStorage(): AnswerStorage {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let take: (() => StoredAnswersSnapshot) | null = null;
  return {
    async load() {
      const area = sessionArea();
      if (!area) return undefined;
      try {
        return (await area.get(KEY))[KEY];
      } catch (e) {
        report('session-storage', e);
        return undefined;
      }
    },
    save(t) {
      take = t;
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        const area = sessionArea();
        if (!area || !take) return;
        void area.set({ [KEY]: take() }).catch((e: unknown) => report('session-storage', e));
      }, SAVE_AFTER_MS);
    },
  };
}
