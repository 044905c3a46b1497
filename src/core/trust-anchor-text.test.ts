import { describe, expect, it } from 'vitest';
import { IANA_ROOT_DS_TEXT } from './dnssec/anchors';
import { trustAnchorsFromText } from './trust-anchor-text';

describe('trustAnchorsFromText (the CLI and the options share this wording)', () => {
  it('gives the anchors of a valid text', () => {
    const r = trustAnchorsFromText(IANA_ROOT_DS_TEXT);
    expect(r.ok && r.anchors[0]?.zone).toBe('.');
  });
  it('says which lines are wrong, each with the parser`s reason', () => {
    const r = trustAnchorsFromText(`${IANA_ROOT_DS_TEXT}\n. IN A 192.0.2.1\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^line \d+: .+/);
  });
});
