// The installed `dnssec-tlsa` command: the entry of the bundle dist/cli/dnssec-tlsa.mjs (npm run build:cli).
import { run } from './run';

await run(process.argv.slice(2), 'dnssec-tlsa');
