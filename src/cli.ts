#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { explain, renderExplanation } from './codes/explain.js';
import { EXIT, UsageError } from './exitCodes.js';
import { FORMAT_NAMES } from './formats/index.js';
import { assertZone, systemZone } from './formats/time.js';
import type { FormatName } from './formats/types.js';
import { ingest } from './ingest/ingest.js';
import { terminalProgress } from './ingest/progress.js';
import { renderIngestSummary } from './ingest/summary.js';
import { openForWrite } from './store/db.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const program = new Command();

program
  .name('ftplog')
  .description('Turn FTP server logs (xferlog, vsftpd, IIS FTP) into answers.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('explain')
  .description('Explain an FTP reply code, a Winsock error (number or WSA* name) or a Win32 status')
  .argument('<code>', 'e.g. 530, 10054, WSAECONNRESET, 1326')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .addHelpText('after', '\nExamples:\n  ftplog explain 530\n  ftplog explain wsaeconnreset --format json\n\nExit status: 0 when the code is known, 1 when it is not.')
  .action((code: string, opts: { format: 'text' | 'json' }) => {
    const e = explain(code);
    process.stdout.write(opts.format === 'json' ? JSON.stringify(e, null, 2) + '\n' : renderExplanation(e));
    if (!e.found) process.exitCode = EXIT.failed;
  });

const DEFAULT_DB = './ftplog.db';

interface IngestFlags {
  db: string;
  format: 'auto' | FormatName;
  tz: string;
  year?: number;
  maxLineBytes: number;
  json?: boolean;
  quiet?: boolean;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} takes a positive whole number, not '${value}'`);
    return n;
  };
}

program
  .command('ingest')
  .description('Read log files, directories, .gz files or - (stdin) into the database, each line exactly once')
  .argument('<paths...>', 'files, directories (every file below, in name order), .gz files, or - for stdin')
  .option('--db <file>', 'SQLite database file (created on first use)', DEFAULT_DB)
  .addOption(new Option('--format <format>', 'log format').choices(['auto', ...FORMAT_NAMES]).default('auto'))
  .option('--tz <zone>', 'IANA time zone of local-time logs (xferlog, vsftpd)', systemZone())
  .option('--year <year>', 'year of the first syslog line (default: from the file time)', positiveInt('--year'))
  .option('--max-line-bytes <n>', 'longer lines are rejected', positiveInt('--max-line-bytes'), 65536)
  .option('--json', 'print the summary as one JSON object on stdout')
  .option('--quiet', 'no progress line and no summary (errors are still reported)')
  .addHelpText('after', `
Examples:
  ftplog ingest /var/log/xferlog /var/log/vsftpd.log
  ftplog ingest --tz Europe/Berlin --db ops.db logs/
  zcat old.log.gz | ftplog ingest -

Re-running over the same files adds nothing; a file that grew is read from where the last run
stopped; a .gz file is read once. Exit status: 0 all sources read, 1 some source could not be
read (the others are still ingested), 2 usage error.`)
  .action(async (paths: string[], flags: IngestFlags) => {
    try {
      assertZone(flags.tz);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const db = openForWrite(flags.db);
    try {
      const showProgress = !flags.quiet && process.stderr.isTTY === true;
      const summary = await ingest(db, paths, {
        format: flags.format, tz: flags.tz, year: flags.year, maxLineBytes: flags.maxLineBytes,
        progress: showProgress ? (total) => terminalProgress(process.stderr, total) : undefined,
      });
      if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else if (!flags.quiet) process.stderr.write(renderIngestSummary(summary, flags.db));
      for (const f of summary.files) if (f.error) process.stderr.write(`ftplog: ${f.path}: ${f.error}\n`);
      if (summary.failed > 0) process.exitCode = EXIT.failed;
    } finally {
      db.close();
    }
  });

async function main(argv: string[]): Promise<void> {
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
