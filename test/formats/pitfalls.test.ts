import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/formats/detect.js';
import { FORMATS } from '../../src/formats/index.js';
import { ZoneClock } from '../../src/zone.js';
import { isoSeconds } from '../../src/timestamp.js';
import { parseBytes } from '../helpers/parse.js';

const XFER = 'Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * c';
const VSFTPD = 'Tue Mar  5 14:03:21 2024 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"';
const IIS = '2024-03-05 14:00:01 198.51.100.4 - 192.0.2.10 21 USER bob 331 0 0 s1 -';

describe('detection', () => {
  it('recognises each format from its first lines', () => {
    expect(detectFormat([XFER, XFER])?.name).toBe('xferlog');
    expect(detectFormat([VSFTPD])?.name).toBe('vsftpd');
    expect(detectFormat(['#Software: Microsoft Internet Information Services 10.0', IIS])?.name).toBe('iis');
    expect(detectFormat([IIS])?.name).toBe('iis');
    expect(detectFormat(['Mar  5 14:03:21 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"'])?.name).toBe('syslog'); // a syslog file is read as a mix: each line by its program's format
  });

  it('goes by the majority when one line is odd', () => {
    expect(detectFormat(['garbage', XFER, XFER, VSFTPD])?.name).toBe('xferlog');
  });

  it('turns every line of an unrecognised source into a reject, blank lines into skips', () => {
    const r = parseBytes('hello world\n\nthis is a shopping list\n');
    expect(r.format).toBeNull();
    expect(r.counts).toEqual({ lines: 3, events: 0, skipped: 1, rejected: 2 });
    expect(r.rejects.map((x) => x.reason)).toEqual(['unknown format', 'unknown format']);
  });

  it('obeys a forced format even where the lines look otherwise', () => {
    const r = parseBytes(`${XFER}\n`, { format: 'vsftpd' });
    expect(r.format).toBe('vsftpd');
    expect(r.counts.rejected).toBe(1);
  });

  it('decides on a source shorter than the sniffing window', () => {
    expect(parseBytes(`${XFER}\n`).counts).toEqual({ lines: 1, events: 1, skipped: 0, rejected: 0 });
  });

  it('keeps line order across the sniffing window', () => {
    const lines = Array.from({ length: 45 }, (_, i) => XFER.replace('/pub/a.iso', `/f${i}`));
    const r = parseBytes(lines.join('\n'));
    expect(r.events.map((e) => e.path)).toEqual(lines.map((_, i) => `/f${i}`));
  });

  it('reads a syslog file whose first FTP line comes after the lines it holds to decide, or never comes', () => {
    const sshd = (i: number) => `Mar  6 09:00:${String(i % 60).padStart(2, '0')} ftp1 sshd[${1000 + i}]: Failed password for root from 203.0.113.${i % 250} port ${40000 + i} ssh2`;
    const others = Array.from({ length: 5000 }, (_, i) => sshd(i));
    const late = parseBytes([...others, 'Mar  6 10:00:00 ftp1 vsftpd[4120]: [bob] FAIL LOGIN: Client "198.51.100.4"'].join('\n'));
    expect(late.counts).toEqual({ lines: 5001, events: 1, skipped: 5000, rejected: 0 });
    expect(late.events[0]).toMatchObject({ kind: 'login', outcome: 'fail', username: 'bob', clientIp: '198.51.100.4' });
    expect(parseBytes(others.slice(0, 3).join('\n')).counts).toEqual({ lines: 3, events: 0, skipped: 3, rejected: 0 });
  });
});

describe('hostile input', () => {
  const junk = 'x'.repeat(1024 * 1024);
  const spaced = ('Tue Mar  5 14:03:27 2024 ' + 'a '.repeat(300_000)).slice(0, 1024 * 1024);
  const quoted = 'Tue Mar  5 14:03:27 2024 [pid 1] OK LOGIN: Client "' + '", "'.repeat(200_000);

  it.each(FORMATS.map((f) => [f.name, f] as const))('%s rejects 1 MB junk lines quickly and without a crash', (_n, format) => {
    const parser = format.createParser({ tz: 'UTC', referenceDate: new Date() });
    for (const line of [junk, spaced, quoted, '\u0000\u0001\u0002\ufffd\ufffd']) {
      const r = parser.parse(line);
      expect(r.type).toBe('reject');
    }
  });

  it('rejects a line over the limit and goes on with the next', () => {
    const r = parseBytes(`${XFER}\n${junk}\n${XFER}\n`, { maxLineBytes: 65536 });
    expect(r.counts).toEqual({ lines: 3, events: 2, skipped: 0, rejected: 1 });
    expect(r.rejects[0]).toEqual({ lineNo: 2, reason: `line longer than 65536 bytes (${junk.length} bytes)` });
  });

  it('honours a configured line limit', () => {
    const r = parseBytes(`${XFER}\n`, { maxLineBytes: 40 });
    expect(r.rejects[0]!.reason).toBe(`line longer than 40 bytes (${XFER.length} bytes)`);
  });

  it('reads CRLF line endings and a UTF-8 BOM', () => {
    const r = parseBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${XFER}\r\n${XFER}\r\n`)]));
    expect(r.counts.events).toBe(2);
    expect(r.events[0]!.detail).toBe('real ftp');
    expect(r.events[1]!.ts).toBe('2024-03-05T14:03:27Z');
  });

  it('decodes invalid UTF-8 with replacement characters and keeps the event', () => {
    const bad = Buffer.from(XFER.replace('/pub/a.iso', '/pub/caf\u00e9.iso'), 'latin1');
    const r = parseBytes(Buffer.concat([bad, Buffer.from('\n')]));
    expect(r.events[0]!.path).toBe('/pub/caf\ufffd.iso');
  });

  it('reads a vsftpd action named like a property every object has as an unknown action', () => {
    const line = (action: string) => `Tue Mar  5 14:03:21 2024 [pid 4120] [alice] OK ${action}: Client "203.0.113.9", "/x"`;
    const r = parseBytes([line('SITE'), line('constructor'), line('toString')].join('\n'));
    expect(r.events.map((e) => [e.kind, e.command, e.path, e.detail])).toEqual([
      ['command', 'SITE', null, '/x'], ['command', 'constructor', null, '/x'], ['command', 'toString', null, '/x'],
    ]);
  });
});

describe('IIS values', () => {
  const FIELDS = '#Fields: date time c-ip cs-username cs-method cs-uri-stem sc-status sc-win32-status sc-substatus sc-bytes time-taken x-session';
  const parse = (...lines: string[]) => parseBytes([FIELDS, ...lines].join('\n') + '\n', { format: 'iis' });

  it('reads whole numbers with leading zeros; a number past 2^53 - 1, a sign, a fraction, an exponent or hex is a reject; - is none', () => {
    const r = parse(
      '2024-03-05 14:00:01 198.51.100.4 bob RETR /a 226 0 007 9007199254740991 - s1',
      '2024-03-05 14:00:01 198.51.100.4 bob RETR /a 226 0 0 12345678901234567 5 s1',
      '2024-03-05 14:00:02 198.51.100.4 bob RETR /a 226 - abc 0 5 s1',
      '2024-03-05 14:00:02 198.51.100.4 bob RETR /a 226 0 0 0 1e3 s1',
      '2024-03-05 14:00:02 198.51.100.4 bob RETR /a 226 0 0 -5 5 s1',
      '2024-03-05 14:00:02 198.51.100.4 bob RETR /a 226 0 0 0x10 5 s1',
      '2024-03-05 14:00:02 198.51.100.4 bob RETR /a 226 0 0 1.5 5 s1',
    );
    expect(r.events.map((e) => [e.replyCode, e.win32Status, e.substatus, e.bytes, e.durationMs])).toEqual([[226, 0, 7, 9007199254740991, null]]);
    expect(r.rejects.map((x) => x.reason)).toEqual([
      "iis: sc-bytes '12345678901234567' is not a whole number", "iis: sc-substatus 'abc' is not a whole number",
      "iis: time-taken '1e3' is not a whole number", "iis: sc-bytes '-5' is not a whole number", "iis: sc-bytes '0x10' is not a whole number",
      "iis: sc-bytes '1.5' is not a whole number",
    ]);
  });

  it('counts an empty value between two spaces as a value, and counts every value of a line that has too many', () => {
    const r = parse(
      '2024-03-05 14:00:01 198.51.100.4  RETR /a 226 0 0 10 5 s1',
      '2024-03-05 14:00:01 198.51.100.4 bob  RETR /a 226 0 0 10 5 s1',
      '2024-03-05 14:00:01 198.51.100.4 bob RETR /a 226 0 0 10 5 s1 x y z',
      '2024-03-05 14:00:01 198.51.100.4 bob RETR /a 226 0 0 20 5 s1   ',
    );
    expect(r.rejects.map((x) => x.reason)).toEqual(['iis: 13 values for 12 fields', 'iis: 15 values for 12 fields']);
    expect(r.events.map((e) => [e.username, e.bytes, e.session])).toEqual([['', 10, 's1'], ['bob', 20, 's1']]);
  });
});

describe('time zones', () => {
  it('converts local times across the spring-forward and fall-back changes', () => {
    const c = new ZoneClock('Europe/Berlin');
    expect(isoSeconds(c.toUtcMs(2024, 3, 31, 1, 59, 59))).toBe('2024-03-31T00:59:59Z');
    expect(isoSeconds(c.toUtcMs(2024, 3, 31, 3, 0, 0))).toBe('2024-03-31T01:00:00Z');
    expect(isoSeconds(c.toUtcMs(2024, 3, 31, 2, 30, 0))).toBe('2024-03-31T01:30:00Z'); // does not exist: moved forward
    expect(isoSeconds(c.toUtcMs(2024, 10, 27, 2, 30, 0))).toBe('2024-10-27T00:30:00Z'); // occurs twice: first one
    expect(isoSeconds(c.toUtcMs(2024, 10, 27, 3, 0, 0))).toBe('2024-10-27T02:00:00Z');
  });

  it('handles zones with half-hour offsets and changes', () => {
    expect(isoSeconds(new ZoneClock('Asia/Kolkata').toUtcMs(2024, 4, 7, 12, 0, 0))).toBe('2024-04-07T06:30:00Z');
    expect(isoSeconds(new ZoneClock('Australia/Lord_Howe').toUtcMs(2024, 4, 7, 2, 15, 0))).toBe('2024-04-06T15:45:00Z');
  });

  it('converts xferlog lines on either side of a DST change', () => {
    const lines = [
      'Sun Mar 31 01:30:00 2024 1 203.0.113.9 1 /a b _ o r alice ftp 0 * c',
      'Sun Mar 31 03:30:00 2024 1 203.0.113.9 1 /b b _ o r alice ftp 0 * c',
    ];
    const r = parseBytes(lines.join('\n'), { tz: 'Europe/Berlin' });
    expect(r.events.map((e) => e.ts)).toEqual(['2024-03-31T00:30:00Z', '2024-03-31T01:30:00Z']);
  });

  it('refuses an unknown zone by name', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow("unknown time zone 'Mars/Olympus'");
  });

  it('leaves IIS times alone whatever --tz says (they are UTC)', () => {
    const r = parseBytes(`${IIS}\n`, { tz: 'America/New_York' });
    expect(r.events[0]!.ts).toBe('2024-03-05T14:00:01Z');
  });
});

describe('years: no events from the future, none invented', () => {
  const SYSLOG = (stamp: string) => `${stamp} ftp1 vsftpd[700]: [alice] OK LOGIN: Client "203.0.113.9"\n`;

  it('never dates a syslog line after its file was written: the latest year that keeps it before the file time', () => {
    const written = new Date('2026-12-03T10:00:00Z');
    const r = parseBytes(SYSLOG('Nov 30 08:00:00') + SYSLOG('Dec 31 23:58:00') + SYSLOG('Jan  1 00:04:00') + SYSLOG('Dec  3 09:59:00'),
      { tz: 'UTC', referenceDate: written });
    expect(r.events.map((e) => e.ts)).toEqual(['2026-11-30T08:00:00Z', '2025-12-31T23:58:00Z', '2026-01-01T00:04:00Z', '2026-12-03T09:59:00Z']);
    // A Dec 31 line in a file written on Jan 2 belongs to the year before.
    const january = parseBytes(SYSLOG('Dec 31 23:58:00'), { tz: 'UTC', referenceDate: new Date('2027-01-02T08:00:00Z') });
    expect(january.events[0]!.ts).toBe('2026-12-31T23:58:00Z');
  });

  it('gives Feb 29 the latest leap year before the file time, and keeps a line a wrong --tz puts hours past it', () => {
    const leap = parseBytes(SYSLOG('Feb 29 12:00:00'), { tz: 'UTC', referenceDate: new Date('2025-03-01T00:00:00Z') });
    expect(leap.events[0]!.ts).toBe('2024-02-29T12:00:00Z');
    const skewed = parseBytes(SYSLOG('Mar  1 05:00:00'), { tz: 'UTC', referenceDate: new Date('2025-03-01T00:00:00Z') });
    expect(skewed.events[0]!.ts).toBe('2025-03-01T05:00:00Z');
  });

  it.each([
    ['xferlog', 'Tue Mar  5 14:03:27 0000 2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * c', 'xferlog: year 0000 in the date is before 1970'],
    ['xferlog', 'Tue Mar  5 14:03:27 0099 2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * c', 'xferlog: year 0099 in the date is before 1970'],
    ['vsftpd', 'Tue Mar  5 14:03:21 0099 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"', 'vsftpd: year 0099 in the date is before 1970'],
    ['iis', '0000-03-05 14:00:01 198.51.100.4 - 192.0.2.10 21 USER bob 331 0 0 s1 -', 'iis: year 0000 in the date is before 1970'],
  ] as const)('%s: rejects a year before 1970 with its reason, never stores 1900 or 1999 (%s)', (format, line, reason) => {
    const r = parseBytes(`${line}\n`, { format });
    expect(r.events).toEqual([]);
    expect(r.rejects).toEqual([{ lineNo: 1, reason }]);
  });

  it('still calls Feb 30 an impossible date', () => {
    const r = parseBytes('Fri Feb 30 14:03:27 2024 2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * c\n', { format: 'xferlog' });
    expect(r.rejects).toEqual([{ lineNo: 1, reason: 'xferlog: impossible date' }]);
  });
});
