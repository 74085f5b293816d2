import { ftpd } from './ftpd.js';
import { pamService } from './pam.js';
import { proftpd } from './proftpd.js';
import { pureftpd } from './pureftpd.js';
import { isJournalMarker, parseSyslog, programName, SyslogYear, syslogProgram } from './syslog.js';
import { looksLikeCtime } from './time.js';
import { SKIP, lookupTable, reject, type FormatDefinition, type LineParser, type LineResult, type ParserOptions, type ServerFormat } from './types.js';
import { vsftpd } from './vsftpd.js';
import { xferlog } from './xferlog.js';
import { ZoneClock } from '../zone.js';
import type { FormatName } from '../event.js';

/**
 * A syslog file holds many programs' lines: each FTP server's are read by its own format (vsftpd,
 * proftpd, pure-ftpd, ftpd), an xferlog line a server sent through syslog as xferlog, PAM's lines for
 * an FTP service by that service's server, and every other program's line is skipped. Each event
 * names its own format; the source's is `syslog`.
 */

/** The format of each FTP server's syslog ident, as the formats name theirs. */
const BY_PROGRAM = lookupTable<ServerFormat>(Object.fromEntries([vsftpd, proftpd, pureftpd, ftpd].flatMap((f) => (f.syslogPrograms ?? []).map((p) => [p, f]))));

/** PAM's service names for the FTP servers, when PAM's line comes under another program's tag. */
const BY_PAM_SERVICE = lookupTable<ServerFormat>({ vsftpd, proftpd, 'pure-ftpd': pureftpd });

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const parsers = new Map<FormatName, LineParser>();
  /** The parser of the line before: a line with no header continues its message (a multi-line reply). */
  let last: { format: FormatName; parser: LineParser } | null = null;

  function parserOf(format: ServerFormat): { format: FormatName; parser: LineParser } {
    let parser = parsers.get(format.name);
    if (!parser) parsers.set(format.name, (parser = format.createParser(options)));
    return { format: format.name, parser };
  }

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */ || isJournalMarker(line)) return SKIP.comment;
    const sys = parseSyslog(line, clock, years);
    if (!sys) {
      if (last) return named(last.parser.parse(line), last.format);
      return reject('syslog: line does not start with a syslog header');
    }
    const format = formatOf(line, sys.program, sys.bodyStart);
    if (!format) {
      last = null;
      return SKIP.otherProgram;
    }
    last = parserOf(format);
    return named(last.parser.parse(line), last.format);
  }

  return {
    parse,
    counters: () => ({}),
    resumeLines: () => [],
  };
}

/** Which format reads a line of `program` whose message starts at `at`. */
function formatOf(line: string, program: string, at: number): ServerFormat | null {
  const server = BY_PROGRAM[programName(program)];
  if (server) {
    // ProFTPD's TransferLog and wu-ftpd's xferlog sent through syslog; vsftpd's own stamp is vsftpd's.
    if (server !== vsftpd && looksLikeCtime(line, at)) return xferlog;
    return server;
  }
  const service = pamService(line, at);
  const pam = service === null ? undefined : BY_PAM_SERVICE[service];
  return pam ?? null;
}

function named(r: LineResult, format: FormatName): LineResult {
  return r.type === 'event' ? { type: 'event', event: r.event, format } : r;
}

/** Does a syslog line come from an FTP server this reads? (Detection: a file of them is a `syslog` source.) */
function sniff(line: string): boolean {
  const program = syslogProgram(line);
  return program !== null && BY_PROGRAM[program] !== undefined;
}

export const syslogMix: FormatDefinition = {
  name: 'syslog',
  description: 'a syslog file: each FTP server\'s lines read by its own format (vsftpd, proftpd, pure-ftpd, ftpd), the other programs\' skipped',
  sniff,
  createParser,
  samples: [
    {
      description: "one syslog file, many programs: each FTP server's line by its own format, xferlog through syslog, sshd skipped",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:20 host sshd[990]: Failed password for root from 203.0.113.50 port 40222 ssh2',
        'Mar  5 14:03:21 host vsftpd[4120]: [alice] FAIL LOGIN: Client "203.0.113.9"',
        'Mar  5 14:03:22 host proftpd[20711]: host.example.com (203.0.113.10[203.0.113.10]) - USER bob (Login failed): Incorrect password',
        'Mar  5 14:03:23 host pure-ftpd: (?@203.0.113.11) [WARNING] Authentication failed for user [carol]',
        'Mar  5 14:03:24 host ftpd[2101]: failed login from h.example.net [203.0.113.12], dave',
        'Mar  5 14:03:25 host proftpd[20712]: Tue Mar  5 14:03:25 2024 2 203.0.113.13 1024 /pub/a.txt b _ o r erin ftp 0 * c',
        'Mar  5 14:03:26 host vsftpd[4121]: [frank] FTP response: Client "203.0.113.14", "211-Features:',
        ' EPRT',
        '211 End"',
        'Mar  5 14:03:27 host CRON[1000]: (root) CMD (run-parts /etc/cron.hourly)',
        ' stray',
      ],
      yields: [
        { skip: 'other-program' },
        { event: { kind: 'login', outcome: 'fail', username: 'alice', clientIp: '203.0.113.9' }, format: 'vsftpd' },
        { event: { kind: 'login', outcome: 'fail', username: 'bob', clientIp: '203.0.113.10' }, format: 'proftpd' },
        { event: { kind: 'login', outcome: 'fail', username: 'carol', clientIp: '203.0.113.11' }, format: 'pure-ftpd' },
        { event: { kind: 'login', outcome: 'fail', username: 'dave', clientIp: '203.0.113.12' }, format: 'ftpd' },
        { event: { kind: 'transfer', username: 'erin', clientIp: '203.0.113.13', server: 'host' }, format: 'xferlog' },
        { event: { kind: 'reply', replyCode: 211 }, format: 'vsftpd' },
        { skip: 'continuation' },
        { skip: 'continuation' },
        { skip: 'other-program' },
        { reject: 'syslog: line does not start with a syslog header' },
      ],
    },
  ],
};
