/**
 * `check`: the validator core in Node. Contract (issue #4, keep exactly; extend only):
 *   check <host> [--port 443] [--resolver <DoH URL>] [--trust-anchor <file>] [--json] [--connect]
 *   check --mx <domain> [same options]: the mail servers of a domain and their DANE state (RFC 7672)
 * Exit status 0 whenever a verdict was reached; 2 for bad arguments or unreadable anchors,
 * 3 when the resolver could not be reached at all.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseNegativeAnchors, parseTrustAnchors, BUILTIN_ANCHORS, type TrustAnchor } from '../core/dnssec/anchors';
import { toCheckResult, validateHost, type CheckResult } from '../core/check';
import { Validator } from '../core/dnssec/validator';
import { DohClient, validateDohUrl, type DohResult } from '../core/transport/doh';
import { httpsFetch } from './https-fetch';
import { parseName } from '../core/wire/name';
import { rdataToString, typeFromString, typeToString } from '../core/wire/present';
import type { LookupResult } from '../core/dnssec/result';
import { connectAndMatch } from './connect';
import { checkMail, type MailResult } from '../core/mail';

export const DEFAULT_RESOLVER = 'https://cloudflare-dns.com/dns-query';

const USAGE =
  'usage: check <host> [--type <TYPE>] [--port 443] [--resolver <DoH URL>] [--trust-anchor <file>] [--negative-anchor <domain>]... [--now <ISO time>] [--json] [--connect]\n' +
  '       check --mx <domain> [--resolver <DoH URL>] [--trust-anchor <file>] [--negative-anchor <domain>]... [--now <ISO time>] [--json]';

class UsageError extends Error {}

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function main(argv: string[], io: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let opts;
  try {
    opts = parseCli(argv);
  } catch (e) {
    io.err(`check: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let anyAnswer = false;
  let lastError = '';
  const fetch = httpsFetch();
  const doh = new DohClient({ urls: [opts.resolver], method: opts.method, fetch });
  const resolver = {
    async query(name: string, type: number): Promise<DohResult> {
      const r = await doh.query(name, type);
      if (r.ok || r.error.kind === 'malformed') anyAnswer = true;
      else lastError = r.error.message;
      return r;
    },
  };
  const now = opts.now;
  const validator = new Validator({ resolver, anchors: opts.anchors, negativeAnchors: opts.negativeAnchors, now: now ? () => now : undefined });
  const started = performance.now();
  if (opts.mx) {
    // `check --mx <domain>`: MX hosts, their address state and _25._tcp TLSA (RFC 7672, issue #9).
    const r = await checkMail(validator, opts.host);
    fetch.close();
    if (!anyAnswer) {
      io.err(`check: resolver ${opts.resolver} unreachable: ${lastError}\n`);
      return 3;
    }
    r.elapsedMs = Math.round(performance.now() - started);
    io.out(opts.json ? JSON.stringify(r, null, 2) + '\n' : humanMail(r, process.stdout.isTTY === true));
    return 0;
  }
  if (opts.type !== undefined) {
    // `check --type <TYPE> <name>`: one validated lookup of any type, like delv (issue #10).
    const r = await validator.lookup(opts.host, opts.type);
    fetch.close();
    if (!anyAnswer) {
      io.err(`check: resolver ${opts.resolver} unreachable: ${lastError}\n`);
      return 3;
    }
    const out = lookupJson(r, performance.now() - started);
    io.out(opts.json ? JSON.stringify(out, null, 2) + '\n' : humanLookup(out, process.stdout.isTTY === true));
    return 0;
  }
  const verdict = await validateHost(validator, opts.host, opts.port);
  fetch.close();
  if (!anyAnswer) {
    io.err(`check: resolver ${opts.resolver} unreachable: ${lastError}\n`);
    return 3;
  }
  let result = toCheckResult(opts.hostText, opts.port, verdict, performance.now() - started);
  if (opts.connect) result = await connectAndMatch(result, verdict, { now: now ? new Date(now) : undefined });
  result.elapsedMs = Math.round(performance.now() - started);
  io.out(opts.json ? JSON.stringify(result, null, 2) + '\n' : human(result, process.stdout.isTTY === true));
  return 0;
}

interface CliOptions {
  host: string;
  hostText: string;
  port: number;
  resolver: string;
  method: 'GET' | 'POST';
  anchors: readonly TrustAnchor[];
  negativeAnchors: string[];
  now?: number;
  json: boolean;
  connect: boolean;
  type?: number;
  /** `--mx <domain>`: `host` is the mail domain. */
  mx?: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '443' },
      resolver: { type: 'string', default: DEFAULT_RESOLVER },
      method: { type: 'string', default: 'POST' },
      'trust-anchor': { type: 'string' },
      'negative-anchor': { type: 'string', multiple: true },
      now: { type: 'string' },
      json: { type: 'boolean', default: false },
      connect: { type: 'boolean', default: false },
      type: { type: 'string' },
      mx: { type: 'string' },
    },
  });
  const mx = values.mx !== undefined;
  if (mx) {
    if (positionals.length !== 0) throw new UsageError('--mx takes the mail domain; no other host name is allowed');
    if (values.type !== undefined || values.connect) throw new UsageError('--mx cannot be combined with --type or --connect');
  } else if (positionals.length !== 1) throw new UsageError('exactly one host name is needed');
  const given = mx ? values.mx! : positionals[0];
  const hostText = given === '.' ? '.' : given.replace(/\.$/, '');
  const host = parseName(given);
  // Host-name rules are for host checks; `--type` may ask about any name, the root included.
  if (!host || (host === '.' && values.type === undefined)) throw new UsageError(`not a valid ${mx ? 'mail domain' : 'host name'}: ${given}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`not a valid port: ${values.port}`);
  const url = validateDohUrl(values.resolver!);
  if (!url.ok) throw new UsageError(`bad resolver URL: ${url.message}`);
  const method = values.method!.toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new UsageError(`--method must be GET or POST`);
  let anchors: readonly TrustAnchor[] = BUILTIN_ANCHORS;
  if (values['trust-anchor']) {
    let text: string;
    try {
      text = readFileSync(values['trust-anchor'], 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read trust anchor file ${values['trust-anchor']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const parsed = parseTrustAnchors(text);
    if (!parsed.ok) throw new UsageError(`bad trust anchor file ${values['trust-anchor']}: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
    anchors = parsed.anchors;
  }
  const nta = parseNegativeAnchors(values['negative-anchor'] ?? []);
  if (nta.invalid.length) throw new UsageError(`bad --negative-anchor: ${nta.invalid.join(', ')}`);
  let now: number | undefined;
  if (values.now !== undefined) {
    now = Date.parse(values.now);
    if (!Number.isFinite(now)) throw new UsageError(`--now needs an ISO 8601 time, not ${values.now}`);
  }
  let type: number | undefined;
  if (values.type !== undefined) {
    const t = typeFromString(values.type.toUpperCase());
    if (t === null || t === undefined || t <= 0 || t > 65535) throw new UsageError(`unknown record type: ${values.type}`);
    type = t;
  }
  return { host, hostText, port, resolver: url.url, method, anchors, negativeAnchors: nta.names, now, json: values.json!, connect: values.connect!, type, ...(mx && { mx }) };
}

const COLOURS: Record<string, string> = { secure: '32', insecure: '90', bogus: '31', indeterminate: '33', match: '32', mismatch: '31' };

function human(r: CheckResult, tty: boolean): string {
  const c = (s: string) => (tty && COLOURS[s] ? `\x1b[${COLOURS[s]}m${s}\x1b[0m` : s);
  const lines = [
    `${r.host} port ${r.port}`,
    `  address  ${c(r.address.state)} ${r.address.result}${r.address.records.length ? ': ' + r.address.records.join(', ') : ''}`,
  ];
  if (r.address.state !== 'secure' && r.address.reason) lines.push(`           reason: ${r.address.reason}`);
  lines.push(`  tlsa     ${c(r.tlsa.state)} ${r.tlsa.result} at ${r.tlsa.name}${r.tlsa.records.length ? '' : ''}`);
  for (const t of r.tlsa.records) lines.push(`           ${t}`);
  if (r.tlsa.state !== 'secure' && r.tlsa.reason) lines.push(`           reason: ${r.tlsa.reason}`);
  lines.push(`  dane     ${c(r.dane)}`);
  lines.push(`  chain    ${r.chain.map((l) => `${l.zone} ${c(l.state)}`).join(' → ')}`);
  lines.push(`  ${r.queries} queries, ${r.elapsedMs} ms`);
  return lines.join('\n') + '\n';
}

const MAIL_COLOURS: Record<string, string> = { dane: '32', all: '32', some: '33', 'no-tlsa': '90', none: '90', unusable: '33', 'not-applicable': '90', bogus: '31', indeterminate: '33' };

/** Human output of `check --mx`: one block per MX host. */
export function humanMail(r: MailResult, tty: boolean): string {
  const c = (s: string) => (tty && (COLOURS[s] ?? MAIL_COLOURS[s]) ? `\x1b[${COLOURS[s] ?? MAIL_COLOURS[s]}m${s}\x1b[0m` : s);
  const lines = [`mail for ${r.domain}`];
  const mxWhat = r.nullMx ? 'null MX: the domain accepts no mail (RFC 7505)' : r.implicitMx ? `${r.mx.result}: no MX records, the domain itself is the mail host` : r.mx.result;
  lines.push(`  mx       ${c(r.mx.state)} ${mxWhat}`);
  if (r.mx.state !== 'secure' && r.mx.reason) lines.push(`           reason: ${r.mx.reason}`);
  for (const h of r.hosts) {
    lines.push(`  ${String(h.preference).padStart(5)} ${h.host}`);
    lines.push(`           address  ${c(h.address.state)} ${h.address.result}${h.address.records.length ? ': ' + h.address.records.join(', ') : ''}`);
    lines.push(`           tlsa     ${c(h.tlsa.state)} ${h.tlsa.result} at ${h.tlsa.name}`);
    for (const t of h.tlsa.records) lines.push(`                    ${t}`);
    lines.push(`           dane     ${c(h.dane)}: ${h.reason}`);
  }
  if (r.skippedHosts > 0) lines.push(`  (${r.skippedHosts} more MX hosts not checked)`);
  lines.push(`  summary  ${c(r.summary)}`);
  lines.push(`  ${r.queries} queries, ${r.elapsedMs} ms`);
  return lines.join('\n') + '\n';
}

/** JSON of `check --type` (issue #10 contract). */
export function lookupJson(r: LookupResult, elapsedMs: number) {
  return {
    name: r.name.replace(/\.$/, '') || '.',
    type: typeToString(r.type),
    state: r.state,
    result: r.result,
    records: r.records.map((rr) => rdataToString(rr)),
    ...(r.reason ? { reason: r.reason.message, reasonCode: r.reason.code } : {}),
    ...(r.reasons?.length ? { reasons: r.reasons } : {}),
    ...(r.links.length ? { links: r.links } : {}),
    ...(r.wildcard ? { wildcard: r.wildcard } : {}),
    chain: r.chain,
    elapsedMs: Math.round(elapsedMs),
  };
}

function humanLookup(j: ReturnType<typeof lookupJson>, tty: boolean): string {
  const c = (s: string) => (tty && COLOURS[s] ? `\x1b[${COLOURS[s]}m${s}\x1b[0m` : s);
  const lines = [`${j.name} ${j.type}: ${c(j.state)} ${j.result}`];
  for (const r of j.records) lines.push(`  ${r}`);
  if (j.state !== 'secure' && j.reason) lines.push(`  reason: ${j.reason}`);
  lines.push(`  chain: ${j.chain.map((l) => `${l.zone} ${c(l.state)}`).join(' → ')}`);
  return lines.join('\n') + '\n';
}
