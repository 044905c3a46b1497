// `npm run check -- …` and bin/check.js (through tsx): the command under its development name.
import { run } from './run';

await run(process.argv.slice(2), 'check');
