/**
 * `--help` and `--version`: answered from the option table alone, without loading the validator
 * (start-up time of the installed command, issue #19).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpText } from './flags';

/**
 * The package version. package.json sits two directories above this module both in the source
 * tree (src/cli/) and in the built bundle (dist/cli/), installed or not.
 */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The answer to `--help` / `--version` (exit 0), or null when the arguments ask for a check. */
export function quickAnswer(argv: readonly string[], prog: string): { code: number; out: string } | null {
  const args = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (args.includes('--help') || args.includes('-h')) return { code: 0, out: helpText(prog, packageVersion()) };
  if (args.includes('--version')) return { code: 0, out: `${prog} ${packageVersion()}\n` };
  return null;
}
