/**
 * The extension's side of the native helper (Chrome): one long-lived port
 * (`runtime.connectNative`), opened on first use, with a version handshake, request ids, a
 * timeout per request, and re-opened on the next request after any failure (the helper exited
 * or crashed, sent garbage or an oversized frame, hung). Browser-independent: the port factory,
 * timers and clock are injected, so every failure path is unit-tested.
 */
import {
  HELPER_PROTOCOL_VERSION,
  parseHelperReply,
  type HelperReply,
  type HelperRequest,
  type ProbeErrorCode,
  type ProbeResult,
} from './helper-protocol';

/** The part of `runtime.Port` the client uses. */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: (port: unknown) => void): void };
}

/** Opens a port to the helper; throws when the browser refuses at once (no permission). */
export type ConnectNative = () => NativePort;

/** Why the helper gave no answer (its own probe errors are ProbeErrorCode). */
export type HelperFailure =
  /** No nativeMessaging permission, or the helper is not installed / not allowed for this extension. */
  | 'helper-missing'
  /** The helper speaks another protocol version. */
  | 'helper-outdated'
  /** The helper process exited, crashed, or Chrome dropped it (e.g. a reply over 1 MB). */
  | 'helper-crashed'
  /** The helper did not answer in time. */
  | 'helper-timeout'
  /** The helper answered something that is not a reply of our protocol. */
  | 'helper-garbage';

export type HelperOutcome =
  | { ok: true; result: ProbeResult }
  | { ok: false; error: ProbeErrorCode | HelperFailure; message: string };

export type HelperStatus =
  | { state: 'unknown' }
  | { state: 'ready'; version: string }
  | { state: 'missing'; message: string }
  | { state: 'outdated'; version: string; protocol: number }
  | { state: 'failed'; message: string };

export interface HelperClientOptions {
  /** Per request, from sending to the reply (the helper's own TLS timeout is shorter). */
  timeoutMs: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** The browser's explanation of the last disconnect (chrome.runtime.lastError). */
  lastError?: () => string | undefined;
}

type Pending = { resolve: (reply: HelperReply | HelperOutcome) => void; timer: unknown };

/**
 * Chrome's lastError for a host it cannot start: "Specified native messaging host not found.",
 * "Access to the specified native messaging host is forbidden.", "Failed to start native
 * messaging host." (as opposed to "Native host has exited." and "Error when communicating with
 * the native messaging host.", which come from a running helper).
 */
const MISSING = /not found|forbidden|failed to start/i;

export class HelperClient {
  private port: NativePort | null = null;
  private ready: Promise<HelperStatus> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private current: HelperStatus = { state: 'unknown' };
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(
    private readonly connect: ConnectNative,
    private readonly opts: HelperClientOptions,
  ) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** The last known state of the helper (handshake result or last failure). */
  status(): HelperStatus {
    return this.current;
  }

  /** Opens the port if needed and does the version handshake. */
  hello(): Promise<HelperStatus> {
    if (this.port && this.ready) return this.ready;
    this.ready = this.open();
    return this.ready;
  }

  /** Asks the helper for the certificate chain of host:port at `address` (one of `validated`). */
  async probe(req: Omit<Extract<HelperRequest, { type: 'probe' }>, 'id' | 'type'>): Promise<HelperOutcome> {
    const status = await this.hello();
    if (status.state === 'missing') return { ok: false, error: 'helper-missing', message: status.message };
    if (status.state === 'outdated') {
      return { ok: false, error: 'helper-outdated', message: `the helper ${status.version} speaks protocol ${status.protocol}, the extension ${HELPER_PROTOCOL_VERSION}` };
    }
    if (status.state !== 'ready') return { ok: false, error: 'helper-crashed', message: status.state === 'failed' ? status.message : 'no helper' };
    const reply = await this.request({ type: 'probe', ...req });
    if (!('type' in reply)) return reply; // no reply: timeout, crash
    if (reply.type !== 'probe') return this.garbage(`unexpected ${reply.type} reply to a probe`);
    return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error, message: reply.message };
  }

  /** Closes the port (the helper process exits); the next request opens a new one. */
  close(): void {
    const port = this.port;
    this.port = null;
    this.ready = null;
    this.failAll('helper-crashed', 'the port was closed');
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
  }

  private async open(): Promise<HelperStatus> {
    let port: NativePort;
    try {
      port = this.connect();
    } catch (e) {
      this.ready = null;
      return (this.current = { state: 'missing', message: e instanceof Error ? e.message : String(e) });
    }
    this.port = port;
    port.onMessage.addListener((m) => this.onMessage(port, m));
    port.onDisconnect.addListener(() => this.onDisconnect(port));
    const reply = await this.request({ type: 'hello', protocol: HELPER_PROTOCOL_VERSION });
    if (!('type' in reply)) {
      // No handshake: timed out, or the port died (onDisconnect already said why).
      if (this.port === port) this.close();
      if (reply.ok) return (this.current = { state: 'failed', message: 'no handshake' });
      return reply.error === 'helper-missing' ? this.current : (this.current = { state: 'failed', message: reply.message });
    }
    if (reply.type !== 'hello') {
      this.close();
      return (this.current = { state: 'failed', message: `the helper answered the handshake with ${reply.type}` });
    }
    if (reply.protocol !== HELPER_PROTOCOL_VERSION) {
      this.close();
      return (this.current = { state: 'outdated', version: reply.version, protocol: reply.protocol });
    }
    return (this.current = { state: 'ready', version: reply.version });
  }

  private request(body: Omit<Extract<HelperRequest, { type: 'hello' }>, 'id'> | Omit<Extract<HelperRequest, { type: 'probe' }>, 'id'>): Promise<HelperReply | HelperOutcome> {
    const port = this.port;
    if (!port) return Promise.resolve({ ok: false, error: 'helper-crashed', message: 'no port' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = this.setTimer(() => {
        if (!this.pending.delete(id)) return;
        resolve({ ok: false, error: 'helper-timeout', message: `the helper did not answer within ${this.opts.timeoutMs} ms` });
        // A helper that does not answer may be stuck: the next request gets a fresh process.
        if (this.port === port) this.close();
      }, this.opts.timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        port.postMessage({ id, ...body });
      } catch (e) {
        this.pending.delete(id);
        this.clearTimer(timer);
        resolve({ ok: false, error: 'helper-crashed', message: e instanceof Error ? e.message : String(e) });
      }
    });
  }

  private onMessage(port: NativePort, message: unknown): void {
    if (this.port !== port) return;
    const parsed = parseHelperReply(message);
    if (!parsed.ok) {
      this.garbage(parsed.message);
      return;
    }
    const reply = parsed.value;
    if (reply.id === null) {
      // The helper could not read one of our requests: a protocol fault on one side or the other.
      this.garbage(`the helper could not read a request: ${reply.message}`);
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) return; // answered after its timeout
    this.pending.delete(reply.id);
    this.clearTimer(p.timer);
    p.resolve(reply);
  }

  private onDisconnect(port: NativePort): void {
    if (this.port !== port) return;
    const why = this.opts.lastError?.() ?? 'the helper exited';
    this.port = null;
    this.ready = null;
    if (MISSING.test(why)) {
      this.current = { state: 'missing', message: why };
      this.failAll('helper-missing', why);
    } else {
      this.current = { state: 'failed', message: why };
      this.failAll('helper-crashed', why);
    }
  }

  private garbage(message: string): HelperOutcome {
    const outcome: HelperOutcome = { ok: false, error: 'helper-garbage', message: `the helper sent something that is not a reply: ${message}` };
    this.current = { state: 'failed', message: outcome.message };
    const port = this.port;
    this.port = null;
    this.ready = null;
    this.failAll(outcome.error as HelperFailure, outcome.message);
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
    return outcome;
  }

  private failAll(error: HelperFailure, message: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.clearTimer(p.timer);
      p.resolve({ ok: false, error, message });
    }
  }
}
