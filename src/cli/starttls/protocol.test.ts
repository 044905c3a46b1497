import { describe, expect, it } from 'vitest';
import { STARTTLS_LIMITS } from './limits';
import { starttlsDialog, type DialogStep, type StarttlsDialog } from './protocol';

const enc = new TextEncoder();
/** Feed the server's bytes in the given pieces; collect what the client sent and the outcome. */
function feed(d: StarttlsDialog, pieces: string[]): { sent: string[]; last: DialogStep } {
  const sent = [...d.start().send];
  let last: DialogStep = { send: [] };
  for (const p of pieces) {
    last = d.receive(enc.encode(p));
    sent.push(...last.send);
    if (last.outcome) break;
  }
  return { sent, last };
}

describe('SMTP STARTTLS dialogue (RFC 5321 §4.2, RFC 3207)', () => {
  it('banner, multi-line EHLO reply with STARTTLS, 220: start TLS', () => {
    const d = starttlsDialog('smtp');
    const { sent, last } = feed(d, ['220 mx.test ESMTP\r\n', '250-mx.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n', '220 go ahead\r\n']);
    expect(sent).toEqual(['EHLO localhost\r\n', 'STARTTLS\r\n']);
    expect(last.outcome).toEqual({ kind: 'start-tls' });
    expect(d.starttls).toBe('offered');
    expect(d.banner).toBe('220 mx.test ESMTP');
  });

  it('replies split across packets at any byte give the same dialogue', () => {
    const server = '220-mx.test first\r\n220 second\r\n' + '250-mx.test\r\n250 STARTTLS\r\n' + '220 ready\r\n';
    for (const size of [1, 2, 3, 7]) {
      const d = starttlsDialog('smtp');
      const pieces: string[] = [];
      for (let i = 0; i < server.length; i += size) pieces.push(server.slice(i, i + size));
      const { sent, last } = feed(d, pieces);
      expect(sent, `pieces of ${size}`).toEqual(['EHLO localhost\r\n', 'STARTTLS\r\n']);
      expect(last.outcome).toEqual({ kind: 'start-tls' });
    }
  });

  it('no STARTTLS keyword (the greeting line does not count): not-offered, QUIT', () => {
    const d = starttlsDialog('smtp');
    const { sent, last } = feed(d, ['220 x\r\n', '250-STARTTLS.example greets you\r\n250 SIZE 100\r\n']);
    expect(sent).toEqual(['EHLO localhost\r\n', 'QUIT\r\n']);
    expect(last.outcome).toMatchObject({ kind: 'failed', code: 'not-offered' });
    expect(d.starttls).toBe('not-offered');
  });

  it('454 to STARTTLS: refused', () => {
    const d = starttlsDialog('smtp');
    const { last } = feed(d, ['220 x\r\n', '250-x\r\n250 STARTTLS\r\n', '454 4.7.0 TLS not available due to temporary reason\r\n']);
    expect(last.outcome).toMatchObject({ kind: 'failed', code: 'refused' });
    expect((last.outcome as { reason: string }).reason).toContain('454');
    expect(d.starttls).toBe('refused');
  });

  it('5xx to EHLO and a 554 banner are rejections with the server text', () => {
    const a = feed(starttlsDialog('smtp'), ['220 x\r\n', '550 go away\r\n']).last.outcome;
    expect(a).toMatchObject({ kind: 'failed', code: 'hello-rejected' });
    expect((a as { reason: string }).reason).toContain('550 go away');
    const b = feed(starttlsDialog('smtp'), ['554 no service\r\n']).last.outcome;
    expect(b).toMatchObject({ kind: 'failed', code: 'greeting-rejected' });
  });

  it('an endless multi-line banner ends at the reply limit', () => {
    const d = starttlsDialog('smtp');
    const pieces = ['220-hello\r\n'.repeat(STARTTLS_LIMITS.maxReplyLines + 5)];
    expect(feed(d, pieces).last.outcome).toMatchObject({ kind: 'failed', code: 'too-long' });
  });

  it('an endless line without CRLF ends at the line limit', () => {
    const d = starttlsDialog('smtp');
    const last = d.receive(enc.encode('220 ' + 'x'.repeat(STARTTLS_LIMITS.maxLineOctets + 10)));
    expect(last.outcome).toMatchObject({ kind: 'failed', code: 'too-long' });
  });

  it('closed mid-reply: closed, with the phase in the reason', () => {
    const d = starttlsDialog('smtp');
    feed(d, ['220 x\r\n', '250-x\r\n250-STA']);
    const r = d.closed();
    expect(r.outcome).toMatchObject({ kind: 'failed', code: 'closed' });
    expect((r.outcome as { reason: string }).reason).toContain('EHLO reply');
  });

  it('garbage and changing reply codes are protocol errors', () => {
    expect(feed(starttlsDialog('smtp'), ['HTTP/1.1 400 Bad Request\r\n']).last.outcome).toMatchObject({ code: 'protocol-error' });
    expect(feed(starttlsDialog('smtp'), ['220-a\r\n250 b\r\n']).last.outcome).toMatchObject({ code: 'protocol-error' });
  });

  it('bytes after the 220 to STARTTLS (possible injection) are a protocol error', () => {
    const d = starttlsDialog('smtp');
    const { last } = feed(d, ['220 x\r\n', '250-x\r\n250 STARTTLS\r\n', '220 go\r\n250 injected\r\n']);
    expect(last.outcome).toMatchObject({ kind: 'failed', code: 'protocol-error' });
  });
});

describe('IMAP, POP3, XMPP STARTTLS dialogues', () => {
  it('IMAP CAPABILITY then STARTTLS (RFC 9051 §6.2.1)', () => {
    const d = starttlsDialog('imap');
    const { sent, last } = feed(d, ['* OK ready\r\n', '* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na1 OK done\r\n', 'a2 OK begin TLS\r\n']);
    expect(sent).toEqual(['a1 CAPABILITY\r\n', 'a2 STARTTLS\r\n']);
    expect(last.outcome).toEqual({ kind: 'start-tls' });
    const no = feed(starttlsDialog('imap'), ['* OK ready\r\n', '* CAPABILITY IMAP4rev1\r\na1 OK done\r\n']);
    expect(no.last.outcome).toMatchObject({ code: 'not-offered' });
  });

  it('POP3 CAPA then STLS (RFC 2595 §4)', () => {
    const d = starttlsDialog('pop3');
    const { sent, last } = feed(d, ['+OK pop\r\n', '+OK caps\r\nUSER\r\nSTLS\r\n.\r\n', '+OK begin\r\n']);
    expect(sent).toEqual(['CAPA\r\n', 'STLS\r\n']);
    expect(last.outcome).toEqual({ kind: 'start-tls' });
    expect(feed(starttlsDialog('pop3'), ['+OK pop\r\n', '+OK\r\nUSER\r\n.\r\n', '']).last.outcome).toMatchObject({ code: 'not-offered' });
  });

  it('XMPP stream features with <starttls/>, then <proceed/> (RFC 6120 §5.4)', () => {
    const d = starttlsDialog('xmpp-client', { domain: 'chat.test' });
    const { sent, last } = feed(d, [
      "<?xml version='1.0'?><stream:stream from='chat.test' id='1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
      "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
    ]);
    expect(sent[0]).toContain("to='chat.test'");
    expect(sent[1]).toBe("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    expect(last.outcome).toEqual({ kind: 'start-tls' });
    const refused = feed(starttlsDialog('xmpp-server', { domain: 'chat.test' }), [
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>",
      "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
    ]);
    expect(refused.last.outcome).toMatchObject({ code: 'refused' });
  });
});
