/**
 * `check --batch <file|->`: check many names, one per line, with the very same per-name function
 * as a single check (checkOne in check.ts), so every flag of a check (`--mx`, `--type`, `--port`,
 * `--connect`, `--now`, anchors, …) means the same here.
 *
 *   check --batch <file|-> [--mx] [--jobs <n>] [--resume <jsonl>] [--report <file.html>] [--svg <dir>] [check options]
 *
 * - Input: one name per line; `#` starts a comment; blank lines are skipped. With `--mx` each line
 *   is a mail domain (here `--mx` takes no value).
 * - Output: JSON Lines on stdout, one object per name line, in the order the checks finish:
 *   `{"input": <the line>, …the keys of `check --json` for that kind…, "error": null}`, or
 *   `{"input": <the line>, "error": "<why>"}` when the line could not be checked (not a domain name,
 *   or the resolver never answered any of its queries). Comment and blank lines give nothing.
 * - The summary goes to stderr at the end (stdout stays one object per line); a progress line is
 *   drawn on stderr only when stderr is a terminal.
 * - `--resume <jsonl>`: inputs with a result (`error` null) in that file are skipped; lines with an
 *   error are checked again; an incomplete last line (a run cut off) is ignored. Appending to the
 *   same file (`--resume out.jsonl >> out.jsonl`) is fine: an incomplete last line is closed first.
 * - `--report <file.html>`: a self-contained HTML page (report-html.ts), one row per name.
 * - `--svg <dir>`: the chain-of-trust picture of each checked name (the very function of a single
 *   `--svg <file>`, svg.ts oneSvg) as one file in <dir> (created if missing), written as the name's
 *   result arrives; file names from svg-names.ts (hostile names cannot leave the directory). With
 *   `--report` each row links its picture by a relative URL. A picture that cannot be written is
 *   said on stderr, its row has no link, and the exit status is 2.
 * - Memory: input and output are streamed; only the report (when asked for) keeps a compact row
 *   per name, and the one validator's caches are bounded (BATCH_LIMITS.validatorCacheSize).
 * - Exit status: 0 when every line was handled (per-line errors included), 2 for bad arguments or
 *   an unreadable input, resume or report file or picture directory, or a picture not written, 3 when the resolver never answered (every line
 *   failed at the transport, or BATCH_LIMITS.maxConsecutiveResolverFailures lines in a row: the
 *   batch stops, and `--resume` continues it later).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, closeSync, constants, createReadStream, fstatSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BATCH_LIMITS } from './batch-limits';
import { classifyLine, readLines, resumeEntry } from './batch-input';
import { errorRow, LEVELS, rowOf, type BatchRow, type Level } from './batch-row';
import { checkOne, CLI_OPTIONS, parseCli, parseTarget, PLUGIN_DEFAULT_DAYS, USAGE, type CliIO, type CliOptions } from './check';
import { BATCH_FLAGS } from './flags';
import { compareRows, LEVEL_STYLE, pictureBase, reportChunks } from './report-html';
import { svgFileName } from './svg-names';
import { answered, cliValidator } from './resolver';
import { typeToString } from '../core/wire/present';

export interface BatchOptions {
  /** The options of each check; `host`/`hostText` are replaced per line. */
  check: CliOptions;
  file: string;
  jobs: number;
  /** `--jobs` as asked, when it was above the cap. */
  jobsAsked?: number;
  resume?: string;
  report?: string;
  /** `--svg <dir>`: in a batch, the directory of the pictures (one file per name). */
  svgDir?: string;
}

/** A name that exists nowhere (RFC 6761 §6.4), only to let parseCli check the shared options. */
const PLACEHOLDER = 'batch.invalid';

/** The flags of `check --batch`: its own, plus every flag of a single check (checked by parseCli). */
export function parseBatchCli(argv: string[]): BatchOptions {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: { ...CLI_OPTIONS, ...BATCH_FLAGS, mx: { type: 'boolean', default: false } },
  });
  if (positionals.length) throw new Error(`--batch reads the names from its file; no name on the command line (${positionals[0]})`);
  if (!values.batch) throw new Error('--batch needs a file of names (or - for standard input)');
  // Everything that is not a batch flag goes to the single check's parser, as given.
  const rest: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name in BATCH_FLAGS || t.name === 'mx') continue;
    rest.push(...argv.slice(t.index, t.index + (t.value !== undefined && !t.inlineValue ? 2 : 1)));
  }
  const check = parseCli([...rest, ...(values.mx ? ['--mx', PLACEHOLDER] : [PLACEHOLDER])]);
  let jobs: number = BATCH_LIMITS.defaultJobs;
  let jobsAsked: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs needs a whole number ≥ 1, not ${values.jobs}`);
    if (jobs > BATCH_LIMITS.maxJobsPerResolver) {
      jobsAsked = jobs;
      jobs = BATCH_LIMITS.maxJobsPerResolver;
    }
  }
  // `--svg` names a file for one check, the directory of every name's picture for a batch.
  const { svg: svgDir, ...single } = check;
  return { check: single, file: values.batch, jobs, jobsAsked, resume: values.resume, report: values.report, svgDir };
}

/** Per-line transport bookkeeping (AsyncLocalStorage: the one validator is shared by all lines in flight). */
interface LineNet {
  sent: number;
  answered: number;
  lastError: string;
}

export interface BatchStats {
  names: number;
  skippedLines: number;
  resumed: number;
  byLevel: Record<Level, number>;
  resolverFailures: number;
  startedMs: number;
}

/** The summary printed on stderr at the end. Pure. */
export function summaryText(s: BatchStats, elapsedMs: number, extra: string[] = []): string {
  const secs = elapsedMs / 1000;
  const rate = secs > 0 ? s.names / secs : 0;
  const lines = [
    `check --batch: ${s.names} names in ${secs.toFixed(1)} s (${rate.toFixed(1)}/s); ${s.skippedLines} blank or comment lines; ${s.resumed} done in an earlier run (--resume)`,
    '  ' + LEVELS.map((l) => `${LEVEL_STYLE[l].symbol} ${LEVEL_STYLE[l].words} ${s.byLevel[l]}`).join(' · '),
    ...extra.map((e) => `  ${e}`),
  ];
  return lines.join('\n') + '\n';
}

/** The progress line (stderr on a terminal). Pure. */
export function progressText(s: BatchStats, inFlight: number, total: number | null, nowMs: number): string {
  const secs = (nowMs - s.startedMs) / 1000;
  const done = s.names;
  const rate = secs > 0 ? done / secs : 0;
  const failing = s.byLevel.fail + s.byLevel.error + s.byLevel.unknown;
  const left = total !== null ? Math.max(0, total - done - s.resumed) : null;
  const eta = left !== null && rate > 0 ? ` · ~${Math.ceil(left / rate)} s left` : '';
  return `${done}${total !== null ? ` of ~${total}` : ''} names · ${rate.toFixed(1)}/s · ${inFlight} in flight · ${failing} failing or unchecked${eta}`;
}

async function countLines(file: string): Promise<number | null> {
  if (file === '-') return null;
  let n = 0;
  for await (const raw of readLines(createReadStream(file), BATCH_LIMITS.maxLineLength)) if (classifyLine(raw, BATCH_LIMITS.maxLineLength).kind !== 'skip') n++;
  return n;
}

/** Inputs done in an earlier run; `open` says whether its last line lacks a line break. */
async function readResume(file: string, io: CliIO): Promise<{ done: Set<string>; open: boolean }> {
  const done = new Set<string>();
  let unterminated = false;
  let broken = 0;
  try {
    await (await open(file, 'r')).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`check: resume file ${file} does not exist yet: nothing is skipped\n`);
      return { done, open: unterminated };
    }
    throw new Error(`cannot read resume file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // A result line can be long (a mail domain with many hosts): no line-length cap here beyond 16 MiB.
  for await (const raw of readLines(createReadStream(file), 16 * 2 ** 20)) {
    if (!raw.complete) unterminated = true;
    if (raw.text.trim() === '') continue;
    const e = resumeEntry(raw.text);
    if (!e) broken++;
    else if (e.done) done.add(e.input);
  }
  if (broken) io.err(`check: ${broken} line(s) of ${file} are not complete results (a run cut off?): their names are checked again\n`);
  return { done, open: unterminated };
}

/** stdout is the resume file itself (`>> same file`)? */
function stdoutIs(file: string): boolean {
  try {
    const a = fstatSync(1);
    const b = statSync(file);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

export async function runBatch(argv: string[], io: CliIO & { errTTY?: boolean }): Promise<number> {
  let opts: BatchOptions;
  try {
    opts = parseBatchCli(argv);
  } catch (e) {
    io.err(`check: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const fail = (msg: string) => {
    io.err(`check: ${msg}\n`);
    return 2;
  };
  if (opts.jobsAsked !== undefined) {
    io.err(`check: --jobs ${opts.jobsAsked} is above the cap of ${BATCH_LIMITS.maxJobsPerResolver} names in flight per resolver: using ${opts.jobs}\n`);
  }
  // Open every file before the first query: a typo must not surface after an hour of checks.
  let input: AsyncIterable<Uint8Array | string>;
  if (opts.file === '-') input = process.stdin;
  else {
    try {
      input = (await open(opts.file, 'r')).createReadStream();
    } catch (e) {
      return fail(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  let resume = { done: new Set<string>(), open: false };
  if (opts.resume) {
    try {
      resume = await readResume(opts.resume, io);
    } catch (e) {
      return fail((e as Error).message);
    }
    if (resume.open && stdoutIs(opts.resume)) io.out('\n');
  }
  let reportFd: number | undefined;
  if (opts.report) {
    try {
      reportFd = openSync(opts.report, 'w');
    } catch (e) {
      return fail(`cannot write report ${opts.report}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (opts.svgDir !== undefined) {
    try {
      mkdirSync(opts.svgDir, { recursive: true });
      accessSync(opts.svgDir, constants.W_OK);
    } catch (e) {
      return fail(`cannot write pictures into ${opts.svgDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  // The picture's code and the English words are loaded only for --svg (as for a single check).
  const svg = opts.svgDir !== undefined ? await import('./svg') : null;
  const pictures = { written: 0, failed: 0, firstError: '' };
  /** Draws and writes one name's picture now (nothing of the chain is kept); its file name, or undefined. */
  const picture = (host: string, res: Awaited<ReturnType<typeof checkOne>>): string | undefined => {
    if (!svg || opts.svgDir === undefined) return undefined;
    const file = svgFileName(host);
    try {
      writeFileSync(join(opts.svgDir, file), svg.oneSvg(res, opts.check.now ?? Date.now(), opts.check.days ?? PLUGIN_DEFAULT_DAYS));
      pictures.written++;
      return file;
    } catch (e) {
      if (pictures.failed++ === 0) pictures.firstError = `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      return undefined;
    }
  };
  const tty = io.errTTY ?? process.stderr.isTTY === true;
  const total = tty ? await countLines(opts.file).catch(() => null) : null;

  const net = new AsyncLocalStorage<LineNet>();
  let consecutive = 0;
  let stopped = false;
  const { validator, fetch } = cliValidator(
    opts.check,
    (r) => {
      const t = net.getStore();
      if (!t) return;
      t.sent++;
      if (answered(r)) t.answered++;
      else if (!r.ok) t.lastError = r.error.message;
    },
    { cacheSize: BATCH_LIMITS.validatorCacheSize, maxStreams: BATCH_LIMITS.maxQueriesInFlightPerResolver },
  );

  const stats: BatchStats = { names: 0, skippedLines: 0, resumed: 0, byLevel: Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>, resolverFailures: 0, startedMs: performance.now() };
  const rows: BatchRow[] | null = opts.report ? [] : null;
  const emit = (obj: Record<string, unknown>, row: BatchRow) => {
    io.out(JSON.stringify(obj) + '\n');
    stats.names++;
    stats.byLevel[row.level]++;
    rows?.push(row);
  };
  const emitError = (input: string, error: string) => emit({ input, error }, errorRow(input, error));

  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const slot = () => (inFlight < opts.jobs ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => waiting.push(() => (inFlight++, r()))));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  let idle: (() => void) | null = null;

  const one = async (input: string, target: { host: string; hostText: string }) => {
    const line: LineNet = { sent: 0, answered: 0, lastError: '' };
    try {
      const res = await net.run(line, () => checkOne({ ...opts.check, ...target }, validator));
      if (line.sent > 0 && line.answered === 0) {
        stats.resolverFailures++;
        if (++consecutive >= BATCH_LIMITS.maxConsecutiveResolverFailures) stopped = true;
        emitError(input, `resolver ${opts.check.resolver} unreachable: ${line.lastError}`);
      } else {
        consecutive = 0;
        const row = rowOf(input, res);
        const file = picture(target.host, res);
        if (file !== undefined && rows) row.svg = file;
        emit({ input, ...res.result, error: null }, row);
      }
    } catch (e) {
      // checkOne gives verdicts, not exceptions; a programming error must still not end the batch.
      emitError(input, `internal error: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      release();
      if (inFlight === 0) idle?.();
    }
  };

  const timer = tty
    ? setInterval(() => io.err(`\r\x1b[K${progressText(stats, inFlight, total, performance.now())}`), BATCH_LIMITS.progressIntervalMs)
    : undefined;
  timer?.unref();
  let readError: string | null = null;
  try {
    for await (const raw of readLines(input, BATCH_LIMITS.maxLineLength)) {
      if (stopped) break;
      const c = classifyLine(raw, BATCH_LIMITS.maxLineLength);
      if (c.kind === 'skip') {
        stats.skippedLines++;
        continue;
      }
      if (c.kind === 'name' && resume.done.has(c.input)) {
        stats.resumed++;
        continue;
      }
      if (c.kind === 'bad') {
        emitError(c.input, c.error);
        continue;
      }
      let target;
      try {
        target = parseTarget(c.input, opts.check.mx === true, opts.check.type !== undefined);
      } catch (e) {
        emitError(c.input, (e as Error).message);
        continue;
      }
      await slot();
      void one(c.input, target);
    }
  } catch (e) {
    readError = `reading ${opts.file} failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  if (inFlight > 0) await new Promise<void>((r) => (idle = r));
  fetch.close();
  if (timer) {
    clearInterval(timer);
    io.err('\r\x1b[K');
  }
  const extra: string[] = [];
  if (stopped) extra.push(`stopped: the resolver ${opts.check.resolver} did not answer for ${BATCH_LIMITS.maxConsecutiveResolverFailures} names in a row; the rest were not checked (run again with --resume)`);
  if (readError) extra.push(readError);
  if (reportFd !== undefined && rows) {
    rows.sort(compareRows);
    const meta = {
      source: opts.file === '-' ? 'standard input' : opts.file,
      generated: new Date().toISOString(),
      resolver: opts.check.resolver,
      what: opts.check.mx ? 'mail domains (--mx)' : opts.check.type !== undefined ? `validated ${typeToString(opts.check.type)} lookups (--type)` : `hosts, port ${opts.check.port}${opts.check.connect ? ', certificates compared (--connect)' : ''}`,
      elapsedSeconds: Math.round((performance.now() - stats.startedMs) / 100) / 10,
      resumed: stats.resumed,
      pictures: opts.svgDir !== undefined ? pictureBase(opts.report!, opts.svgDir) : undefined,
    };
    let buf = '';
    for (const chunk of reportChunks(rows, meta)) {
      buf += chunk;
      if (buf.length >= 1 << 16) {
        writeSync(reportFd, buf);
        buf = '';
      }
    }
    writeSync(reportFd, buf);
    closeSync(reportFd);
    extra.push(`report: ${opts.report}`);
  }
  if (opts.svgDir !== undefined) {
    extra.push(`pictures: ${pictures.written} written into ${opts.svgDir}`);
    if (pictures.failed) extra.push(`${pictures.failed} picture(s) could not be written (first: ${pictures.firstError})`);
  }
  io.err(summaryText(stats, performance.now() - stats.startedMs, extra));
  if (readError || pictures.failed) return 2;
  const attempted = stats.names - stats.byLevel.error + stats.resolverFailures;
  if (stopped || (attempted > 0 && stats.resolverFailures === attempted)) return 3;
  return 0;
}
