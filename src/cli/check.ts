/**
 * `check`: the validator core in Node. Contract (issue #4, keep exactly; extend only):
 *   check <host> [--port 443] [--resolver <DoH URL>] [--trust-anchor <file>] [--json] [--connect]
 *   check --mx <domain> [same options]: the mail servers of a domain and their DANE state (RFC 7672)
 *   check --batch <file> [--mx] [same options]: many names, one JSON object per line (batch.ts, issue #15)
 * Exit status 0 whenever a verdict was reached; 2 for bad arguments or unreadable anchors,
 * 3 when the resolver could not be reached at all.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseNegativeAnchors, parseTrustAnchors, BUILTIN_ANCHORS, type TrustAnchor } from '../core/dnssec/anchors';
import { toCheckResult, validateHost, type CheckResult } from '../core/check';
import type { Validator } from '../core/dnssec/validator';
import { validateDohUrl } from '../core/transport/doh';
import { answered, cliValidator } from './resolver';
import { parseName } from '../core/wire/name';
import { rdataToString, typeFromString, typeToString } from '../core/wire/present';
import type { LookupResult } from '../core/dnssec/result';
import { connectAndMatch } from './connect';
import { checkMail, type MailResult } from '../core/mail';

export const DEFAULT_RESOLVER = 'https://cloudflare-dns.com/dns-query';

export const USAGE =
  'usage: check <host> [--type <TYPE>] [--port 443] [--resolver <DoH URL>] [--trust-anchor <file>] [--negative-anchor <domain>]... [--now <ISO time>] [--json] [--connect]\n' +
  '       check --mx <domain> [--resolver <DoH URL>] [--trust-anchor <file>] [--negative-anchor <domain>]... [--now <ISO time>] [--json]\n' +
  '       check --batch <file|-> [--mx] [--jobs <n>] [--resume <jsonl>] [--report <file.html>] [options of a single check]: JSON Lines, one object per input line';

export class UsageError extends Error {}

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function main(argv: string[], io: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  // `check --batch <file>`: many names, JSON Lines (src/cli/batch.ts); its own flags are parsed there.
  if (argv.some((a) => a === '--batch' || a.startsWith('--batch='))) return (await import('./batch')).runBatch(argv, io);
  let opts;
  try {
    opts = parseCli(argv);
  } catch (e) {
    io.err(`check: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let anyAnswer = false;
  let lastError = '';
  const { validator, fetch } = cliValidator(opts, (r) => {
    if (answered(r)) anyAnswer = true;
    else if (!r.ok) lastError = r.error.message;
  });
  const one = await checkOne(opts, validator);
  fetch.close();
  if (!anyAnswer) {
    io.err(`check: resolver ${opts.resolver} unreachable: ${lastError}\n`);
    return 3;
  }
  const tty = process.stdout.isTTY === true;
  if (opts.json) io.out(JSON.stringify(one.result, null, 2) + '\n');
  else io.out(one.kind === 'mail' ? humanMail(one.result, tty) : one.kind === 'lookup' ? humanLookup(one.result, tty) : human(one.result, tty));
  return 0;
}

/** What one check gives, by kind: `--mx` → mail, `--type` → lookup, else a host check. */
export type OneResult =
  | { kind: 'mail'; result: MailResult }
  | { kind: 'lookup'; result: ReturnType<typeof lookupJson> }
  | { kind: 'host'; result: CheckResult };

/**
 * One check of one name with the given options: the JSON object `check --json` prints. The single
 * check and every line of `check --batch` go through here, so a flag added to a check (e.g. a
 * `--connect` for `--mx`) works in a batch too.
 */
export async function checkOne(opts: CliOptions, validator: Validator): Promise<OneResult> {
  const started = performance.now();
  if (opts.mx) {
    // `check --mx <domain>`: MX hosts, their address state and _25._tcp TLSA (RFC 7672, issue #9).
    const r = await checkMail(validator, opts.host);
    r.elapsedMs = Math.round(performance.now() - started);
    return { kind: 'mail', result: r };
  }
  if (opts.type !== undefined) {
    // `check --type <TYPE> <name>`: one validated lookup of any type, like delv (issue #10).
    const r = await validator.lookup(opts.host, opts.type);
    return { kind: 'lookup', result: lookupJson(r, performance.now() - started) };
  }
  const verdict = await validateHost(validator, opts.host, opts.port);
  let result = toCheckResult(opts.hostText, opts.port, verdict, performance.now() - started);
  const now = opts.now;
  if (opts.connect) result = await connectAndMatch(result, verdict, { now: now ? new Date(now) : undefined });
  result.elapsedMs = Math.round(performance.now() - started);
  return { kind: 'host', result };
}

export interface CliOptions {
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

/** The flags of a check (`check --batch` accepts the same ones, plus its own: src/cli/batch.ts). */
export const CLI_OPTIONS = {
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
} as const satisfies ParseArgsConfig['options'];

/** The name to check from its text (argument or batch line): canonical name and the text as shown. */
export function parseTarget(given: string, mx: boolean, anyName = false): { host: string; hostText: string } {
  const hostText = given === '.' ? '.' : given.replace(/\.$/, '');
  const host = parseName(given);
  // Host-name rules are for host checks; `--type` may ask about any name, the root included.
  if (!host || (host === '.' && !anyName)) throw new UsageError(`not a valid ${mx ? 'mail domain' : 'host name'}: ${given}`);
  return { host, hostText };
}

export function parseCli(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: CLI_OPTIONS });
  const mx = values.mx !== undefined;
  if (mx) {
    if (positionals.length !== 0) throw new UsageError('--mx takes the mail domain; no other host name is allowed');
    if (values.type !== undefined || values.connect) throw new UsageError('--mx cannot be combined with --type or --connect');
  } else if (positionals.length !== 1) throw new UsageError('exactly one host name is needed');
  const { host, hostText } = parseTarget(mx ? values.mx! : positionals[0], mx, values.type !== undefined);
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
