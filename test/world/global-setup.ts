// vitest globalSetup: start the offline test world once per run.
// WORLD_EXTERNAL=1: the world is already running (e.g. `npm run world:start` in CI); only check it.
// teardown() stops the world only if this setup started it (a reused world is left running).
import { readWorld, startWorld, stopWorld } from './world.mjs';

let startedHere = false;

export async function setup(): Promise<void> {
  if (process.env.WORLD_EXTERNAL === '1') {
    readWorld(); // throws a clear error if it is not running
    return;
  }
  const { reused } = await startWorld();
  startedHere = !reused;
}

export async function teardown(): Promise<void> {
  if (startedHere) await stopWorld();
  startedHere = false;
}
