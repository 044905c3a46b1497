import { spawn } from 'node:child_process';

/** Run a command, collect output. Rejects on non-zero exit unless allowFail. */
export function run(cmd, args, { input, cwd, env, allowFail = false, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(t);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(t);
      const res = { code: code ?? -1, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
      res.text = res.stdout.toString();
      if (res.code !== 0 && !allowFail) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${res.code}${signal ? ` (${signal})` : ''}: ${res.stderr || res.text}`));
      } else resolve(res);
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Map with limited concurrency. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
