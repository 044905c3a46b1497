/**
 * `check`: the validator core in Node. Contract (issue #4, keep exactly; extend only):
 *   check <host> [--port 443] [--resolver <DoH URL>] [--trust-anchor <file>] [--json] [--connect]
 *   check --mx <domain> [same options]: the mail servers of a domain and their DANE state (RFC 7672)
 *   check --batch <file> [--mx] [same options]: many names, one JSON object per line (batch.ts, issue #15)
 * Exit status 0 whenever a verdict was reached; 2 for bad arguments or unreadable anchors,
 * 3 when the resolver could not be reached at all. Options and --help: src/cli/flags.ts.
 * Extensions (issue #19, #15 §4): --days (horizon), --plugin (monitoring line, exit 0–3), --svg.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseNegativeAnchors, BUILTIN_ANCHORS, type TrustAnchor } from '../core/dnssec/anchors';
import { trustAnchorsFromText } from '../core/trust-anchor-text';
import { isServicePort } from '../core/dane/names';
import { toCheckResult, validateHost, type CheckResult } from '../core/check';
import type { Validator } from '../core/dnssec/validator';
import { validateDohUrl } from '../core/transport/doh';
import { answered, cliValidator } from './resolver';
import { daneBeforeConnect, type HostVerdict } from '../core/check';
import { chainExpiries, judgeHorizon, MAX_HORIZON_DAYS, type HorizonJson } from '../core/horizon';
import { PLUGIN_EXIT, pluginForHost, pluginForLookup, pluginForMail, pluginLine, type PerfData, type PluginVerdict } from './plugin';
import { FLAGS, usage } from './flags';
import { quickAnswer } from './quick';
import { parseName } from '../core/wire/name';
import { rdataToString, typeFromString, typeToString } from '../core/wire/present';
import type { LookupResult } from '../core/dnssec/result';
import type { Presented } from './connect';
import { checkMail, type MailResult } from '../core/mail';
import { connectionLines, serviceLines } from './connection-lines';
import { STARTTLS_PROTOCOLS, type StarttlsProtocol } from './starttls/protocol';

export { DEFAULT_RESOLVER } from './flags';

/** The short usage after a usage error (generated from the modes of src/cli/flags.ts). */
export const USAGE = usage('check');

export class UsageError extends Error {}

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Colour only for a terminal, and never when NO_COLOR is set to something (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/** With --plugin and no --days: warn a week ahead. */
export const PLUGIN_DEFAULT_DAYS = 7;

export async function main(argv: string[], io: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, prog = 'check'): Promise<number> {
  const quick = quickAnswer(argv, prog);
  if (quick) {
    io.out(quick.out);
    return quick.code;
  }
  // `check --batch <file>`: many names, JSON Lines (src/cli/batch.ts); its own flags are parsed there.
  if (argv.some((a) => a === '--batch' || a.startsWith('--batch='))) return (await import('./batch')).runBatch(argv, io);
  // --plugin is looked for before parsing: bad arguments are UNKNOWN (3) for a monitoring system.
  const pluginMode = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--plugin');
  let opts;
  try {
    opts = parseCli(argv);
  } catch (e) {
    if (pluginMode) {
      io.out(pluginLine('', { status: 'UNKNOWN', what: `bad arguments: ${(e as Error).message}` }));
      return PLUGIN_EXIT.UNKNOWN;
    }
    io.err(`${prog}: ${(e as Error).message}\n${usage(prog)}\n`);
    return 2;
  }
  let anyAnswer = false;
  let lastError = '';
  const days = opts.days ?? (opts.plugin ? PLUGIN_DEFAULT_DAYS : undefined);
  // With a horizon, one answer per question for the whole run: later clocks judge the same answers.
  const { validator, fetch, at } = cliValidator(
    opts,
    (r) => {
      if (answered(r)) anyAnswer = true;
      else if (!r.ok) lastError = r.error.message;
    },
    { remember: days !== undefined },
  );
  const clockNow = opts.now ?? Date.now();
  const colour = useColour();
  const started = performance.now();
  // The picture's code and the English words are loaded only for --svg.
  const svg = opts.svg ? await import('./svg') : null;
  try {
    const one = await checkOne(opts, validator);
    if (!anyAnswer) {
      io.err(`${prog}: resolver ${opts.resolver} unreachable: ${lastError}\n`);
      if (!opts.plugin) return 3;
      io.out(pluginLine(opts.hostText, { status: 'UNKNOWN', what: `resolver ${opts.resolver} unreachable: ${lastError}` }));
      return PLUGIN_EXIT.UNKNOWN;
    }
    const horizon = days === undefined ? undefined : await horizonOf(one, opts, days, clockNow, at);
    const result: OneResult['result'] & { horizon?: HorizonJson } = horizon ? { ...one.result, horizon } : one.result;
    if (horizon) result.elapsedMs = Math.round(performance.now() - started);
    const warnDays = days ?? PLUGIN_DEFAULT_DAYS;
    let svgOk = true;
    if (svg && opts.svg) {
      try {
        writeFileSync(opts.svg, svg.oneSvg(one, clockNow, warnDays));
      } catch (e) {
        io.err(`${prog}: cannot write ${opts.svg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        svgOk = false;
      }
    }
    if (opts.plugin) {
      const v: PluginVerdict =
        one.kind === 'mail' ? pluginForMail({ ...one.result, horizon }) : one.kind === 'lookup' ? pluginForLookup({ ...one.result, horizon }) : pluginForHost({ ...one.result, horizon });
      const perf: PerfData = { queries: 'queries' in result ? result.queries : undefined, timeMs: result.elapsedMs, horizon };
      io.out(pluginLine(one.kind === 'mail' ? one.result.domain : one.kind === 'lookup' ? one.result.name : one.result.host, svgOk ? v : { status: 'UNKNOWN', what: `${v.what}; cannot write ${opts.svg}` }, perf));
      return svgOk ? PLUGIN_EXIT[v.status] : PLUGIN_EXIT.UNKNOWN;
    }
    if (opts.json) io.out(JSON.stringify(result, null, 2) + '\n');
    else io.out(one.kind === 'mail' ? humanMail({ ...one.result, horizon }, colour) : one.kind === 'lookup' ? humanLookup({ ...one.result, horizon }, colour) : human({ ...one.result, horizon }, colour) + serviceLines(one.result).map((l) => l + '\n').join(''));
    return svgOk ? 0 : 2;
  } finally {
    fetch.close();
  }
}

/** `--days`: the same check at later clocks over the same answers (src/core/horizon.ts). */
async function horizonOf(one: OneResult, opts: CliOptions, days: number, now: number, at: (t: number) => Validator): Promise<HorizonJson> {
  if (one.kind === 'mail') {
    const mail = one.result;
    return judgeHorizon({ now, days, current: mail, judge: (t) => checkMail(at(t), opts.host), states: mailStates, reason: mailReason, known: chainExpiries(mail.chain) });
  }
  if (one.kind === 'lookup') {
    const type = opts.type!;
    return judgeHorizon({
      now, days, current: one.result,
      judge: async (t) => lookupJson(await at(t).lookup(opts.host, type), 0),
      states: (x) => ({ state: x.state, result: x.result }), reason: (x) => x.reason, known: chainExpiries(one.result.chain),
    });
  }
  const { result, presented } = one;
  const c = opts.connect ? await import('./connect') : null;
  const judge = async (t: number): Promise<CheckResult> => {
    const v = await validateHost(at(t), opts.host, opts.port);
    const r = toCheckResult(opts.hostText, opts.port, v, 0);
    if (!c) return r;
    const pre = daneBeforeConnect(r);
    if (pre) return { ...r, dane: pre.dane, daneReason: pre.reason };
    return presented ? c.matchPresented(r, v, presented.presented, presented.address, new Date(t)) : { ...r, dane: result.dane, daneReason: result.daneReason };
  };
  return judgeHorizon({
    now, days, current: result, judge,
    states: (x) => ({ address: x.address.state, tlsa: x.tlsa.state, dane: x.dane }),
    reason: (x, k) => (k === 'address' ? x.address.reason : k === 'tlsa' ? x.tlsa.reason : x.daneReason),
    known: [...chainExpiries(result.chain), ...(c ? await c.certificateExpiries(result, presented?.presented) : [])],
  });
}

function mailStates(r: MailResult): Record<string, string> {
  const s: Record<string, string> = { mx: r.mx.state, summary: r.summary };
  for (const h of r.hosts) s[`${h.host} dane`] = h.dane;
  return s;
}

function mailReason(r: MailResult, key: string): string | undefined {
  if (key === 'mx' || key === 'summary') return r.mx.reason;
  return r.hosts.find((h) => `${h.host} dane` === key)?.reason;
}

/** What one check gives, by kind: `--mx` → mail, `--type` → lookup, else a host check. */
export type OneResult =
  | { kind: 'mail'; result: MailResult }
  | { kind: 'lookup'; result: ReturnType<typeof lookupJson> }
  | { kind: 'host'; result: CheckResult; verdict?: HostVerdict; presented?: { presented: Presented; address: string } | null };

/**
 * One check of one name with the given options: the JSON object `check --json` prints. The single
 * check and every line of `check --batch` go through here, so a flag added to a check (e.g. a
 * `--connect` for `--mx`) works in a batch too.
 */
export async function checkOne(opts: CliOptions, validator: Validator): Promise<OneResult> {
  const started = performance.now();
  if (opts.mx) {
    // `check --mx <domain>`: MX hosts, their address state and _25._tcp TLSA (RFC 7672, issue #9).
    let r = await checkMail(validator, opts.host);
    // `--connect`: SMTP STARTTLS to every validated address, chain vs TLSA, rollover (issue #15).
    if (opts.connect) r = await (await import('./mail-connect')).connectMail(r, { now: opts.now ? new Date(opts.now) : undefined });
    r.elapsedMs = Math.round(performance.now() - started);
    return { kind: 'mail', result: r };
  }
  if (opts.type !== undefined) {
    // `check --type <TYPE> <name>`: one validated lookup of any type, like delv (issue #10).
    const r = await validator.lookup(opts.host, opts.type);
    return { kind: 'lookup', result: lookupJson(r, performance.now() - started) };
  }
  if (opts.starttls) {
    // `--starttls <protocol>`: the service's TLSA (XMPP: via validated SRV, RFC 7673), a STARTTLS
    // session per address and the rollover verdict (issue #15); a host check with more keys.
    const { checkService } = await import('./service-connect');
    const result = await checkService(validator, opts.host, opts.port, opts.starttls, { now: opts.now ? new Date(opts.now) : undefined });
    result.elapsedMs = Math.round(performance.now() - started);
    return { kind: 'host', result };
  }
  const verdict = await validateHost(validator, opts.host, opts.port);
  let result = toCheckResult(opts.hostText, opts.port, verdict, performance.now() - started);
  const now = opts.now;
  let presented: { presented: Presented; address: string } | null = null;
  if (opts.connect) {
    // The certificate and TLS code is loaded only for --connect: start-up of the rest.
    const { connectForMatch, matchPresented } = await import('./connect');
    const got = await connectForMatch(result, verdict, { now: now ? new Date(now) : undefined });
    if ('done' in got) result = got.done;
    else {
      presented = got;
      result = await matchPresented(result, verdict, got.presented, got.address, now ? new Date(now) : undefined);
    }
  }
  result.elapsedMs = Math.round(performance.now() - started);
  return { kind: 'host', result, verdict, presented };
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
  /** `--starttls <protocol>` (issue #15). */
  starttls?: StarttlsProtocol;
  /** `--days <n>`: also judge n days later (issue #15 §4). */
  days?: number;
  plugin?: boolean;
  svg?: string;
}

/** The flags of a check (`check --batch` accepts the same ones, plus its own: src/cli/batch.ts). */
export const CLI_OPTIONS = FLAGS;

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
    if (values.type !== undefined || values.starttls !== undefined) throw new UsageError('--mx cannot be combined with --type or --starttls');
  } else if (positionals.length !== 1) throw new UsageError('exactly one host name is needed');
  const { host, hostText } = parseTarget(mx ? values.mx! : positionals[0], mx, values.type !== undefined);
  const port = Number(values.port);
  if (!isServicePort(port)) throw new UsageError(`not a valid port: ${values.port}`);
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
    const parsed = trustAnchorsFromText(text);
    if (!parsed.ok) throw new UsageError(`bad trust anchor file ${values['trust-anchor']}: ${parsed.error}`);
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
  let days: number | undefined;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (values.days.trim() === '' || !Number.isFinite(days) || days < 0 || days > MAX_HORIZON_DAYS) throw new UsageError(`--days needs a number of days from 0 to ${MAX_HORIZON_DAYS}, not ${values.days}`);
  }
  if (values.svg !== undefined && values.svg === '') throw new UsageError('--svg needs a file name');
  if (values.plugin && values.json) throw new UsageError('--plugin and --json cannot be combined');
  let starttls: StarttlsProtocol | undefined;
  if (values.starttls !== undefined) {
    if (!(STARTTLS_PROTOCOLS as readonly string[]).includes(values.starttls)) throw new UsageError(`--starttls must be one of ${STARTTLS_PROTOCOLS.join(', ')}`);
    if (values.type !== undefined) throw new UsageError('--starttls cannot be combined with --type');
    starttls = values.starttls as StarttlsProtocol;
  }
  return { ...(starttls && { starttls }), host, hostText, port, resolver: url.url, method, anchors, negativeAnchors: nta.names, now, json: values.json!, connect: values.connect!, type, ...(mx && { mx }), days, plugin: values.plugin!, svg: values.svg };
}

const COLOURS: Record<string, string> = { secure: '32', insecure: '90', bogus: '31', indeterminate: '33', match: '32', mismatch: '31', holds: '32', fails: '33' };

/** The `--days` lines of the human output. */
function humanHorizon(h: HorizonJson | undefined, c: (s: string) => string): string[] {
  if (!h) return [];
  const lines = [h.holds ? `  horizon  ${c('holds')} ${h.days} days on (until ${h.at})` : `  horizon  ${c('fails')} by ${h.failsAt} (within ${h.days} days): ${h.reason ?? h.changes.join(', ')}`];
  if (!h.holds) lines.push(`           ${h.changes.join(', ')}`);
  if (h.expiresFirst) lines.push(`  expires  first: ${h.expiresFirst.what}, ${h.expiresFirst.at} (in ${h.expiresFirst.inDays} days)`);
  return lines;
}

function human(r: CheckResult & { horizon?: HorizonJson }, tty: boolean): string {
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
  lines.push(...humanHorizon(r.horizon, c));
  lines.push(`  ${r.queries} queries, ${r.elapsedMs} ms`);
  return lines.join('\n') + '\n';
}

const MAIL_COLOURS: Record<string, string> = { ready: '32', 'not-ready': '33', 'no-starttls': '31', 'tls-failed': '31', unreachable: '33', dane: '32', all: '32', some: '33', 'no-tlsa': '90', none: '90', unusable: '33', 'not-applicable': '90', bogus: '31', indeterminate: '33' };

/** Human output of `check --mx`: one block per MX host. */
export function humanMail(r: MailResult & { horizon?: HorizonJson }, tty: boolean): string {
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
    lines.push(...connectionLines(h, c));
  }
  if (r.skippedHosts > 0) lines.push(`  (${r.skippedHosts} more MX hosts not checked)`);
  lines.push(`  summary  ${c(r.summary)}`);
  lines.push(...humanHorizon(r.horizon, c));
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

function humanLookup(j: ReturnType<typeof lookupJson> & { horizon?: HorizonJson }, tty: boolean): string {
  const c = (s: string) => (tty && COLOURS[s] ? `\x1b[${COLOURS[s]}m${s}\x1b[0m` : s);
  const lines = [`${j.name} ${j.type}: ${c(j.state)} ${j.result}`];
  for (const r of j.records) lines.push(`  ${r}`);
  if (j.state !== 'secure' && j.reason) lines.push(`  reason: ${j.reason}`);
  lines.push(`  chain: ${j.chain.map((l) => `${l.zone} ${c(l.state)}`).join(' → ')}`);
  lines.push(...humanHorizon(j.horizon, c));
  return lines.join('\n') + '\n';
}
