#!/usr/bin/env node
import { createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, extname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { explain, explanationJson, renderExplanation } from './codes/explain.js';
import { EXIT, UsageError } from './exitCodes.js';
import { assertZone, FIRST_YEAR, systemZone, ZoneClock } from './zone.js';
import { SOURCE_FORMAT_NAMES, type SourceFormatName } from './event.js';
import { ingest, type IngestSummary } from './ingest/ingest.js';
import { terminalProgress } from './ingest/progress.js';
import { INGEST_OUTPUTS, renderIngestSummary, summaryRows, type IngestOutput } from './ingest/summary.js';
import { loadCatalog, ReportDefinitionError, type Report, type ReportParam } from './report/catalog.js';
import { buildNightly } from './report/nightly.js';
import { renderNightlyHtml, renderNightlyMarkdown } from './report/nightlyRender.js';
import { bindParams, isSpan, parseTime, splitKeyValues } from './report/params.js';
import { OUTPUT_FORMATS, render, renderChunks, type OutputFormat } from './report/render.js';
import { inZone, reportSql, rowObjects, runReport, runSelect, runStream } from './report/run.js';
import { SOURCE_COLUMNS, SOURCES_SQL, sourceRows, staleRows, type OnDisk } from './report/sources.js';
import { EVENTS_BY_FORMAT_SQL, renderMetrics, type Figures } from './report/metrics.js';
import { checkStoreName, isClickHouse, openQueryStore, openStore, QueryError, storeLabel, StoreError, type QueryStore, type RowStream, type Store } from './store/index.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const program = new Command();

program
  .name('ftplog')
  .description('Turn FTP server logs (vsftpd, ProFTPD, Pure-FTPd, FileZilla Server, IIS FTP, xferlog, wu-ftpd and BSD ftpd) into answers.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('explain')
  .description("Explain an FTP reply code, a Winsock error (number or WSA* name), a Win32 status, an IIS FTP substatus, or IIS's three of one line")
  .argument('<code...>', 'e.g. 530, 10054, WSAECONNRESET, 1326, 41, or 530/1326/41 (sc-status/sc-win32-status/sc-substatus)')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .addHelpText('after', '\nExamples:\n  ftplog explain 530\n  ftplog explain wsaeconnreset --format json\n  ftplog explain 530/1326/41\n  ftplog explain 530 1326 41\n\nExit status: 0 when the code (every one of three) is known, 1 when it is not.')
  .action((code: string[], opts: { format: 'text' | 'json' }) => {
    const e = explain(code.join(' '));
    process.stdout.write(opts.format === 'json' ? explanationJson(e) + '\n' : renderExplanation(e));
    if (!e.found) process.exitCode = EXIT.failed;
  });

const DEFAULT_DB = './ftplog.db';

/** A repeatable option's values. */
const collect = (value: string, previous: string[]) => [...previous, value];

type LogFormat = 'auto' | SourceFormatName;

/**
 * What `--format` said on a command that ingests: the output's format, or a log format's name, which
 * is what `--format` meant there before `--log-format` (the names differ, so old command lines read
 * as they did).
 */
type FormatChoice<T extends string> = { output: T } | { log: LogFormat };

interface IngestFlags {
  logFormat: LogFormat;
  format?: FormatChoice<string>;
  tz: string;
  year?: number;
  maxLineBytes: number;
  include: string[];
  exclude: string[];
  server?: string;
  cluster?: string;
  quiet?: boolean;
}

/** An option's value as a number that `ok` accepts; anything else is a usage error saying what the option takes. */
function numberOption(name: string, what: string, ok: (n: number) => boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!ok(n)) throw new UsageError(`${name} takes ${what}, not '${value}'`);
    return n;
  };
}

const positiveInt = (name: string) => numberOption(name, 'a positive whole number', (n) => Number.isInteger(n) && n > 0);
/** `--year 26` would be read as the year 26 (or 1926): only four digits name a year unambiguously. */
function fourDigitYear(value: string): number {
  if (!/^\d{4}$/.test(value) || Number(value) < FIRST_YEAR) throw new UsageError(`--year takes a four-digit year such as 2024, not '${value}'`);
  return Number(value);
}
const nonNegative = (name: string) => numberOption(name, 'a number of 0 or more', (n) => Number.isFinite(n) && n >= 0);

const LOG_FORMATS: readonly string[] = ['auto', ...SOURCE_FORMAT_NAMES];

/** `--format`'s value on a command that ingests: one of `outputs`, or a log format's name. */
function formatChoice<T extends string>(outputs: readonly T[]) {
  return (value: string): FormatChoice<T> => {
    if ((outputs as readonly string[]).includes(value)) return { output: value as T };
    if (LOG_FORMATS.includes(value)) return { log: value as LogFormat };
    throw new UsageError(`--format takes ${outputs.join(', ')} (the log's own format is --log-format), not '${value}'`);
  };
}

/** The log format of a run: --log-format, or a log format's name given to --format. */
function logFormatOf(flags: IngestFlags): LogFormat {
  const viaFormat = flags.format !== undefined && 'log' in flags.format ? flags.format.log : undefined;
  if (viaFormat === undefined) return flags.logFormat;
  if (flags.logFormat !== 'auto' && flags.logFormat !== viaFormat) {
    throw new UsageError(`--format ${viaFormat} and --log-format ${flags.logFormat} name two log formats: give one, as --log-format`);
  }
  return viaFormat;
}

/** The output format `--format` chose, if it chose one. */
function outputOf<T extends string>(flags: { format?: FormatChoice<string> }): T | undefined {
  return flags.format !== undefined && 'output' in flags.format ? (flags.format.output as T) : undefined;
}

/** The options every command that ingests takes (ingest, nightly). */
function withIngestOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--log-format <format>', 'log format').choices(LOG_FORMATS).default('auto'))
    .option('--tz <zone>', 'IANA time zone of local-time logs (xferlog, vsftpd)', systemZone())
    .option('--year <year>', 'four-digit year of the first syslog line (default: from the file time)', fourDigitYear)
    .option('--max-line-bytes <n>', 'longer lines are rejected', positiveInt('--max-line-bytes'), 65536)
    .option('--server <name>', 'the server of the events whose log names none (xferlog, vsftpd files); kept with the source for later runs')
    .option('--include <glob>', "in folders, read only files whose name matches (repeatable; e.g. '*.log')", collect, [] as string[])
    .option('--exclude <glob>', "in folders, leave out files whose name matches (repeatable; e.g. '*.png')", collect, [] as string[])
    .option('--cluster <name>', 'ClickHouse: create the tables on every server of --db as shards of this cluster (from their remote_servers), under Distributed tables')
    .option('--quiet', 'no progress line and no summary (errors are still reported)');
}

/** Ingests `paths` into an open database; prints errors (and, unless quiet, progress). */
async function ingestPaths(store: Store, paths: string[], flags: IngestFlags): Promise<IngestSummary> {
  const showProgress = !flags.quiet && process.stderr.isTTY === true;
  const summary = await ingest(store, paths, {
    format: logFormatOf(flags), tz: flags.tz, year: flags.year, maxLineBytes: flags.maxLineBytes, include: flags.include, exclude: flags.exclude, server: flags.server,
    progress: showProgress ? (total) => terminalProgress(process.stderr, total) : undefined,
  });
  for (const f of summary.files) if (f.error) process.stderr.write(`ftplog: ${f.path}: ${f.error}\n`);
  return summary;
}

/** The usage errors of a command that ingests, found before any database is opened. */
function checkIngestFlags(flags: IngestFlags): void {
  try {
    assertZone(flags.tz);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  logFormatOf(flags);
}

withIngestOptions(
  program
    .command('ingest')
    .description('Read log files, directories, .gz files or - (stdin) into the database, each line exactly once')
    .argument('<paths...>', 'files, directories (every file below, in name order), .gz files, or - for stdin')
    .option('--db <file|url>', 'SQLite database file (created on first use), or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--format <format>', 'the summary: text (on stderr; the default), json (one object), or table, csv, markdown (a row per source), on stdout',
      formatChoice(INGEST_OUTPUTS))
    .option('--json', 'the summary as one JSON object on stdout (as --format json)'),
).addHelpText('after', `
Examples:
  ftplog ingest /var/log/xferlog /var/log/vsftpd.log
  ftplog ingest --tz Europe/Berlin --db ops.db logs/
  ftplog ingest --log-format iis --format csv /mnt/w3svc/ > ingested.csv
  zcat old.log.gz | ftplog ingest -
  ftplog ingest /srv/ftp/logs --include '*.log' --include '*.log.[0-9]*' --exclude '*.png'
  ftplog ingest --server ftp2 /mnt/ftp2/var/log/vsftpd.log
  ftplog ingest --db clickhouse://ftplog@ch1:8123/ftplog /var/log/vsftpd.log
  ftplog ingest --db clickhouse://ch1:8123,ch2:8123/ftplog --cluster ftp_logs /var/log/vsftpd.log

Re-running over the same files adds nothing; a file that grew is read from where the last run
stopped; a .gz file is read once. Exit status: 0 all sources read, 1 some source could not be
read (the others are still ingested), 2 usage error.`)
  .action(async (paths: string[], flags: IngestFlags & { db: string; json?: boolean }) => {
    checkIngestFlags(flags);
    const output = flags.json ? 'json' : outputOf<IngestOutput>(flags) ?? 'text';
    const store = await openForIngest(flags.db, flags.cluster);
    try {
      const summary = await ingestPaths(store, paths, flags);
      if (output === 'json') process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else if (output !== 'text') process.stdout.write(render(summaryRows(summary), output));
      else if (!flags.quiet) process.stderr.write(renderIngestSummary(summary, storeLabel(flags.db)));
      if (summary.failed > 0) process.exitCode = EXIT.failed;
    } finally {
      await store.close();
    }
  });

interface OutputFlags {
  format?: OutputFormat;
  out?: string;
  csvSafe: boolean;
  excel?: boolean;
  wide?: boolean;
}

/** The output switches every row-printing command shares. */
function withOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'table, csv, json or markdown (default: from --out, else table)').choices([...OUTPUT_FORMATS]))
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--no-csv-safe', "CSV: keep cells starting with = + - @ as they are (by default they get a leading ')")
    .option('--excel', 'CSV: start with a UTF-8 byte order mark for Excel')
    .option('--wide', 'table: cut no cell to fit the terminal (by default only free text such as paths is shortened)');
}

const BY_EXTENSION: Record<string, OutputFormat> = { '.csv': 'csv', '.json': 'json', '.md': 'markdown', '.markdown': 'markdown' };

/** The reader's zone: --utc, --tz, else this machine's. */
function readerClock(flags: { tz?: string; utc?: boolean }): ZoneClock {
  if (flags.utc && flags.tz !== undefined) throw new UsageError('--utc and --tz cannot both be given');
  try {
    return new ZoneClock(flags.utc ? 'UTC' : (flags.tz ?? systemZone()));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Output gathered into writes of about this many characters. */
const WRITE_CHARS = 1 << 16;

/**
 * Writes rows as they are read, waiting whenever the reader is slower, so output of any size takes
 * bounded memory; a reader that stops early (`| head`) ends the command (see main). `what` names
 * the query in an error met while reading.
 */
async function emitRows(result: RowStream, flags: OutputFlags, what: string): Promise<void> {
  const fromOut = flags.out ? BY_EXTENSION[extname(flags.out).toLowerCase()] : undefined;
  const format = flags.format ?? fromOut ?? 'table';
  const toTerminal = !flags.out && !flags.wide && process.stdout.isTTY === true;
  const out: Writable = flags.out ? openOut(flags.out) : process.stdout;
  let pending = '';
  const flush = async () => {
    const ok = out.write(pending);
    pending = '';
    if (!ok) await once(out, 'drain');
  };
  try {
    for await (const chunk of renderChunks(result, format, { width: toTerminal ? process.stdout.columns : undefined, csvSafe: flags.csvSafe, excel: flags.excel })) {
      pending += chunk;
      if (pending.length >= WRITE_CHARS) await flush();
    }
    if (pending) await flush();
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`${what}: ${(err as Error).message}`);
    throw err;
  } finally {
    if (out !== process.stdout) await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
  }
}

/** The --out file, as a stream. */
function openOut(path: string): Writable {
  outFolderExists(path);
  return createWriteStream(path);
}

/** Says which folder of --out is missing, rather than ENOENT. */
function outFolderExists(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new UsageError(`--out ${path}: the folder ${folder} does not exist`);
}

function catalog(queries: string[]): Map<string, Report> {
  try {
    return loadCatalog(queries);
  } catch (err) {
    if (err instanceof ReportDefinitionError) throw new UsageError(err.message);
    throw err;
  }
}

/** Writes --out at once (a nightly report, small by design). */
function writeOut(path: string, text: string): void {
  outFolderExists(path);
  writeFileSync(path, text);
}

function readDb(path: string): Promise<QueryStore> {
  return opened(() => openQueryStore(path));
}

/** What `open` opens; a store that refuses (not ftplog's, not there) is a usage error. */
async function opened<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof StoreError) throw new UsageError(err.message);
    throw err;
  }
}


withOutputOptions(
  program
    .command('reports')
    .description('List the canned reports with their titles and parameters (as rows with --format or --out)')
    .option('--queries <dir>', "also load the .sql reports in this folder (repeatable)", collect, [] as string[]),
).addHelpText('after', '\nExamples:\n  ftplog reports --queries ./my-reports\n  ftplog reports --format csv --out reports.csv')
  .action(async (flags: OutputFlags & { queries: string[] }) => {
    const reports = [...catalog(flags.queries).values()];
    const paramText = (p: ReportParam) => `${p.name}=<${p.type.kind === 'choice' ? p.type.choices.join('|') : p.type.kind}>`;
    const paramDefault = (p: ReportParam) => `default ${p.default}${p.description ? `: ${p.description}` : ''}`;
    const stores = (r: Report) => Object.keys(r.sql).join(', ');
    if (flags.format || flags.out) {
      const rows = reports.map((r) => [r.name, r.title, r.description, r.params.map((p) => `${paramText(p)} ${paramDefault(p)}`).join('; '), stores(r), r.file]);
      return emitRows({ columns: ['name', 'title', 'description', 'parameters', 'stores', 'file'], rows }, flags, 'reports');
    }
    for (const r of reports) {
      process.stdout.write(`${r.name.padEnd(16)} ${r.title}\n`);
      if (r.description) process.stdout.write(`${' '.repeat(17)}${r.description}\n`);
      process.stdout.write(`${' '.repeat(17)}runs on: ${stores(r)}\n`);
      for (const p of r.params) {
        process.stdout.write(`${' '.repeat(17)}--param ${paramText(p)}  ${paramDefault(p)}\n`);
      }
      process.stdout.write('\n');
    }
  });

withOutputOptions(
  program
    .command('report')
    .description('Run a canned report')
    .argument('<name>', 'report name (see ftplog reports)')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--since <time>', 'only events at or after: ISO date/time (UTC) or a span back from now (24h, 7d)')
    .option('--until <time>', 'only events before: same forms as --since')
    .option('--param <key=value>', 'set a report parameter (repeatable)', collect, [] as string[])
    .option('--queries <dir>', 'also load the .sql reports in this folder (repeatable)', collect, [] as string[])
    .option('--tz <zone>', 'IANA time zone for dates in --since/--until and the times shown (default: this machine\'s)')
    .option('--utc', 'dates and times in UTC (as --tz UTC)'),
).addHelpText('after', `
Examples:
  ftplog report overview
  ftplog report auth-failures --since yesterday --until today --tz Europe/Berlin
  ftplog report failure-rate --since 7d --param bucket=hour
  ftplog report brute-force --param threshold=5 --param window=2 --format json
  ftplog report auth-failures --out auth.csv --excel
  FTPLOG_CLICKHOUSE_PASSWORD=… ftplog report headline --db clickhouse://reports@ch1:8123/ftplog --since 24h`)
  .action(async (name: string, flags: OutputFlags & { db: string; since?: string; until?: string; param: string[]; queries: string[]; tz?: string; utc?: boolean }) => {
    const reports = catalog(flags.queries);
    const report = reports.get(name);
    if (!report) throw new UsageError(`no report named '${name}' (known: ${[...reports.keys()].join(', ')})`);
    const clock = readerClock(flags);
    const params = bindParams(report, { since: flags.since, until: flags.until, params: flags.param, readFile: (path) => readFileSync(path, 'utf8') }, new Date(), clock);
    const db = await readDb(flags.db);
    try {
      await emitRows(inZone(await runStream(db, reportSql(report, db.dialect), params, `report '${name}'`), clock), flags, `report '${name}'`);
    } finally {
      await db.close();
    }
  });

withOutputOptions(
  program
    .command('sources')
    .description('List what the database has read: one row per source, the time span of its events, its counts and its status on disk')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--stale <span>', 'only the sources whose newest event is older than this (12h, 2d, 1w); exit 3 when there are any')
    .option('--now <time>', 'count ages from this time instead of now')
    .option('--tz <zone>', "IANA time zone for the times shown (default: this machine's)")
    .option('--utc', 'times in UTC (as --tz UTC)'),
).addHelpText('after', `
Examples:
  ftplog sources
  ftplog sources --stale 2d || mail -s "FTP logs stopped arriving" ops@example.com
  ftplog sources --format csv --out sources.csv

Status: complete (read to the end of what is there), growing (the file holds more: the next ingest
reads it), gone (no file at the path any more), failed: <why the last read stopped>.
Exit status: 0; 3 with --stale when a source is stale; 2 usage error.`)
  .action(async (flags: OutputFlags & { db: string; stale?: string; now?: string; tz?: string; utc?: boolean }) => {
    const clock = readerClock(flags);
    const now = flags.now === undefined ? new Date() : new Date(parseTime(flags.now, new Date(), clock));
    if (flags.stale !== undefined && !isSpan(flags.stale)) throw new UsageError(`--stale takes a span like 12h, 2d or 1w, not '${flags.stale}'`);
    const db = await readDb(flags.db);
    let rows;
    try {
      rows = sourceRows(await runSelect(db, SOURCES_SQL[db.dialect], {}, 'sources'), onDisk, now);
    } finally {
      await db.close();
    }
    if (flags.stale !== undefined) {
      rows = staleRows(rows, parseTime(flags.stale, now));
      if (rows.length > 0) process.exitCode = EXIT.breach;
    }
    const stream = { columns: [...SOURCE_COLUMNS], rows: rows.map((r) => SOURCE_COLUMNS.map((c) => r[c])) };
    await emitRows(inZone(stream, clock), flags, 'sources');
  });

program
  .command('metrics')
  .description("Print the database's figures in the Prometheus text format (for node_exporter's textfile collector)")
  .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
  .addOption(new Option('--format <format>', 'output format').choices(['prometheus', 'json']).default('prometheus'))
  .option('--out <file>', 'write to this file, replacing it at once (a collector never reads half of it)')
  .option('--now <time>', 'count ages from this time instead of now')
  .addHelpText('after', `
Examples:
  ftplog metrics
  ftplog metrics --out /var/lib/node_exporter/textfile_collector/ftplog.prom   # from cron, after ftplog ingest

Families (all gauges): ftplog_events{format,outcome}, ftplog_failed_events, ftplog_failed_logins,
ftplog_failed_transfers, ftplog_transfer_bytes, ftplog_rejected_lines, ftplog_sources, and per source
(labels source, path, format) ftplog_source_lines, ftplog_source_last_event_age_seconds and
ftplog_source_status{status="complete|growing|gone|failed"}.`)
  .action(async (flags: { db: string; format: 'prometheus' | 'json'; out?: string; now?: string }) => {
    const now = flags.now === undefined ? new Date() : new Date(parseTime(flags.now));
    const headline = catalog([]).get('headline')!;
    const db = await readDb(flags.db);
    let figures: Figures;
    try {
      const [h] = rowObjects(await runReport(db, headline, bindParams(headline, { params: [] }, now)));
      figures = {
        headline: h as Figures['headline'],
        byFormat: rowObjects(await runSelect(db, EVENTS_BY_FORMAT_SQL[db.dialect], {}, 'metrics')) as Figures['byFormat'],
        sources: sourceRows(await runSelect(db, SOURCES_SQL[db.dialect], {}, 'metrics'), onDisk, now),
        now,
      };
    } finally {
      await db.close();
    }
    const text = flags.format === 'json' ? JSON.stringify({ ...figures, now: figures.now.toISOString() }, null, 2) + '\n' : renderMetrics(figures);
    if (!flags.out) return void process.stdout.write(text);
    writeFileSync(`${flags.out}.tmp`, text);
    renameSync(`${flags.out}.tmp`, flags.out);
  });

withOutputOptions(
  program
    .command('prune')
    .description('Delete events, rejects and rollup rows older than a time; read positions stay, so a pruned file is never read again')
    .requiredOption('--before <time>', 'delete what lies before this: a date (2024-01-01), a date-time, or a span back from now (90d)')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .option('--vacuum', 'then give the space back to the file system (needs free space the size of the database)')
    .option('--tz <zone>', "IANA time zone of a date in --before (default: this machine's)")
    .option('--utc', 'dates in UTC (as --tz UTC)'),
).addHelpText('after', `
Examples:
  ftplog prune --before 90d --dry-run
  ftplog prune --before 2024-01-01 --vacuum

Reports over a window from --before on are unchanged. Exit status: 0; 2 usage error.`)
  .action(async (flags: OutputFlags & { before: string; db: string; dryRun?: boolean; vacuum?: boolean; tz?: string; utc?: boolean }) => {
    const before = parseTime(flags.before, new Date(), readerClock(flags));
    const store = await openWritable(flags.db);
    let counts;
    try {
      counts = await store.prune(before, { dryRun: flags.dryRun === true, vacuum: flags.vacuum === true });
    } finally {
      await store.close();
    }
    const columns = ['before', 'dry_run', 'events', 'rejects', 'hourly_rows', 'client_rows', 'user_rows'];
    await emitRows({ columns, rows: [[before, flags.dryRun === true, counts.events, counts.rejects, counts.hourly, counts.clients, counts.users]] }, flags, 'prune');
  });

withOutputOptions(
  program
    .command('forget')
    .description('Remove sources (by path or id) with their events, rejects and rollup totals and their read positions, so the next ingest reads them again')
    .argument('<sources...>', 'a path as ingest read it, or a source id (see ftplog sources)')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--dry-run', 'show what would be removed, remove nothing'),
).addHelpText('after', `
Examples:
  ftplog forget /var/log/vsftpd.log && ftplog ingest --tz Europe/Berlin /var/log/vsftpd.log   # read again with the right zone
  ftplog forget 12 13 --dry-run

Exit status: 0; 1 when a path or id names no source (the others are still removed); 2 usage error.`)
  .action(async (names: string[], flags: OutputFlags & { db: string; dryRun?: boolean }) => {
    const store = await openWritable(flags.db);
    const rows: unknown[][] = [];
    try {
      for (const name of names) {
        const found = await store.forget(/^\d+$/.test(name) ? Number(name) : resolve(name), { dryRun: flags.dryRun === true });
        if (found.length === 0) {
          process.stderr.write(`ftplog: forget: no source ${/^\d+$/.test(name) ? `with id ${name}` : `read from ${resolve(name)}`}\n`);
          process.exitCode = EXIT.failed;
        }
        for (const f of found) rows.push([f.sourceId, f.path, f.format, f.events, f.rejects, flags.dryRun === true]);
      }
    } finally {
      await store.close();
    }
    await emitRows({ columns: ['source_id', 'path', 'format', 'events', 'rejects', 'dry_run'], rows }, flags, 'forget');
  });

/** The database opened for changes; it must exist already. */
function openWritable(db: string): Promise<Store> {
  if (!isClickHouse(db) && !existsSync(db)) throw new UsageError(`no database at ${db}`);
  return opened(() => openStore(db));
}

/**
 * The database opened for ingest, created on first use (a ClickHouse one over a cluster's shards with
 * --cluster). A --db that names no store is a usage error; one that cannot be opened fails the run (exit 1).
 */
async function openForIngest(db: string, cluster?: string): Promise<Store> {
  if (cluster !== undefined && !isClickHouse(db)) throw new UsageError('--cluster goes with a ClickHouse --db (clickhouse://host:8123/database)');
  await opened(async () => checkStoreName(db));
  return openStore(db, { cluster });
}

/** What is at a path now. */
function onDisk(path: string): OnDisk {
  try {
    return { exists: true, size: statSync(path).size };
  } catch {
    return { exists: false };
  }
}

withOutputOptions(
  program
    .command('sql')
    .description('Run your own SELECT on the database, opened read-only')
    .argument('<select>', 'one SQL statement that returns rows')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--param <key=value>', 'bind :key in the statement (repeatable)', collect, [] as string[]),
).addHelpText('after', `
Examples:
  ftplog sql "SELECT client_ip, count(*) AS n FROM events WHERE outcome = 'fail' GROUP BY 1 ORDER BY n DESC LIMIT 10"
  ftplog sql "SELECT * FROM events WHERE username = :u" --param u=alice --format csv

Writes (INSERT, UPDATE, DELETE, DROP …), ATTACH and pragma changes are refused (exit 2).`)
  .action(async (select: string, flags: OutputFlags & { db: string; param: string[] }) => {
    const params = Object.fromEntries(splitKeyValues(flags.param));
    const db = await readDb(flags.db);
    try {
      await emitRows(await runStream(db, select, params, 'sql'), flags, 'sql');
    } finally {
      await db.close();
    }
  });

interface NightlyFlags extends IngestFlags {
  db: string;
  since: string;
  baseline: string;
  out?: string;
  now?: string;
  failRateAbove?: number;
  authFailuresAbove?: number;
  rejectsAbove?: number;
  allowEmpty?: boolean;
  utc?: boolean;
}

const NIGHTLY_OUTPUTS = ['markdown', 'html'] as const;
type NightlyOutput = (typeof NIGHTLY_OUTPUTS)[number];

/** The nightly report's format from the --out file's extension; markdown to stdout. */
function nightlyFormatOf(out: string | undefined): NightlyOutput {
  const ext = out ? extname(out).toLowerCase() : '.md';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  throw new UsageError('--out must end in .html or .md, or --format must say which');
}

withIngestOptions(
  program
    .command('nightly')
    .description('Ingest (optional), then the night\'s ops report against a baseline, with thresholds for cron')
    .argument('[paths...]', 'logs to ingest first (same exactly-once ingest as ftplog ingest)')
    .option('--db <file|url>', 'SQLite database file, or clickhouse://host:8123/database', DEFAULT_DB)
    .option('--since <time>', 'start of the window: a span back from now (24h) or a time', '24h')
    .option('--baseline <span>', 'how far before the window the baseline reaches', '7d')
    .option('--out <file>', 'write report.html or report.md (format from the extension); default: markdown to stdout')
    .option('--format <format>', 'markdown or html (default: from --out, else markdown)', formatChoice(NIGHTLY_OUTPUTS))
    .option('--now <time>', 'report as if it were this time (re-run an old night); default: now')
    .option('--fail-rate-above <percent>', 'breach when the failure rate (%) is above this', nonNegative('--fail-rate-above'))
    .option('--auth-failures-above <n>', 'breach when failed logins are more than this', nonNegative('--auth-failures-above'))
    .option('--rejects-above <n>', 'breach when rejected lines are more than this', nonNegative('--rejects-above'))
    .option('--allow-empty', 'a window without events, or a log silent since the baseline, is no breach')
    .option('--utc', 'show times in UTC (by default in --tz, the zone the logs and their reader are in)'),
).addHelpText('after', `
Examples:
  ftplog nightly /var/log/vsftpd.log --out /srv/reports/ftp.html --fail-rate-above 5 --auth-failures-above 50
  ftplog nightly --since 2024-03-05 --now 2024-03-06 --baseline 7d
  ftplog nightly --log-format vsftpd /var/log/vsftpd.log --format html | mail -a 'Content-Type: text/html' -s 'FTP night' ops@example.com

A window without events, a log silent since the baseline and a brute-force burst followed by a
successful login are breaches whether or not thresholds are given.

Exit status: 0 nothing breached, 3 something was breached (listed at the top of the report),
1 the run itself failed (a log could not be read, the database could not be opened), 2 usage error.`)
  .action(async (paths: string[], flags: NightlyFlags) => {
    checkIngestFlags(flags);
    const now = flags.now === undefined ? new Date() : new Date(parseTime(flags.now));
    if (!isSpan(flags.baseline) || Date.parse(parseTime(flags.baseline, now)) >= now.getTime()) {
      throw new UsageError('--baseline takes a span such as 7d');
    }
    if (Date.parse(parseTime(flags.since, now)) >= now.getTime()) throw new UsageError('--since must be before --now');
    const format = outputOf<NightlyOutput>(flags) ?? nightlyFormatOf(flags.out);
    const reports = catalog([]);
    let ingested: Array<[string, string]> | undefined;
    let unreadable: Array<{ path: string; error: string }> = [];
    if (paths.length) {
      const store = await openForIngest(flags.db, flags.cluster);
      try {
        const s = await ingestPaths(store, paths, flags);
        unreadable = s.files.filter((f) => f.status === 'failed').map((f) => ({ path: f.path, error: f.error ?? 'could not be read' }));
        ingested = [
          ['Sources read by this run', `${s.sources - s.failed} of ${s.sources}${s.failed ? ` (${s.failed} could not be read)` : ''}`],
          ['Lines read by this run', `${s.lines} (${s.events} events, ${s.skipped} skipped, ${s.rejected} rejected)`],
        ];
      } finally {
        await store.close();
      }
    }
    // An unopenable database fails the run (exit 1), as a cron job should see it.
    const db = await openQueryStore(flags.db);
    let data;
    try {
      data = await buildNightly(db, reports, {
        since: flags.since, baseline: flags.baseline, now, dbPath: storeLabel(flags.db), ingested, unreadable, allowEmpty: flags.allowEmpty,
        clock: flags.utc ? new ZoneClock('UTC') : readerClock({ tz: flags.tz }),
        thresholds: { failRate: flags.failRateAbove, authFailures: flags.authFailuresAbove, rejects: flags.rejectsAbove },
      });
    } finally {
      await db.close();
    }
    const text = format === 'html' ? renderNightlyHtml(data) : renderNightlyMarkdown(data);
    if (flags.out) writeOut(flags.out, text);
    else process.stdout.write(text);
    if (!flags.quiet) for (const b of data.breaches) process.stderr.write(`ftplog: threshold breached: ${b}\n`);
    process.exitCode = unreadable.length ? EXIT.failed : data.breaches.length ? EXIT.breach : EXIT.ok;
  });

async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: the output is no longer wanted, which is no
  // failure. Any other error writing the output is.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.stderr.write(`ftplog: cannot write the output: ${err.message}\n`);
    process.exit(err.code === 'EPIPE' ? (process.exitCode ?? EXIT.ok) : EXIT.failed);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version arrive here as "errors" too; they are successes.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`ftplog: ${err.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`ftplog: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.failed;
  }
}

await main(process.argv);
