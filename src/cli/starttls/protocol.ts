/**
 * The plaintext part of STARTTLS dialogues, as pure state machines: bytes in, commands out, and at
 * the end either "start TLS now" or a failure with its reason. No sockets, no timers: the caller
 * (./session.ts) owns the connection and the time-outs, so every path is unit-testable with
 * made-up server bytes.
 *
 *  - SMTP and submission: RFC 5321 §4.2 replies (multi-line with "-"), RFC 3207 STARTTLS.
 *  - IMAP: RFC 9051 §6.1.1 CAPABILITY, §6.2.1 STARTTLS (also RFC 3501).
 *  - POP3: RFC 2449 CAPA, RFC 2595 §4 STLS.
 *  - XMPP: RFC 6120 §5.4 (stream header, <starttls/> in the stream features, <proceed/>).
 *
 * Every reply, line and the whole plaintext dialogue is bounded (./limits.ts). Bytes the server
 * sends after accepting STARTTLS and before the handshake are a protocol error (RFC 3207 §4: the
 * TLS negotiation starts right after the 220 reply; data sent earlier could be injected text).
 */
import { STARTTLS_LIMITS } from './limits';

export const STARTTLS_PROTOCOLS = ['smtp', 'submission', 'imap', 'pop3', 'xmpp-client', 'xmpp-server'] as const;
export type StarttlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** What the server did with STARTTLS. */
export type StarttlsOffer = 'offered' | 'not-offered' | 'refused';

export type DialogFailureCode =
  | 'greeting-rejected' // the banner/greeting is not a welcome (SMTP 554, IMAP BYE, POP3 -ERR)
  | 'hello-rejected' // EHLO / CAPABILITY / CAPA answered with an error
  | 'not-offered' // the capability list has no STARTTLS
  | 'refused' // STARTTLS offered, then refused (SMTP 454, IMAP NO, POP3 -ERR, XMPP <failure/>)
  | 'protocol-error' // malformed reply, or data after the STARTTLS acceptance
  | 'too-long' // a line, reply or the whole dialogue exceeds its limit
  | 'closed'; // the server closed the connection

export type DialogOutcome =
  | { kind: 'start-tls' }
  | { kind: 'failed'; code: DialogFailureCode; reason: string };

export interface DialogStep {
  /** Commands to write, in order. */
  send: string[];
  /** Set when the dialogue is over. */
  outcome?: DialogOutcome;
}

export interface DialogOptions {
  /** SMTP EHLO name (RFC 5321 §4.1.1.1). Default "localhost", as posttls-finger. */
  ehloName?: string;
  /** XMPP: the service domain, the `to` of the stream header (RFC 6120 §4.7.2). */
  domain?: string;
}

export interface StarttlsDialog {
  /** What the dialogue waits for now, in words ("the banner", "the EHLO reply", …). */
  readonly phase: string;
  /** Known once the capabilities were read. */
  readonly starttls: StarttlsOffer | undefined;
  /** The server's first line (banner / greeting), when one arrived. */
  readonly banner: string | undefined;
  /** Called once the connection is open. */
  start(): DialogStep;
  receive(chunk: Uint8Array): DialogStep;
  /** The server closed the connection (or half-closed it). */
  closed(): DialogStep;
}

const decoder = new TextDecoder('latin1');
const printable = (s: string, max = 120) => {
  const t = s.replace(/[^\x20-\x7e]/g, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

/** Splits bytes into lines (LF, optional CR), with the line, reply and dialogue bounds. */
abstract class LineDialog implements StarttlsDialog {
  phase = 'the greeting';
  starttls: StarttlsOffer | undefined;
  banner: string | undefined;
  private buf = '';
  private total = 0;
  private done = false;

  start(): DialogStep {
    return { send: [] };
  }

  receive(chunk: Uint8Array): DialogStep {
    const out: DialogStep = { send: [] };
    if (this.done) return out;
    this.total += chunk.length;
    if (this.total > STARTTLS_LIMITS.maxPlaintextOctets) {
      return this.finish(out, this.fail('too-long', `the server sent more than ${STARTTLS_LIMITS.maxPlaintextOctets} octets before TLS (waiting for ${this.phase})`));
    }
    this.buf += decoder.decode(chunk);
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) break;
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      if (line.length > STARTTLS_LIMITS.maxLineOctets) {
        return this.finish(out, this.fail('too-long', `a line of ${this.phase} is longer than ${STARTTLS_LIMITS.maxLineOctets} octets`));
      }
      const step = this.onLine(line);
      if (step.send) out.send.push(...step.send);
      if (step.outcome) {
        if (step.outcome.kind === 'start-tls' && this.buf.length > 0) {
          return this.finish(out, this.fail('protocol-error', `the server sent ${this.buf.length} octets after accepting STARTTLS, before the TLS handshake (RFC 3207 §4); they could be injected`));
        }
        return this.finish(out, step.outcome);
      }
    }
    if (this.buf.length > STARTTLS_LIMITS.maxLineOctets) {
      return this.finish(out, this.fail('too-long', `a line of ${this.phase} is longer than ${STARTTLS_LIMITS.maxLineOctets} octets`));
    }
    return out;
  }

  closed(): DialogStep {
    if (this.done) return { send: [] };
    const partial = this.buf.length > 0 ? ` in the middle of a line (${this.buf.length} octets of ${this.phase} read)` : ` while waiting for ${this.phase}`;
    return this.finish({ send: [] }, this.fail('closed', `the server closed the connection${partial}`));
  }

  private finish(out: DialogStep, outcome: DialogOutcome): DialogStep {
    this.done = true;
    return { ...out, outcome };
  }

  protected fail(code: DialogFailureCode, reason: string): DialogOutcome {
    return { kind: 'failed', code, reason };
  }

  /** STARTTLS not offered or refused: recorded, the polite goodbye sent, the dialogue failed with `reason`. */
  protected noTls(offer: 'not-offered' | 'refused', goodbye: string, reason: string): { send: string[]; outcome: DialogOutcome } {
    this.starttls = offer;
    return { send: [goodbye], outcome: this.fail(offer, reason) };
  }

  /** STARTTLS accepted: the plain-text part ends, the TLS handshake follows. */
  protected tlsAccepted(): { outcome: DialogOutcome } {
    this.starttls = 'offered';
    this.phase = 'the TLS handshake';
    return { outcome: { kind: 'start-tls' } };
  }

  protected abstract onLine(line: string): { send?: string[]; outcome?: DialogOutcome };
}

/** RFC 5321 §4.2 reply assembly: "250-…" continues, "250 …" (or "250") ends the reply. */
class SmtpReplies {
  lines: string[] = [];
  octets = 0;
  code = '';

  /** null: more lines needed; otherwise the complete reply or an error text. */
  add(line: string): { code: number; lines: string[] } | { error: string; code: DialogFailureCode } | null {
    const m = /^(\d{3})(?:([ -])(.*))?$/.exec(line);
    if (!m) return { error: `not an SMTP reply line: "${printable(line)}" (RFC 5321 §4.2)`, code: 'protocol-error' };
    if (this.lines.length > 0 && m[1] !== this.code) {
      return { error: `reply code changed inside a multi-line reply (${this.code}, then ${m[1]}; RFC 5321 §4.2.1)`, code: 'protocol-error' };
    }
    this.code = m[1];
    this.lines.push(m[3] ?? '');
    this.octets += line.length + 2;
    if (this.lines.length > STARTTLS_LIMITS.maxReplyLines) return { error: `a reply of more than ${STARTTLS_LIMITS.maxReplyLines} lines`, code: 'too-long' };
    if (this.octets > STARTTLS_LIMITS.maxReplyOctets) return { error: `a reply of more than ${STARTTLS_LIMITS.maxReplyOctets} octets`, code: 'too-long' };
    if (m[2] === '-') return null;
    const done = { code: Number(this.code), lines: this.lines };
    this.lines = [];
    this.octets = 0;
    this.code = '';
    return done;
  }
}

class SmtpDialog extends LineDialog {
  private replies = new SmtpReplies();
  private step: 'banner' | 'ehlo' | 'starttls' = 'banner';
  override phase = 'the banner';

  constructor(private readonly ehloName: string) {
    super();
  }

  protected onLine(line: string) {
    const r = this.replies.add(line);
    if (r === null) return {};
    if ('error' in r) return { outcome: this.fail(r.code, `${r.error}, in ${this.phase}`) };
    const text = `${r.code} ${printable(r.lines.join(' / '))}`;
    switch (this.step) {
      case 'banner':
        this.banner = `${r.code} ${printable(r.lines[0] ?? '')}`;
        if (r.code !== 220) return { send: ['QUIT\r\n'], outcome: this.fail('greeting-rejected', `the server greets with ${text}, not 220 (RFC 5321 §4.3.2)`) };
        this.step = 'ehlo';
        this.phase = 'the EHLO reply';
        return { send: [`EHLO ${this.ehloName}\r\n`] };
      case 'ehlo':
        if (r.code !== 250) return { send: ['QUIT\r\n'], outcome: this.fail('hello-rejected', `the server answers EHLO with ${text}`) };
        // The first line is the greeting; each further line is one EHLO keyword (RFC 5321 §4.1.1.1).
        if (!r.lines.slice(1).some((l) => l.trim().split(/\s+/)[0].toUpperCase() === 'STARTTLS')) {
          return this.noTls('not-offered', 'QUIT\r\n', 'the server does not offer STARTTLS in its EHLO reply (RFC 3207 §4)');
        }
        this.step = 'starttls';
        this.phase = 'the STARTTLS reply';
        return { send: ['STARTTLS\r\n'] };
      case 'starttls':
        if (r.code !== 220) {
          return this.noTls('refused', 'QUIT\r\n', `the server offers STARTTLS but answers it with ${text} (RFC 3207 §4)`);
        }
        return this.tlsAccepted();
    }
  }
}

class ImapDialog extends LineDialog {
  private step: 'greeting' | 'capability' | 'starttls' = 'greeting';
  private caps: string[] = [];
  private replyLines = 0;

  protected onLine(line: string) {
    if (++this.replyLines > STARTTLS_LIMITS.maxReplyLines) return { outcome: this.fail('too-long', `more than ${STARTTLS_LIMITS.maxReplyLines} lines in ${this.phase}`) };
    const upper = line.toUpperCase();
    switch (this.step) {
      case 'greeting': {
        this.banner = printable(line);
        if (upper.startsWith('* PREAUTH')) return { outcome: this.fail('greeting-rejected', 'the server greets with PREAUTH: STARTTLS is not allowed in the authenticated state (RFC 9051 §6.2.1)') };
        if (!upper.startsWith('* OK')) return { outcome: this.fail('greeting-rejected', `the server greets with "${printable(line)}", not "* OK" (RFC 9051 §7.1)`) };
        this.step = 'capability';
        this.phase = 'the CAPABILITY reply';
        this.replyLines = 0;
        return { send: ['a1 CAPABILITY\r\n'] };
      }
      case 'capability': {
        if (upper.startsWith('* CAPABILITY ')) this.caps.push(...upper.slice(13).split(/\s+/));
        if (!upper.startsWith('A1 ')) return {};
        if (!upper.startsWith('A1 OK')) return { outcome: this.fail('hello-rejected', `the server answers CAPABILITY with "${printable(line)}"`) };
        if (!this.caps.includes('STARTTLS')) {
          return this.noTls('not-offered', 'a9 LOGOUT\r\n', 'the server does not list STARTTLS in its capabilities (RFC 9051 §6.2.1)');
        }
        this.step = 'starttls';
        this.phase = 'the STARTTLS reply';
        this.replyLines = 0;
        return { send: ['a2 STARTTLS\r\n'] };
      }
      case 'starttls': {
        if (!upper.startsWith('A2 ')) return {};
        if (!upper.startsWith('A2 OK')) {
          return this.noTls('refused', 'a9 LOGOUT\r\n', `the server answers STARTTLS with "${printable(line)}"`);
        }
        return this.tlsAccepted();
      }
    }
  }
}

class Pop3Dialog extends LineDialog {
  private step: 'greeting' | 'capa' | 'capa-lines' | 'stls' = 'greeting';
  private caps: string[] = [];

  protected onLine(line: string) {
    switch (this.step) {
      case 'greeting':
        this.banner = printable(line);
        if (!line.startsWith('+OK')) return { outcome: this.fail('greeting-rejected', `the server greets with "${printable(line)}", not "+OK" (RFC 1939 §4)`) };
        this.step = 'capa';
        this.phase = 'the CAPA reply';
        return { send: ['CAPA\r\n'] };
      case 'capa':
        if (!line.startsWith('+OK')) return { outcome: this.fail('hello-rejected', `the server answers CAPA with "${printable(line)}" (RFC 2449 §5)`) };
        this.step = 'capa-lines';
        return {};
      case 'capa-lines':
        if (line !== '.') {
          if (this.caps.length >= STARTTLS_LIMITS.maxReplyLines) return { outcome: this.fail('too-long', `a CAPA reply of more than ${STARTTLS_LIMITS.maxReplyLines} lines`) };
          this.caps.push(line.trim().split(/\s+/)[0].toUpperCase());
          return {};
        }
        if (!this.caps.includes('STLS')) {
          return this.noTls('not-offered', 'QUIT\r\n', 'the server does not list STLS in its CAPA reply (RFC 2595 §4)');
        }
        this.step = 'stls';
        this.phase = 'the STLS reply';
        return { send: ['STLS\r\n'] };
      case 'stls':
        if (!line.startsWith('+OK')) {
          return this.noTls('refused', 'QUIT\r\n', `the server answers STLS with "${printable(line)}" (RFC 2595 §4)`);
        }
        return this.tlsAccepted();
    }
  }
}

const XMPP_TLS_NS = 'urn:ietf:params:xml:ns:xmpp-tls';

/** XMPP (RFC 6120 §5.4.2): no lines, a stream of XML; scanned for the few elements we need. */
class XmppDialog implements StarttlsDialog {
  phase = 'the stream header';
  starttls: StarttlsOffer | undefined;
  banner: string | undefined;
  private text = '';
  private step: 'features' | 'proceed' = 'features';
  private done = false;

  constructor(
    private readonly ns: 'jabber:client' | 'jabber:server',
    private readonly domain: string,
  ) {}

  start(): DialogStep {
    const to = this.domain.replace(/['<>&"]/g, '');
    return { send: [`<?xml version='1.0'?><stream:stream to='${to}' version='1.0' xmlns='${this.ns}' xmlns:stream='http://etherx.jabber.org/streams'>`] };
  }

  receive(chunk: Uint8Array): DialogStep {
    if (this.done) return { send: [] };
    this.text += decoder.decode(chunk);
    if (this.text.length > STARTTLS_LIMITS.maxPlaintextOctets) {
      return this.end({ kind: 'failed', code: 'too-long', reason: `the server sent more than ${STARTTLS_LIMITS.maxPlaintextOctets} octets before TLS (waiting for ${this.phase})` });
    }
    if (/<(?:stream:)?error[\s>/]/.test(this.text)) {
      return this.end({ kind: 'failed', code: 'greeting-rejected', reason: `the server sent a stream error: ${printable(this.text.slice(this.text.search(/<(?:stream:)?error/)), 200)} (RFC 6120 §4.9)` });
    }
    if (this.step === 'features') {
      const header = /<stream:stream\b[^>]*>/.exec(this.text);
      if (header) this.banner ??= printable(header[0], 200);
      const end = this.text.indexOf('</stream:features>');
      const empty = /<stream:features\s*\/>/.exec(this.text);
      if (end < 0 && !empty) {
        this.phase = header ? 'the stream features' : 'the stream header';
        return { send: [] };
      }
      const features = empty ? empty[0] : this.text.slice(this.text.indexOf('<stream:features'), end);
      this.text = '';
      if (!new RegExp(`<starttls\\s[^>]*xmlns=['"]${XMPP_TLS_NS}['"]`).test(features)) {
        this.starttls = 'not-offered';
        return this.end({ kind: 'failed', code: 'not-offered', reason: 'the server does not offer <starttls/> in its stream features (RFC 6120 §5.4.1)' }, ['</stream:stream>']);
      }
      this.step = 'proceed';
      this.phase = 'the STARTTLS reply';
      return { send: [`<starttls xmlns='${XMPP_TLS_NS}'/>`] };
    }
    const proceed = /<proceed\b[^>]*\/>|<proceed\b[^>]*>\s*<\/proceed>/.exec(this.text);
    if (proceed) {
      const rest = this.text.slice(proceed.index + proceed[0].length);
      if (rest.trim().length > 0) return this.end({ kind: 'failed', code: 'protocol-error', reason: 'the server sent data after <proceed/>, before the TLS handshake (RFC 6120 §5.4.3.3)' });
      this.starttls = 'offered';
      this.phase = 'the TLS handshake';
      return this.end({ kind: 'start-tls' });
    }
    if (/<failure\b/.test(this.text)) {
      this.starttls = 'refused';
      return this.end({ kind: 'failed', code: 'refused', reason: 'the server offers STARTTLS but answers it with <failure/> (RFC 6120 §5.4.2.2)' });
    }
    return { send: [] };
  }

  closed(): DialogStep {
    if (this.done) return { send: [] };
    return this.end({ kind: 'failed', code: 'closed', reason: `the server closed the connection while waiting for ${this.phase}` });
  }

  private end(outcome: DialogOutcome, send: string[] = []): DialogStep {
    this.done = true;
    return { send, outcome };
  }
}

/** A fresh dialogue for one connection. */
export function starttlsDialog(protocol: StarttlsProtocol, opts: DialogOptions = {}): StarttlsDialog {
  switch (protocol) {
    case 'smtp':
    case 'submission':
      return new SmtpDialog(opts.ehloName ?? 'localhost');
    case 'imap':
      return new ImapDialog();
    case 'pop3':
      return new Pop3Dialog();
    case 'xmpp-client':
      return new XmppDialog('jabber:client', opts.domain ?? '');
    case 'xmpp-server':
      return new XmppDialog('jabber:server', opts.domain ?? '');
  }
}
