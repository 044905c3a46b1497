import type { Message } from './dnswire.mjs';
export function udpQuery(ip: string, port: number, msg: Buffer, timeoutMs?: number): Promise<Buffer>;
export function tcpQuery(ip: string, port: number, msg: Buffer, timeoutMs?: number): Promise<Buffer>;
export function dnsQuery(
  ip: string,
  port: number,
  name: string,
  type: string,
  opts?: { rd?: boolean; cd?: boolean; dnssecOk?: boolean; timeoutMs?: number },
): Promise<Message>;
export function dohRequest(
  url: string,
  wire: Buffer,
  opts?: { method?: 'GET' | 'POST'; ca?: Buffer | string; timeoutMs?: number },
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>;
export function dohQuery(
  url: string,
  name: string,
  type: string,
  opts?: { method?: 'GET' | 'POST'; ca?: Buffer | string; cd?: boolean; timeoutMs?: number },
): Promise<Message>;
export function closeDohSessions(): void;
