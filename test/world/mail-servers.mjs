// Mail servers of the test world (issue #15), run inside servers.mjs: port 25 on each case's
// loopback address. Well-behaved servers use the smtp-server library (nodemailer's); the
// misbehaving ones are small scripts, each doing one bad thing on purpose.
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { SMTPServer } from 'smtp-server';

const SMTP_PORT = 25;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Reads CRLF lines from a plain socket and hands each to `onLine`. */
function lines(sock, onLine) {
  let buf = '';
  const onData = (d) => {
    buf += d.toString('latin1');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      onLine(line);
    }
  };
  sock.on('data', onData);
  return () => sock.off('data', onData);
}

/** One byte per packet (Nagle off, a pause between writes): replies split at every byte. */
async function dribble(sock, text) {
  sock.setNoDelay(true);
  for (const b of Buffer.from(text)) {
    if (sock.destroyed) return;
    sock.write(Buffer.from([b]));
    await sleep(1);
  }
}

const SCRIPTS = {
  /** STARTTLS advertised, then refused with 454 (RFC 3207 §4). */
  'refuse-454': (sock, s) => {
    sock.write(`220 ${s.host} ESMTP scripted\r\n`);
    lines(sock, (l) => {
      const cmd = l.split(' ')[0].toUpperCase();
      if (cmd === 'EHLO') sock.write(`250-${s.host}\r\n250-PIPELINING\r\n250 STARTTLS\r\n`);
      else if (cmd === 'STARTTLS') sock.write('454 4.7.0 TLS not available due to temporary reason\r\n');
      else if (cmd === 'QUIT') sock.end('221 2.0.0 bye\r\n');
      else sock.write('502 5.5.2 not implemented\r\n');
    });
  },
  /** Multi-line replies sent one byte per packet, then a real TLS handshake with the case certificate. */
  split: (sock, s) => {
    const stop = lines(sock, async (l) => {
      const cmd = l.split(' ')[0].toUpperCase();
      if (cmd === 'EHLO') await dribble(sock, `250-${s.host} hello\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n`);
      else if (cmd === 'STARTTLS') {
        stop();
        const reply = '220 2.0.0 ready to start TLS\r\n';
        await dribble(sock, reply.slice(0, -1));
        // the last byte and the TLS wrap in one tick: the ClientHello cannot arrive in between and be lost
        sock.write(reply.slice(-1));
        upgrade(sock, s);
      } else if (cmd === 'QUIT') sock.end('221 bye\r\n');
    });
    void dribble(sock, `220-${s.host} ESMTP scripted\r\n220-this banner has\r\n220 three lines\r\n`);
  },
  /** A banner of continuation lines that never ends. */
  'endless-banner': (sock, s) => {
    const t = setInterval(() => sock.write(`220-${s.host} still greeting you\r\n`), 2);
    sock.on('close', () => clearInterval(t));
  },
  /** 5xx to EHLO. */
  'ehlo-5xx': (sock, s) => {
    sock.write(`220 ${s.host} ESMTP scripted\r\n`);
    lines(sock, (l) => (l.toUpperCase().startsWith('QUIT') ? sock.end('221 bye\r\n') : sock.write('550 5.7.1 we do not talk to you\r\n')));
  },
  /** STARTTLS accepted, then the handshake is never answered. */
  'tls-hang': (sock, s) => {
    sock.write(`220 ${s.host} ESMTP scripted\r\n`);
    const stop = lines(sock, (l) => {
      const cmd = l.split(' ')[0].toUpperCase();
      if (cmd === 'EHLO') sock.write(`250-${s.host}\r\n250 STARTTLS\r\n`);
      else if (cmd === 'STARTTLS') {
        stop();
        sock.write('220 2.0.0 go ahead\r\n');
        sock.on('data', () => {}); // swallow the ClientHello, answer nothing
      }
    });
  },
  /** The connection is closed in the middle of the EHLO reply. */
  'close-mid-reply': (sock, s) => {
    sock.write(`220 ${s.host} ESMTP scripted\r\n`);
    lines(sock, () => {
      sock.write(`250-${s.host}\r\n250-PIPEL`);
      setTimeout(() => sock.destroy(), 20);
    });
  },
  /** Accepts the connection and says nothing. */
  silent: () => {},
  /** IMAP (RFC 9051 §6.2.1): CAPABILITY with STARTTLS, then TLS. */
  imap: (sock, s) => {
    sock.write('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] world IMAP ready\r\n');
    const stop = lines(sock, (l) => {
      const [tag, cmd] = l.split(' ');
      if (cmd?.toUpperCase() === 'CAPABILITY') sock.write(`* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n${tag} OK CAPABILITY completed\r\n`);
      else if (cmd?.toUpperCase() === 'STARTTLS') {
        stop();
        sock.write(`${tag} OK Begin TLS negotiation now\r\n`);
        upgrade(sock, s); // same tick as the reply: no ClientHello can slip past unread
      } else sock.write(`${tag} BAD unknown\r\n`);
    });
  },
  /** POP3 (RFC 2595 §4): CAPA with STLS, then TLS. */
  pop3: (sock, s) => {
    sock.write('+OK world POP3 ready\r\n');
    const stop = lines(sock, (l) => {
      const cmd = l.split(' ')[0].toUpperCase();
      if (cmd === 'CAPA') sock.write('+OK capabilities\r\nUSER\r\nSTLS\r\n.\r\n');
      else if (cmd === 'STLS') {
        stop();
        sock.write('+OK begin TLS\r\n');
        upgrade(sock, s);
      } else sock.write('-ERR unknown\r\n');
    });
  },
  /** XMPP client-to-server (RFC 6120 §5.4): stream features with <starttls/>, <proceed/>, TLS. */
  'xmpp-client': (sock, s) => {
    let text = '';
    const onData = (d) => {
      text += d.toString('utf8');
      if (/<stream:stream\b[^>]*>/.test(text) && !text.includes('<starttls')) {
        text = '';
        sock.write(`<?xml version='1.0'?><stream:stream from='${s.domain}' id='w1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>` +
          "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");
      } else if (text.includes('<starttls')) {
        sock.off('data', onData);
        sock.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        upgrade(sock, s);
      }
    };
    sock.on('data', onData);
  },
};

/** The server side of the TLS handshake on a socket after STARTTLS. */
function upgrade(sock, s) {
  const t = new tls.TLSSocket(sock, { isServer: true, key: fs.readFileSync(s.key), cert: fs.readFileSync(s.chain) });
  t.on('error', () => {});
}

/**
 * Starts every server of `list` (servers.json `smtp`) on its port (25 unless given) of its addresses.
 * Returns one listen promise per socket.
 */
export function startMailServers(list, listen) {
  const waits = [];
  for (const s of list) {
    for (const ip of [s.ip, s.ip6].filter(Boolean)) {
      let server;
      if (s.kind === 'smtp-server') {
        server = new SMTPServer({
          secure: s.implicitTls === true, // TLS from the first byte (submissions, RFC 8314 §3.3)
          name: s.host,
          banner: `world case ${s.id}`,
          key: fs.readFileSync(s.key),
          cert: fs.readFileSync(s.chain),
          // "no STARTTLS": neither advertised nor accepted (hideSTARTTLS alone still accepts the command)
          hideSTARTTLS: s.hideStarttls === true,
          authOptional: true,
          disabledCommands: s.hideStarttls === true ? ['AUTH', 'STARTTLS'] : ['AUTH'],
          logger: false,
          onData(stream, _session, cb) {
            stream.resume();
            stream.on('end', () => cb());
          },
        });
      } else {
        const script = SCRIPTS[s.kind];
        if (!script) throw new Error(`unknown mail server kind ${s.kind} (${s.id})`);
        server = net.createServer((sock) => {
          sock.on('error', () => {});
          script(sock, s);
        });
      }
      server.on('error', () => {});
      waits.push(listen(server, s.port ?? SMTP_PORT, ip));
    }
  }
  return waits;
}
