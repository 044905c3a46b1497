import { describe, expect, it } from 'vitest';
import { isTimingsMessage, mark, markAnswer, markNavigation, onTimingsMessage } from './timings';

describe('bench-only phase timings', () => {
  it('records nothing until a bench turns them on', async () => {
    await onTimingsMessage({ type: 'benchTimings', enable: false });
    markNavigation(1, 'https://a.test/', 1000);
    mark(1, 'https://a.test/', 'validatorStart');
    markAnswer();
    expect((await onTimingsMessage({ type: 'benchTimings' })).records).toEqual([]);
  });

  it('keeps each phase once per navigation, in order, and gives the first DoH answer to the tabs waiting for one', async () => {
    await onTimingsMessage({ type: 'benchTimings', enable: true });
    markNavigation(1, 'https://a.test/', 1000);
    mark(1, 'https://a.test/', 'validatorStart');
    markNavigation(2, 'https://b.test/');
    mark(2, 'https://b.test/', 'validatorStart');
    mark(2, 'https://b.test/', 'verdict'); // a cached verdict: no DoH answer belongs to it
    markAnswer();
    const firstAnswerAt = (await onTimingsMessage({ type: 'benchTimings' })).records.find((r) => r.tabId === 1)!.marks.lastAnswer;
    await new Promise((r) => setTimeout(r, 2));
    markAnswer();
    mark(1, 'https://a.test/', 'verdict');
    markAnswer(); // after the verdict: not the last answer of this navigation
    const first = (await onTimingsMessage({ type: 'benchTimings' })).records.find((r) => r.tabId === 1)!;
    mark(1, 'https://a.test/', 'verdict'); // a second settle does not move the first one
    const { records } = await onTimingsMessage({ type: 'benchTimings' });
    const a = records.find((r) => r.tabId === 1)!;
    const b = records.find((r) => r.tabId === 2)!;
    expect(a.marks.event).toBe(1000);
    expect(a.marks.verdict).toBe(first.marks.verdict);
    expect(a.marks.firstAnswer).toBeGreaterThanOrEqual(a.marks.validatorStart!);
    expect(a.marks.verdict).toBeGreaterThanOrEqual(a.marks.firstAnswer!);
    expect(b.marks.firstAnswer).toBeUndefined();
    expect(b.marks.lastAnswer).toBeUndefined();
    // The last answer is the latest one before the verdict.
    expect(firstAnswerAt).toBe(a.marks.firstAnswer);
    expect(a.marks.lastAnswer).toBeGreaterThan(a.marks.firstAnswer!);
    expect(a.marks.lastAnswer).toBeLessThanOrEqual(a.marks.verdict!);
    // A new navigation of the tab starts its record over.
    markNavigation(1, 'https://c.test/');
    const again = (await onTimingsMessage({ type: 'benchTimings' })).records.find((r) => r.tabId === 1)!;
    expect(again.url).toBe('https://c.test/');
    expect(again.marks.verdict).toBeUndefined();
    await onTimingsMessage({ type: 'benchTimings', enable: false });
  });

  it('knows its message and no other', () => {
    expect(isTimingsMessage({ type: 'benchTimings' })).toBe(true);
    expect(isTimingsMessage({ type: 'getTabState', tabId: 1 })).toBe(false);
    expect(isTimingsMessage(null)).toBe(false);
  });
});
