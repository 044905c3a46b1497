// The installed `dnssec-tlsa-helper` command: the entry of the bundle dist/cli/dnssec-tlsa-helper.mjs
// (npm run build:cli). The launcher `install` writes runs this file itself with Node: no tsx.
import { start } from './cli';

start(import.meta.filename);
