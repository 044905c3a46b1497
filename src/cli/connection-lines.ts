/**
 * Human output of the STARTTLS checks (issue #15): one line per address and the rollover verdict.
 * Kept apart from mail-connect.ts so that printing loads no certificate code (start-up time).
 */
import type { MailHostConnect } from './mail-connect';
import type { ServiceResult } from './service-connect';

/** One line per address, below the host's dane line, and the rollover line; nothing without `--connect`. */
export function connectionLines(host: object, colour: (s: string) => string): string[] {
  const h = host as Partial<MailHostConnect>;
  if (!h.connections) return [];
  const lines = h.connections.map((c) => {
    const tls = c.tls ? ` ${c.tls.version}` : '';
    return `           ${c.address.includes(':') ? `[${c.address}]` : c.address}:${c.port} starttls ${c.starttls ?? '-'}${tls}: ${colour(c.dane)}: ${c.reason}`;
  });
  if (h.rollover) lines.push(`           rollover ${colour(h.rollover)}: ${h.rolloverReason}`);
  return lines;
}

/** Host check with `--starttls`: the SRV step (XMPP), then the connection lines; nothing otherwise. */
export function serviceLines(result: object): string[] {
  const r = result as Partial<ServiceResult>;
  if (!r.service) return [];
  const srv = r.service.srv;
  const lines = srv ? [`  srv      ${srv.state} ${srv.result} at ${srv.name}${srv.target ? ` → ${srv.target}:${srv.port}` : ''}`] : [];
  return [...lines, ...connectionLines(r, (s) => s)];
}
