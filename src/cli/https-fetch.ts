/**
 * A `FetchLike` for Node built on node:https with an explicit CA and a keep-alive agent.
 * The CLI uses the global fetch (CA via NODE_EXTRA_CA_CERTS, as its contract says); tests and
 * benchmarks use this one so that they can trust the test world's CA without restarting Node.
 */
import { Agent, request } from 'node:https';
import type { FetchLike } from '../core/transport/doh';

export function httpsFetch(opts: { ca?: string | Buffer; keepAlive?: boolean } = {}): FetchLike & { agent: Agent } {
  const agent = new Agent({ ca: opts.ca, keepAlive: opts.keepAlive ?? true, maxSockets: 16 });
  const f = ((input, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(input);
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body) headers['content-length'] = init.body.byteLength;
      const req = request(url, { method: init.method, headers, agent, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300,
            status: res.statusCode ?? 0,
            headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string | undefined) ?? null },
            arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
          });
        });
      });
      req.on('error', reject);
      if (init.body) req.write(init.body);
      req.end();
    })) as FetchLike & { agent: Agent };
  f.agent = agent;
  return f;
}
