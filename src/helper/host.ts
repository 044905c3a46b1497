/**
 * The native-messaging host loop: frames in (stdin), frames out (stdout), one long-lived port with
 * request ids; probes run concurrently (bounded) and are answered as they finish. Byte streams and
 * the probe are injected, so the loop is tested without a browser.
 */
import { HELPER_PROTOCOL_VERSION, parseHelperRequest, requestId, type HelperReply } from '../shared/helper-protocol';
import { encodeFrame, FrameReader, FrameTooLongError, type ByteOrder } from './framing';
import { HELPER_LIMITS } from './limits';
import type { Probe } from './probe';

export interface HostIo {
  write(frame: Uint8Array): void;
  /** The input is unusable (a length over the limit): stop after the pending replies. */
  fail(message: string): void;
}

export class HelperHost {
  private readonly reader: FrameReader;
  private running = 0;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly io: HostIo,
    private readonly probe: Probe,
    private readonly version: string,
    private readonly order: ByteOrder,
  ) {
    this.reader = new FrameReader(HELPER_LIMITS.maxRequestBytes, order);
  }

  /** Bytes from the browser. */
  push(chunk: Uint8Array): void {
    for (const event of this.reader.push(chunk)) {
      if (event.kind === 'too-long') {
        this.io.fail(`request of ${event.length} bytes exceeds the ${event.limit}-byte limit`);
        return;
      }
      if (event.kind === 'bad-json') {
        this.send({ id: null, type: 'error', error: 'bad-json', message: event.reason });
        continue;
      }
      this.handle(event.value);
    }
  }

  /** Resolves once every probe has been answered. */
  drained(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private handle(message: unknown): void {
    const parsed = parseHelperRequest(message);
    if (!parsed.ok) {
      const id = requestId(message);
      if (id === null) this.send({ id: null, type: 'error', error: 'bad-request', message: parsed.message });
      else this.send({ id, type: 'probe', ok: false, error: 'bad-request', message: parsed.message });
      return;
    }
    const req = parsed.value;
    if (req.type === 'hello') {
      this.send({ id: req.id, type: 'hello', protocol: HELPER_PROTOCOL_VERSION, version: this.version });
      return;
    }
    if (this.running >= HELPER_LIMITS.maxConcurrentProbes) {
      this.send({ id: req.id, type: 'probe', ok: false, error: 'busy', message: `${this.running} probes already running` });
      return;
    }
    this.running++;
    void this.probe(req)
      .catch((e: unknown) => ({ ok: false as const, error: 'connect-failed' as const, message: e instanceof Error ? e.message : String(e) }))
      .then((outcome) => {
        this.send({ id: req.id, type: 'probe', ...outcome });
      })
      .finally(() => {
        this.running--;
        if (this.running === 0) for (const f of this.idle.splice(0)) f();
      });
  }

  private send(reply: HelperReply): void {
    try {
      this.io.write(encodeFrame(reply, HELPER_LIMITS.maxReplyBytes, this.order));
    } catch (e) {
      if (!(e instanceof FrameTooLongError) || reply.id === null) throw e;
      const fallback: HelperReply = { id: reply.id, type: 'probe', ok: false, error: 'reply-too-large', message: e.message };
      this.io.write(encodeFrame(fallback, HELPER_LIMITS.maxReplyBytes, this.order));
    }
  }
}
