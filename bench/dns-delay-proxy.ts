/**
 * A tiny plain-DNS delay proxy for the benchmark: UDP and TCP on one loopback address and port,
 * each query sleeps `delayMs` and is then forwarded to a world resolver's port 53 (UDP → UDP,
 * TCP → TCP), so that delv / unbound-host see the same per-query round trip as our DoH client sees
 * through the front's /delay/<ms>/ path. Loopback only: both ends are checked to be in 127.0.0.0/8.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface ProxyStats {
  total: number;
  udp: number;
  tcp: number;
  byType: Record<string, number>;
  names: string[];
}

export interface DelayProxy {
  host: string;
  port: number;
  delayMs: number;
  stats: ProxyStats;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function assertLoopback(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`refusing non-loopback address ${ip}`);
}

/** First question of a DNS message as "name/type" (no compression in questions of queries). */
function question(buf: Buffer): { name: string; type: number } | null {
  try {
    let o = 12;
    const labels: string[] = [];
    while (buf[o] !== 0) {
      const len = buf[o];
      if (len > 63) return null;
      labels.push(buf.subarray(o + 1, o + 1 + len).toString('latin1'));
      o += len + 1;
    }
    return { name: labels.join('.') + '.', type: buf.readUInt16BE(o + 1) };
  } catch {
    return null;
  }
}

function udpForward(host: string, port: number, msg: Buffer, timeoutMs = 4000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      reject(new Error('upstream UDP timeout'));
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.on('error', (e) => {
      clearTimeout(t);
      s.close();
      reject(e);
    });
    s.send(msg, port, host);
  });
}

function tcpForward(host: string, port: number, msg: Buffer, timeoutMs = 4000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let have = 0;
    const t = setTimeout(() => {
      c.destroy();
      reject(new Error('upstream TCP timeout'));
    }, timeoutMs);
    c.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      c.write(Buffer.concat([len, msg]));
    });
    c.on('data', (d) => {
      chunks.push(d);
      have += d.length;
      const all = Buffer.concat(chunks);
      if (have >= 2 && have >= 2 + all.readUInt16BE(0)) {
        clearTimeout(t);
        c.end();
        resolve(all.subarray(2, 2 + all.readUInt16BE(0)));
      }
    });
    c.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/** Start UDP + TCP listeners on `host` (port chosen by the OS, same number for both). */
export async function startDelayProxy(opts: { host: string; upstream: string; upstreamPort?: number; delayMs: number }): Promise<DelayProxy> {
  assertLoopback(opts.host);
  assertLoopback(opts.upstream);
  const upPort = opts.upstreamPort ?? 53;
  const stats: ProxyStats = { total: 0, udp: 0, tcp: 0, byType: {}, names: [] };
  const count = (msg: Buffer, proto: 'udp' | 'tcp') => {
    stats.total++;
    stats[proto]++;
    const q = question(msg);
    if (q) {
      stats.byType[q.type] = (stats.byType[q.type] ?? 0) + 1;
      stats.names.push(`${q.name}/${q.type}`);
    }
  };
  const proxy: DelayProxy = {
    host: opts.host,
    port: 0,
    delayMs: opts.delayMs,
    stats,
    reset() {
      Object.assign(stats, { total: 0, udp: 0, tcp: 0, byType: {}, names: [] });
    },
    close: async () => {},
  };

  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((res, rej) => {
      udp.once('error', rej);
      udp.bind(0, opts.host, () => res());
    });
    const port = udp.address().port;
    const tcp = net.createServer({ noDelay: true }, (sock) => {
      let buf = Buffer.alloc(0);
      sock.on('error', () => {});
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + msg.length);
          count(msg, 'tcp');
          void (async () => {
            await sleep(proxy.delayMs);
            try {
              const r = await tcpForward(opts.upstream, upPort, Buffer.from(msg));
              const len = Buffer.alloc(2);
              len.writeUInt16BE(r.length);
              if (!sock.destroyed) sock.write(Buffer.concat([len, r]));
            } catch {
              /* the client times out and retries, as with a lost packet */
            }
          })();
        }
      });
    });
    const ok = await new Promise<boolean>((res) => {
      tcp.once('error', () => res(false));
      tcp.listen(port, opts.host, () => res(true));
    });
    if (!ok) {
      udp.close();
      if (attempt > 20) throw new Error('no free port for the delay proxy');
      continue;
    }
    udp.on('message', (msg, rinfo) => {
      count(msg, 'udp');
      void (async () => {
        await sleep(proxy.delayMs);
        try {
          const r = await udpForward(opts.upstream, upPort, msg);
          udp.send(r, rinfo.port, rinfo.address);
        } catch {
          /* dropped, like a lost packet */
        }
      })();
    });
    proxy.port = port;
    proxy.close = () =>
      new Promise<void>((res) => {
        udp.close();
        tcp.close(() => res());
      });
    return proxy;
  }
}
