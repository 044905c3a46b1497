import { afterEach, describe, expect, test, vi } from 'vitest';
import { withDeadline } from './deadline';

afterEach(() => {
  vi.useRealTimers();
});

describe('withDeadline', () => {
  test('a request that never settles fails with the given error once the deadline passes, not before', async () => {
    vi.useFakeTimers();
    const never = new Promise<string>(() => undefined);
    let outcome: string | Error | null = null;
    void withDeadline(never, 90_000, () => new Error('no answer within 90 s')).then(
      (v) => (outcome = v),
      (e: Error) => (outcome = e),
    );
    await vi.advanceTimersByTimeAsync(89_999);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as unknown as Error).message).toBe('no answer within 90 s');
  });

  test('an answer in time passes through and clears the timer; a rejection passes through as an Error', async () => {
    vi.useFakeTimers();
    await expect(withDeadline(Promise.resolve(42), 1_000, () => new Error('late'))).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
    await expect(withDeadline(Promise.reject(new Error('port closed')), 1_000, () => new Error('late'))).rejects.toThrow('port closed');
    await expect(withDeadline(Promise.reject('text'), 1_000, () => new Error('late'))).rejects.toThrow('text');
    expect(vi.getTimerCount()).toBe(0);
  });
});
