/**
 * Start of the command: `--help`/`--version` straight from the option table, everything else
 * through the validator, imported only then (so `--help` starts as fast as Node itself).
 */
import { quickAnswer } from './quick';

export async function run(argv: string[], prog: string): Promise<void> {
  const quick = quickAnswer(argv, prog);
  if (quick) {
    process.stdout.write(quick.out);
    process.exitCode = quick.code;
    return;
  }
  const { main } = await import('./check');
  process.exitCode = await main(argv, undefined, prog);
}
