#!/usr/bin/env node
// `dnssec-tlsa-helper` of a development checkout (the e2e tests and the demo install it into their
// throw-away profiles): runs the TypeScript through tsx's loader (a devDependency), like
// bin/check.js, and the launcher `install` writes runs this file. The installed command is the
// built bundle dist/cli/dnssec-tlsa-helper.mjs (npm run build:cli), which needs no tsx.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { start } = await import('../src/helper/cli.ts');
start(fileURLToPath(import.meta.url));
