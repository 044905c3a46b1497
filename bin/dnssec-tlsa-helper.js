#!/usr/bin/env node
// Installed `dnssec-tlsa-helper` command (native-messaging host of the Chrome build, and its
// install/uninstall): runs the TypeScript through tsx's loader, like bin/check.js.
import { register } from 'tsx/esm/api';

register();
await import('../src/helper/cli.ts');
