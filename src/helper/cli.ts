import { main } from './main';

const code = main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
