#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { explain, renderExplanation } from './codes/explain.js';
import { EXIT, UsageError } from './exitCodes.js';

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
