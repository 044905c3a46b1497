/**
 * Start of `dnssec-tlsa-helper`. `entry` is the script that runs the helper with plain Node, for the
 * launcher `install` writes: the built bundle (dist/cli/dnssec-tlsa-helper.mjs, src/helper/entry.ts)
 * in the npm package, bin/dnssec-tlsa-helper.js (through tsx) in a development checkout.
 */
import { main } from './main';

export function start(entry: string): void {
  const code = main(process.argv.slice(2), entry);
  if (code >= 0) process.exitCode = code;
}
