export interface RR {
  name: string;
  type: string;
  class: number;
  ttl: number;
  rdata: Buffer;
  data?: unknown;
}
export interface Message {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: string;
  question: { name: string; type: string; class: number }[];
  answer: RR[];
  authority: RR[];
  additional: RR[];
}
export const TYPES: Record<string, number>;
export const RCODES: string[];
export function typeName(t: number): string;
export function encodeQuery(
  name: string,
  type?: string | number,
  opts?: { id?: number; rd?: boolean; cd?: boolean; dnssecOk?: boolean; udpSize?: number },
): Buffer;
export function decodeMessage(buf: Uint8Array): Message;
export function parseQuestion(buf: Uint8Array): { name: string; type: string; cd: boolean; id: number };
export function b64url(buf: Uint8Array): string;
export function fromB64url(s: string): Buffer;
