/**
 * The command line of `check` / `dnssec-tlsa` in ONE place: every option (for `parseArgs` and for
 * `--help`), every mode with an example, the exit codes. `--help` is generated from these tables,
 * so an option added here is documented by construction. Light on purpose: `--help` and
 * `--version` load only this file (src/cli/main.ts imports the validator lazily).
 */

import { DEFAULT_RESOLVER_URL } from '../shared/resolver-presets';

/** The DoH resolver used without `--resolver`: the extension's default (shared/resolver-presets.ts). */
export const DEFAULT_RESOLVER = DEFAULT_RESOLVER_URL;

export interface Flag {
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean;
  /** Placeholder of the value in `--help`, e.g. `<n>`. */
  arg?: string;
  help: string;
}

/** All options. `parseArgs` takes this object as is (the extra keys `arg`/`help` are ignored). */
export const FLAGS = {
  port: { type: 'string', default: '443', arg: '<n>', help: 'TCP port of the service; the TLSA records are looked up at _<port>._tcp.<host> (RFC 6698 §3)' },
  resolver: { type: 'string', default: DEFAULT_RESOLVER, arg: '<DoH URL>', help: 'DNS-over-HTTPS resolver (RFC 8484) that carries the queries; it is never trusted for the verdict' },
  method: { type: 'string', default: 'POST', arg: 'GET|POST', help: 'HTTP method of the DoH queries' },
  'trust-anchor': { type: 'string', arg: '<file>', help: 'DS/DNSKEY lines in zone-file format (e.g. unbound root.key) instead of the built-in root anchors' },
  'negative-anchor': { type: 'string', multiple: true, arg: '<domain>', help: 'treat this domain as unsigned (RFC 7646); repeatable' },
  now: { type: 'string', arg: '<ISO time>', help: 'judge signatures and certificates at this time instead of the clock' },
  json: { type: 'boolean', default: false, help: 'print the result as JSON' },
  connect: { type: 'boolean', default: false, help: 'connect to the validated address and match the presented certificate chain against the TLSA records' },
  type: { type: 'string', arg: '<TYPE>', help: 'one validated lookup of any record type, like delv' },
  mx: { type: 'string', arg: '<domain>', help: 'the mail servers of a domain and their DANE state (RFC 7672); with --connect also SMTP STARTTLS to each, the certificate match and rollover readiness' },
  starttls: { type: 'string', arg: 'smtp|submission|imap|pop3|xmpp-client|xmpp-server', help: 'connect with STARTTLS to each validated address and match the certificate (XMPP: the service domain\'s validated SRV records, RFC 7673)' },
  days: { type: 'string', arg: '<n>', help: 'also judge as if it were n days later (signature expirations on the chain, certificate dates where they matter) and name what expires first; --plugin warns at 7 by default' },
  plugin: { type: 'boolean', default: false, help: 'one monitoring-plugin status line (Nagios/Icinga/Zabbix) and its exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN' },
  svg: { type: 'string', arg: '<file>', help: 'also write the chain-of-trust picture as a standalone SVG file; with --batch it names a directory (created if missing): one picture per name, file names made safe from the names, linked from each row of --report' },
  help: { type: 'boolean', default: false, help: 'print this help and exit' },
  version: { type: 'boolean', default: false, help: 'print the version and exit' },
} as const satisfies Record<string, Flag>;

/** The options of `--batch` (src/cli/batch.ts parses them beside FLAGS; `--mx` is a switch there). */
export const BATCH_FLAGS = {
  batch: { type: 'string', arg: '<file|->', help: 'check every name of the file (one per line, # comments; - for standard input): JSON Lines, one object per line' },
  jobs: { type: 'string', arg: '<n>', help: 'with --batch: how many names at once' },
  resume: { type: 'string', arg: '<jsonl>', help: 'with --batch: skip the names already in this output of an earlier run, and append to it' },
  report: { type: 'string', arg: '<file.html>', help: 'with --batch: also write one self-contained HTML page with a row per name' },
} as const satisfies Record<string, Flag>;

export interface Mode {
  usage: string;
  what: string;
  example: string;
}

/** Every mode of the command, each with one example (`--help`). */
export const MODES: Mode[] = [
  { usage: '<host> [options]', what: 'DNSSEC state of the host\'s addresses and of its TLSA records', example: 'www.example.com' },
  { usage: '<host> --connect [--port <n>]', what: 'also connect and match the server\'s certificate against the TLSA records (DANE)', example: 'www.example.com --connect' },
  { usage: '--type <TYPE> <name>', what: 'one validated lookup of any record type', example: '--type TXT example.com' },
  { usage: '--mx <domain>', what: 'the mail servers (MX) of a domain and their TLSA records', example: '--mx example.com' },
  { usage: '--batch <file|-> [--mx] [--jobs <n>] [--resume <jsonl>] [--report <file.html>] [--svg <dir>]', what: 'many names, one JSON object per line, a summary at the end', example: '--batch domains.txt --mx --report report.html --svg pictures' },
  { usage: '<host> --days <n>', what: 'will the verdict still hold in n days? what expires first, and when', example: 'www.example.com --connect --days 30' },
  { usage: '<host> --plugin [--days <n>]', what: 'monitoring: one status line and exit code (works with --connect and --mx)', example: 'www.example.com --connect --plugin' },
  { usage: '<host> --svg <file>', what: 'write the chain-of-trust picture (as in the popup) to an SVG file', example: 'www.example.com --svg chain.svg' },
];

/** Exit codes (`--help`). */
export const EXIT_CODES: [code: number, meaning: string][] = [
  [0, 'a verdict was reached (whatever it is: read the output)'],
  [2, 'bad arguments or an unreadable trust anchor file'],
  [3, 'the resolver could not be reached at all'],
];

/** Exit codes with --plugin (monitoring-plugins convention; `--help`). */
export const PLUGIN_EXIT_CODES: [code: number, meaning: string][] = [
  [0, 'OK: secure and, where checked (--connect), the certificate matches the TLSA records'],
  [1, 'WARNING: the verdict would fail within the --days horizon (default 7)'],
  [2, 'CRITICAL: bogus, not signed, TLSA mismatch, no STARTTLS where DANE applies'],
  [3, 'UNKNOWN: indeterminate, resolver unreachable, bad arguments'],
];

/** Where the defaults come from (`--help`). */
export const DEFAULTS_TEXT = [
  `resolver      ${DEFAULT_RESOLVER} (change with --resolver); it only carries packets:`,
  '              the chain of trust is validated here, the AD bit is never read',
  'trust anchor  the IANA root KSKs built in (KSK-2017 tag 20326, KSK-2024 tag 38696;',
  '              https://data.iana.org/root-anchors/), replaced by --trust-anchor <file>',
];

/** The short usage printed after a usage error. */
export function usage(prog: string): string {
  return MODES.map((m, i) => `${i === 0 ? 'usage:' : '      '} ${prog} ${m.usage}`).join('\n') + `\n       ${prog} --help`;
}

/** Word wrap of `text` into lines of at most `width` characters, later lines indented by `indent`. */
function wrapHelp(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  lines.push(cur);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const HELP_WIDTH = 100;
const HELP_LEFT = 29;

/** The `--help` text, generated from the tables above. */
export function helpText(prog: string, version: string): string {
  const opts = Object.entries({ ...FLAGS, ...BATCH_FLAGS } as Record<string, Flag>).map(([name, f]) => {
    const left = `--${name}${f.arg ? ` ${f.arg}` : ''}`;
    const def = f.default !== undefined && f.type === 'string' ? ` (default ${f.default})` : '';
    return `  ${left.padEnd(HELP_LEFT - 3)} ${wrapHelp(f.help + def, HELP_WIDTH - HELP_LEFT, HELP_LEFT)}`;
  });
  const modes = MODES.flatMap((m) => [`  ${prog} ${m.usage}`, `      ${m.what}`, `      e.g. ${prog} ${m.example}`]);
  return [
    `${prog} ${version}: validates DNSSEC from the root anchors itself and checks DANE TLSA records`,
    '',
    'Modes:',
    ...modes,
    '',
    'Options:',
    ...opts,
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([c, m]) => `  ${c}  ${m}`),
    'Exit codes with --plugin:',
    ...PLUGIN_EXIT_CODES.map(([c, m]) => `  ${c}  ${m}`),
    '',
    'Defaults:',
    ...DEFAULTS_TEXT.map((l) => `  ${l}`),
    '',
  ].join('\n');
}
