/**
 * The kept answers' storage: one write per burst of verdicts, the snapshot of the last one; a
 * failed read or write is reported, never thrown, and a failed read gives nothing to load.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredAnswersSnapshot } from '../core/transport/stored-answers';

const area = { set: vi.fn(), get: vi.fn(), remove: vi.fn() };
const reported: string[] = [];
vi.mock('./session-area', () => ({ sessionArea: () => area }));
vi.mock('./report', () => ({ report: (kind: string) => reported.push(kind) }));

const { SAVE_AFTER_MS, sessionAnswerStorage } = await import('./kept-answers');

const snap = (n: number): StoredAnswersSnapshot => ({ v: 1, resolvers: ['https://r.test/dns-query'], answers: Array.from({ length: n }, (_, i) => ({ q: `n${i}./1`, b: 'AAAA', f: 1, e: 2 })) });

describe('sessionAnswerStorage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    area.set.mockReset().mockResolvedValue(undefined);
    area.get.mockReset();
    reported.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('writes once per burst, SAVE_AFTER_MS after the first change, the latest snapshot', async () => {
    const storage = sessionAnswerStorage();
    storage.save(() => snap(1));
    storage.save(() => snap(2));
    storage.save(() => snap(3));
    expect(area.set).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SAVE_AFTER_MS);
    expect(area.set).toHaveBeenCalledTimes(1);
    expect(area.set.mock.calls[0]![0].keptAnswers.answers).toHaveLength(3);
    storage.save(() => snap(4));
    await vi.advanceTimersByTimeAsync(SAVE_AFTER_MS);
    expect(area.set).toHaveBeenCalledTimes(2);
    expect(area.set.mock.calls[1]![0].keptAnswers.answers).toHaveLength(4);
  });

  it('reads what an earlier life wrote; a failed read or write is reported, not thrown', async () => {
    const storage = sessionAnswerStorage();
    area.get.mockResolvedValueOnce({ keptAnswers: snap(2) });
    expect(await storage.load()).toEqual(snap(2));
    area.get.mockRejectedValueOnce(new Error('storage gone'));
    expect(await storage.load()).toBeUndefined();
    area.set.mockRejectedValueOnce(new Error('quota'));
    storage.save(() => snap(1));
    await vi.advanceTimersByTimeAsync(SAVE_AFTER_MS);
    expect(reported).toEqual(['session-storage', 'session-storage']);
  });
});
