#!/usr/bin/env node
// The `check` command of a development checkout: runs the TypeScript CLI through tsx (a devDependency).
// The installed command is `dnssec-tlsa`, a built bundle (dist/cli/dnssec-tlsa.mjs, npm run build:cli).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
