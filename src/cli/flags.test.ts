import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli, useColour } from './check';
import { BATCH_FLAGS, FLAGS, MODES, helpText } from './flags';
import { quickAnswer } from './quick';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('--help is generated from the option table', () => {
  const help = helpText('dnssec-tlsa', pkg.version);
  it('documents every option, every mode with its example, the exit codes and where the defaults come from', () => {
    for (const name of [...Object.keys(FLAGS), ...Object.keys(BATCH_FLAGS)]) expect(help).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
    for (const m of MODES) expect(help).toContain(`e.g. dnssec-tlsa ${m.example}`);
    expect(help).toMatch(/^Exit codes:\n {2}0 {2}.*\n {2}2 {2}.*\n {2}3 {2}/m);
    expect(help).toMatch(/^Exit codes with --plugin:\n {2}0 {2}OK.*\n {2}1 {2}WARNING.*\n {2}2 {2}CRITICAL.*\n {2}3 {2}UNKNOWN/m);
    expect(help).toContain('https://cloudflare-dns.com/dns-query');
    expect(help).toMatch(/KSK-2017 tag 20326, KSK-2024 tag 38696/);
  });

  it('every example in the help is a valid command line', () => {
    // --batch examples are parsed by src/cli/batch.ts (its own flags beside these).
    for (const m of MODES.filter((x) => !x.example.startsWith('--batch'))) expect(() => parseCli(m.example.split(' ')), m.example).not.toThrow();
  });

  it('--help and --version answer with exit 0; anything else goes on to the check', () => {
    expect(quickAnswer(['--help'], 'dnssec-tlsa')).toEqual({ code: 0, out: help });
    expect(quickAnswer(['www.example.com', '--version'], 'dnssec-tlsa')).toEqual({ code: 0, out: `dnssec-tlsa ${pkg.version}\n` });
    expect(quickAnswer(['www.example.com', '--json'], 'dnssec-tlsa')).toBeNull();
    expect(quickAnswer(['--', '--help'], 'dnssec-tlsa')).toBeNull();
  });

  it('rejects bad --days and --plugin with --json', () => {
    expect(() => parseCli(['x.test', '--days', '-1'])).toThrow(/--days/);
    expect(() => parseCli(['x.test', '--days', 'soon'])).toThrow(/--days/);
    expect(() => parseCli(['x.test', '--days', '99999'])).toThrow(/--days/);
    expect(parseCli(['x.test', '--days', '30']).days).toBe(30);
    expect(() => parseCli(['x.test', '--plugin', '--json'])).toThrow(/--plugin/);
  });
});

describe('colour', () => {
  it('only on a terminal, and never with NO_COLOR set', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
