#!/usr/bin/env node
// A native helper that misbehaves on purpose, for the Chromium e2e tests of the extension's
// helper client (test/browser/e2e-helper.test.ts). It speaks Chrome's framing itself (not the
// product's src/helper/), answers the handshake like the real helper, and then, per mode:
//   crash      exits with status 1 at the first probe
//   hang       never answers a probe
//   garbage    answers a probe with JSON that is not a reply of the protocol
//   oversized  answers a probe with a 2 MB frame (Chrome drops a host over 1 MB)
//   slow <ms>  runs the real helper and holds each of its replies back by <ms>
import { spawn } from 'node:child_process';
import path from 'node:path';

const [mode, arg] = process.argv.slice(2);
const REPO = path.resolve(import.meta.dirname, '..', '..');

function frame(value) {
  const body = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  return Buffer.concat([head, body]);
}

if (mode === 'slow') {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'dnssec-tlsa-helper.js'), 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  process.stdin.pipe(child.stdin);
  const delay = Number(arg ?? 3000);
  let first = true;
  child.stdout.on('data', (chunk) => {
    // the handshake goes through at once, the probe replies late
    if (first) {
      first = false;
      process.stdout.write(chunk);
    } else setTimeout(() => process.stdout.write(chunk), delay);
  });
  child.on('exit', (code) => setTimeout(() => process.exit(code ?? 0), delay + 100));
} else {
  let buffer = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
      const len = buffer.readUInt32LE(0);
      const msg = JSON.parse(buffer.subarray(4, 4 + len).toString('utf8'));
      buffer = buffer.subarray(4 + len);
      if (msg.type === 'hello') {
        process.stdout.write(frame({ id: msg.id, type: 'hello', protocol: 1, version: `fake-${mode}` }));
        continue;
      }
      if (mode === 'crash') process.exit(1);
      if (mode === 'hang') continue;
      if (mode === 'garbage') process.stdout.write(frame({ id: msg.id, type: 'probe', ok: true, result: 'a certificate, trust me' }));
      if (mode === 'oversized') process.stdout.write(frame({ id: msg.id, type: 'probe', ok: true, pad: 'x'.repeat(2 * 1024 * 1024) }));
    }
  });
  process.stdin.on('end', () => process.exit(0));
}
