#!/usr/bin/env node
// node test/world/cli.mjs start [--fresh] | stop | status | restart
import { startWorld, stopWorld, worldStatus, WORLD_JSON } from './world.mjs';

const [cmd = 'status', ...rest] = process.argv.slice(2);
const fresh = rest.includes('--fresh');
try {
  if (cmd === 'start' || cmd === 'restart') {
    const t0 = Date.now();
    const { reused } = await startWorld({ fresh: fresh || cmd === 'restart' });
    console.log(`[world] ${reused ? 'reused' : 'started'} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${WORLD_JSON}`);
  } else if (cmd === 'stop') {
    await stopWorld();
  } else if (cmd === 'status') {
    const st = await worldStatus();
    console.log(st.running ? `running since ${st.world.startedAt}` : `not running (${st.reason})`);
    process.exitCode = st.running ? 0 : 3;
  } else {
    console.error('usage: cli.mjs start [--fresh] | stop | status | restart');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(`[world] ${cmd} failed: ${e.message}`);
  process.exitCode = 1;
}
