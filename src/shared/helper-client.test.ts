/**
 * The extension side of the helper against misbehaving helpers. The well-behaved one is the real
 * host loop (src/helper/host.ts) behind a port that passes messages through JSON and Chrome's
 * framing, as the browser does; the others are what a broken or hostile helper can do to a port.
 */
import { describe, expect, it, vi } from 'vitest';
import { encodeFrame, FrameReader } from '../helper/framing';
import { HelperHost } from '../helper/host';
import { makeProbe } from '../helper/probe';
import { HelperClient, type NativePort } from './helper-client';

type Peer = (message: Record<string, unknown>, port: FakePort) => void;

class FakePort implements NativePort {
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: ((p: unknown) => void)[] = [];
  disconnected = false;
  constructor(private readonly peer: Peer) {}
  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
    queueMicrotask(() => this.peer(copy, this));
  }
  disconnect(): void {
    this.disconnected = true;
  }
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: (p: unknown) => void) => void this.disconnectListeners.push(l) };
  /** The helper's side: a reply (JSON-copied like Chrome does). */
  reply(m: unknown): void {
    if (!this.disconnected) for (const l of this.messageListeners) l(JSON.parse(JSON.stringify(m)));
  }
  /** The helper's side goes away; Chrome sets lastError before onDisconnect. */
  drop(): void {
    if (this.disconnected) return;
    this.disconnected = true;
    for (const l of this.disconnectListeners) l(this);
  }
}

/** A port whose far end is the real host loop: requests framed in, replies framed out. */
function realHelperPeer(): Peer {
  const reader = new FrameReader(1 << 20, 'LE');
  let port: FakePort | null = null;
  const host = new HelperHost(
    {
      write: (frame) => {
        for (const e of reader.push(frame)) if (e.kind === 'message') port?.reply(e.value);
      },
      fail: () => port?.drop(),
    },
    makeProbe(),
    '0.1.0',
    'LE',
  );
  return (m, p) => {
    port = p;
    host.push(encodeFrame(m, 1 << 26, 'LE'));
  };
}

const probeReq = { host: 'www.example.test', port: 443, validated: ['192.0.2.1'], address: '192.0.2.99' };

function client(peers: Peer[], lastError: { value?: string } = {}, timeoutMs = 1000) {
  let opened = 0;
  const ports: FakePort[] = [];
  const c = new HelperClient(
    () => {
      const peer = peers[Math.min(opened, peers.length - 1)];
      opened++;
      const p = new FakePort(peer);
      ports.push(p);
      return p;
    },
    { timeoutMs, lastError: () => lastError.value },
  );
  return { c, ports, opened: () => opened };
}

const hello: Peer = (m, p) => {
  if (m.type === 'hello') p.reply({ id: m.id, type: 'hello', protocol: 1, version: '0.1.0' });
};

describe('HelperClient', () => {
  it('shakes hands once and passes the real helper\'s answers through, on one port', async () => {
    const { c, opened } = client([realHelperPeer()]);
    expect(await c.hello()).toEqual({ state: 'ready', version: '0.1.0' });
    const a = await c.probe(probeReq);
    const b = await c.probe({ ...probeReq, address: 'www.example.test' });
    expect(a).toMatchObject({ ok: false, error: 'address-not-validated' });
    expect(b).toMatchObject({ ok: false, error: 'address-not-validated' });
    expect(opened()).toBe(1);
  });

  it('no permission (connectNative throws) → helper-missing', async () => {
    const c = new HelperClient(() => {
      throw new TypeError('chrome.runtime.connectNative is not a function');
    }, { timeoutMs: 100 });
    expect(await c.probe(probeReq)).toMatchObject({ ok: false, error: 'helper-missing' });
    expect(c.status()).toMatchObject({ state: 'missing' });
  });

  it('not installed (Chrome disconnects with "not found") → helper-missing, asked again next time', async () => {
    const err = { value: 'Specified native messaging host not found.' };
    const { c, opened } = client([(_m, p) => p.drop()], err);
    expect(await c.probe(probeReq)).toEqual({ ok: false, error: 'helper-missing', message: err.value });
    expect(c.status()).toEqual({ state: 'missing', message: err.value });
    await c.probe(probeReq);
    expect(opened()).toBe(2);
  });

  it('another protocol version → helper-outdated, with both versions', async () => {
    const { c } = client([(m, p) => p.reply({ id: m.id, type: 'hello', protocol: 0, version: '0.0.1' })]);
    expect(await c.hello()).toEqual({ state: 'outdated', version: '0.0.1', protocol: 0 });
    expect(await c.probe(probeReq)).toMatchObject({ ok: false, error: 'helper-outdated', message: expect.stringMatching(/0\.0\.1 speaks protocol 0/) });
  });

  it('a helper that crashes during a probe → helper-crashed; the next probe opens a new port', async () => {
    const err = { value: 'Native host has exited.' };
    const crashing: Peer = (m, p) => (m.type === 'hello' ? hello(m, p) : p.drop());
    const { c, opened, ports } = client([crashing, realHelperPeer()], err);
    expect(await c.probe(probeReq)).toEqual({ ok: false, error: 'helper-crashed', message: err.value });
    expect(c.status()).toEqual({ state: 'failed', message: err.value });
    expect(await c.probe(probeReq)).toMatchObject({ ok: false, error: 'address-not-validated' });
    expect(opened()).toBe(2);
    expect(ports[0].disconnected).toBe(true);
  });

  it('a helper that hangs → helper-timeout, its port closed, a fresh one next time; a late answer is ignored', async () => {
    vi.useFakeTimers();
    try {
      let late: (() => void) | null = null;
      const hanging: Peer = (m, p) => {
        if (m.type === 'hello') return hello(m, p);
        late = () => p.reply({ id: m.id, type: 'probe', ok: false, error: 'timeout', message: 'late' });
      };
      const { c, opened, ports } = client([hanging, hello], {}, 500);
      const pending = c.probe(probeReq);
      await vi.advanceTimersByTimeAsync(500);
      expect(await pending).toEqual({ ok: false, error: 'helper-timeout', message: 'the helper did not answer within 500 ms' });
      expect(ports[0].disconnected).toBe(true);
      late!();
      expect(await c.hello()).toEqual({ state: 'ready', version: '0.1.0' });
      expect(opened()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a helper that never shakes hands → failed, not ready', async () => {
    vi.useFakeTimers();
    try {
      const { c } = client([() => undefined], {}, 300);
      const status = c.hello();
      await vi.advanceTimersByTimeAsync(300);
      expect(await status).toEqual({ state: 'failed', message: 'the helper did not answer within 300 ms' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('garbage instead of a reply → helper-garbage, port dropped, re-opened next time', async () => {
    const garbage: Peer = (m, p) => (m.type === 'hello' ? hello(m, p) : p.reply({ id: m.id, type: 'probe', ok: true, result: { chain: 'x' } }));
    const { c, opened, ports } = client([garbage, hello]);
    expect(await c.probe(probeReq)).toMatchObject({ ok: false, error: 'helper-garbage', message: expect.stringContaining('bad probe result') });
    expect(ports[0].disconnected).toBe(true);
    await c.hello();
    expect(opened()).toBe(2);
  });

  it('an answer to a request never made, or a hello answered with a probe reply, is garbage', async () => {
    const wrongType: Peer = (m, p) => p.reply({ id: m.id, type: 'probe', ok: false, error: 'busy', message: 'x' });
    const { c } = client([wrongType]);
    expect(await c.hello()).toMatchObject({ state: 'failed', message: expect.stringMatching(/handshake with probe/) });
  });

  it('Chrome dropping the helper for an oversized or malformed frame → helper-crashed with Chrome\'s reason', async () => {
    const err = { value: 'Error when communicating with the native messaging host.' };
    const oversized: Peer = (m, p) => (m.type === 'hello' ? hello(m, p) : p.drop());
    const { c } = client([oversized], err);
    expect(await c.probe(probeReq)).toEqual({ ok: false, error: 'helper-crashed', message: err.value });
  });
});
