import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Problem } from '../shared/messages';
import { MAX_PROBLEMS, problemsWith, report, resolved } from './report';

describe('report', () => {
  afterEach(() => {
    resolved('options-read');
    resolved('start-up');
  });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);

  it('records background-wide problems with the error text, and a navigation`s own in its list', () => {
    const own: Problem[] = [];
    report('options-read', new Error('storage is corrupt'));
    report('certificate-read', 'request gone', own);
    const all = problemsWith(own);
    expect(all.map((p) => [p.where, p.message])).toEqual([
      ['options-read', 'storage is corrupt'],
      ['certificate-read', 'request gone'],
    ]);
    expect(all.every((p) => typeof p.at === 'number')).toBe(true);
    expect(problemsWith([])).toHaveLength(1); // another navigation sees only the background-wide one
  });

  it('forgets a background-wide problem once it is over, and keeps only the most recent ones', () => {
    report('options-read', 'x');
    resolved('options-read');
    expect(problemsWith([])).toEqual([]);
    const own: Problem[] = [];
    for (let i = 0; i < MAX_PROBLEMS + 10; i++) report('toolbar', `failure ${i}`, own);
    expect(own).toHaveLength(MAX_PROBLEMS);
    expect(own[0]!.message).toBe('failure 10');
  });
});
