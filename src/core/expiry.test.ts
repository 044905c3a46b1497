import { describe, expect, it } from 'vitest';
import { DAY_MS, expiresSoon, expiringZones, relativeExpiry } from './expiry';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('expiresSoon', () => {
  it('is true within the warning period, false beyond it or when switched off', () => {
    expect(expiresSoon(NOW + 2 * DAY_MS, NOW, 7)).toBe(true);
    expect(expiresSoon(NOW + 7 * DAY_MS - 1, NOW, 7)).toBe(true);
    expect(expiresSoon(NOW + 7 * DAY_MS, NOW, 7)).toBe(false);
    expect(expiresSoon(NOW + 10 * DAY_MS, NOW, 7)).toBe(false);
    expect(expiresSoon(NOW + DAY_MS, NOW, 0)).toBe(false);
    expect(expiresSoon(null, NOW, 7)).toBe(false);
    expect(expiresSoon(Number.NaN, NOW, 7)).toBe(false);
  });
  it('counts an already expired signature as expiring', () => {
    expect(expiresSoon(NOW - DAY_MS, NOW, 7)).toBe(true);
  });
});

describe('expiringZones', () => {
  it('lists the zones within the period, soonest first, each zone once', () => {
    const chain = [
      { zone: '.', expiresAt: NOW + 9 * DAY_MS },
      { zone: 'test.', expiresAt: NOW + 5 * DAY_MS },
      { zone: 'soon.test.', expiresAt: NOW + 2 * DAY_MS },
      { zone: 'SOON.test.', expiresAt: NOW + 2 * DAY_MS },
      { zone: 'insecure.test.', expiresAt: null },
    ];
    expect(expiringZones(chain, NOW, 7)).toEqual([
      { zone: 'soon.test.', expiresAt: NOW + 2 * DAY_MS, msLeft: 2 * DAY_MS },
      { zone: 'test.', expiresAt: NOW + 5 * DAY_MS, msLeft: 5 * DAY_MS },
    ]);
    expect(expiringZones(chain, NOW, 0)).toEqual([]);
  });
});

describe('relativeExpiry', () => {
  it('speaks in hours below two days, in whole days above', () => {
    expect(relativeExpiry(36 * 3_600_000)).toEqual({ value: 36, unit: 'hour' });
    expect(relativeExpiry(90 * 60_000)).toEqual({ value: 2, unit: 'hour' });
    expect(relativeExpiry(2 * DAY_MS)).toEqual({ value: 2, unit: 'day' });
    expect(relativeExpiry(6.9 * DAY_MS)).toEqual({ value: 6, unit: 'day' });
    expect(relativeExpiry(-5)).toEqual({ value: 0, unit: 'hour' });
  });
});
