/** Runs the installed `check` command (bin/check.js) as a user would, trusting the test world's CA. */
import { execFile } from 'node:child_process';
import { readWorld } from '../world/world.mjs';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function check(args: string[]): Promise<CliRun> {
  const world = readWorld();
  return new Promise((resolve) => {
    execFile('node', ['bin/check.js', ...args], { env: { ...process.env, NODE_EXTRA_CA_CERTS: world.ca, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
