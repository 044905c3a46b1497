/**
 * The Node session driver against tiny in-process servers on 127.0.0.1 (ephemeral ports, no world):
 * every way a server can stall ends with the step that stalled and the time-out, never a hang.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from './session';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function serve(onConnection: (sock: Socket) => void): Promise<number> {
  const srv = createServer((sock) => {
    sock.on('error', () => {});
    onConnection(sock);
  });
  servers.push(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)));
}

const STEP = 300;
const open = (port: number) => openSession({ address: '127.0.0.1', port, servername: 'mx.test', protocol: 'smtp', stepTimeoutMs: STEP });

describe('openSession (SMTP)', () => {
  it('a silent server: unreachable, waiting for the banner', async () => {
    const port = await serve(() => {});
    const r = await open(port);
    expect(r).toMatchObject({ end: 'unreachable', starttls: null });
    expect(r.reason).toBe(`the banner did not arrive from 127.0.0.1:${port} within ${STEP} ms`);
  });

  it('STARTTLS accepted, then no handshake: tls-failed', async () => {
    const port = await serve((sock) => {
      sock.write('220 mx.test\r\n');
      sock.on('data', (d) => {
        const t = d.toString();
        if (t.startsWith('EHLO')) sock.write('250-mx.test\r\n250 STARTTLS\r\n');
        else if (t.startsWith('STARTTLS')) sock.write('220 go\r\n');
      });
    });
    const r = await open(port);
    expect(r).toMatchObject({ end: 'tls-failed', starttls: 'offered', banner: '220 mx.test' });
    expect(r.reason).toContain(`the TLS handshake did not arrive from 127.0.0.1:${port} within ${STEP} ms`);
  });

  it('not offered: no-starttls, with the server banner kept', async () => {
    const port = await serve((sock) => {
      sock.write('220 plain.test ESMTP\r\n');
      sock.on('data', (d) => {
        if (d.toString().startsWith('EHLO')) sock.write('250-plain.test\r\n250 SIZE 1000\r\n');
      });
    });
    const r = await open(port);
    expect(r).toMatchObject({ end: 'no-starttls', starttls: 'not-offered', banner: '220 plain.test ESMTP' });
  });

  it('closed mid-reply and refused connections: unreachable with the cause', async () => {
    const port = await serve((sock) => sock.end('220-mx.test\r\n220-and th'));
    const r = await open(port);
    expect(r.end).toBe('unreachable');
    expect(r.reason).toContain('closed the connection in the middle of a line');
    servers.splice(0).forEach((s) => s.close());
    const gone = await open(port);
    expect(gone.end).toBe('unreachable');
    expect(gone.reason).toMatch(/ECONNREFUSED/);
  });
});
