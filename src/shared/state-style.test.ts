import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_STATES } from './display-state';
import { ACTION_ICON_SIZES, styleForVerdict } from './state-style';

const root = path.resolve(import.meta.dirname, '../..');
const en = JSON.parse(readFileSync(path.join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('styleForVerdict', () => {
  it.each(DISPLAY_STATES)('%s has an icon per size, whose SVG source exists', (state) => {
    const style = styleForVerdict(state);
    expect(Object.keys(style.icon).map(Number)).toEqual([...ACTION_ICON_SIZES]);
    for (const size of ACTION_ICON_SIZES) expect(style.icon[size]).toBe(`/icons/${state}-${size}.png`);
    expect(existsSync(path.join(root, 'src/icons', `${state}.svg`))).toBe(true);
  });

  it.each(DISPLAY_STATES)('%s has English title and detail messages', (state) => {
    const style = styleForVerdict(state);
    expect(en).toHaveProperty(style.titleKey);
    expect(en).toHaveProperty(style.detailKey);
  });

  it('gives every state its own icon and title', () => {
    const styles = DISPLAY_STATES.map(styleForVerdict);
    expect(new Set(styles.map((s) => s.icon[16])).size).toBe(DISPLAY_STATES.length);
    expect(new Set(styles.map((s) => s.titleKey)).size).toBe(DISPLAY_STATES.length);
  });

  it('uses short badges and valid colours', () => {
    for (const state of DISPLAY_STATES) {
      const { badgeText, badgeColor } = styleForVerdict(state);
      expect([...badgeText].length).toBeLessThanOrEqual(2);
      expect(badgeColor).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('marks failures with a badge and leaves good or neutral states without one', () => {
    for (const s of ['bogus', 'tlsa-mismatch', 'address-mismatch', 'indeterminate'] as const) {
      expect(styleForVerdict(s).badgeText).not.toBe('');
    }
    for (const s of ['checking', 'secure-tlsa-match', 'secure', 'secure-not-compared', 'nxdomain', 'insecure', 'off'] as const) {
      expect(styleForVerdict(s).badgeText).toBe('');
    }
  });

  it('is pure: equal input, equal output, no shared mutable objects', () => {
    const a = styleForVerdict('secure');
    a.icon[16] = 'changed';
    expect(styleForVerdict('secure').icon[16]).toBe('/icons/secure-16.png');
  });
});
