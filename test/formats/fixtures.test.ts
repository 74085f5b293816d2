import { describe, expect, it } from 'vitest';
import { countBy, parseFixture } from '../helpers/parse.js';

// The numbers below were counted by hand from the fixture files (see fixtures/README.md).

describe('fixtures/xferlog/xferlog', () => {
  const r = parseFixture('xferlog/xferlog', { tz: 'Europe/Berlin' });

  it('detects xferlog and reconciles every line', () => {
    expect(r.format).toBe('xferlog');
    expect(r.counts).toEqual({ lines: 24, events: 16, skipped: 2, rejected: 6 });
  });

  it('gives each reject a specific reason', () => {
    expect(r.rejects).toEqual([
      { lineNo: 15, reason: 'xferlog: 9 fields, expected at least 18' },
      { lineNo: 16, reason: 'xferlog: line does not start with a date like "Tue Mar  5 14:03:27 2024"' },
      { lineNo: 17, reason: "xferlog: direction 'x' is not o, i or d" },
      { lineNo: 18, reason: "xferlog: byte count 'five' is not a whole number" },
      { lineNo: 19, reason: 'xferlog: impossible date' },
      { lineNo: 20, reason: 'xferlog: line does not start with a date like "Tue Mar  5 14:03:27 2024"' },
    ]);
  });

  it('converts local time with --tz (CET is UTC+1 in March)', () => {
    expect(r.events[0]!.ts).toBe('2024-03-05T00:02:03Z');
    expect(r.events[3]!.ts).toBe('2024-03-05T01:00:00Z'); // zero-padded day
  });

  it('maps completion to outcome and direction to command', () => {
    expect(countBy(r.events, (e) => e.outcome)).toEqual({ ok: 12, fail: 4 });
    expect(countBy(r.events, (e) => e.kind)).toEqual({ transfer: 15, file: 1 });
    expect(countBy(r.events, (e) => e.command)).toEqual({ RETR: 10, STOR: 5, DELE: 1 });
  });

  it('keeps filenames with unescaped and doubled spaces', () => {
    const paths = r.events.map((e) => e.path);
    expect(paths).toContain('/pub/Quarterly report Q1.pdf');
    expect(paths).toContain('/pub/two  spaces.txt');
  });

  it('keeps an extra trailing token as the server, normalises mapped IPv6, keeps names and IPv6', () => {
    expect(r.events.filter((e) => e.server === '192.0.2.10')).toHaveLength(2);
    const ips = new Set(r.events.map((e) => e.clientIp));
    expect(ips).toContain('192.0.2.77');
    expect(ips).toContain('2001:db8::42');
    expect(ips).toContain('client7.example.net');
    expect([...ips].some((ip) => ip!.startsWith('::ffff:'))).toBe(false);
  });

  it('reads an xferlog line relayed through syslog, with the syslog host as server', () => {
    expect(r.events.find((e) => e.path === '/pub/a.txt')).toMatchObject({ server: 'ftp1', username: 'carol', outcome: 'ok' });
  });

  it('stores anonymous access as the user anonymous, never the e-mail typed as its password', () => {
    const anonymous = r.events.filter((e) => e.detail?.startsWith('anonymous '));
    expect(anonymous.map((e) => [e.path, e.username])).toEqual([
      ['/pub/readme.txt', 'anonymous'], ['/pub/Quarterly report Q1.pdf', 'anonymous'], ['/pub/two  spaces.txt', 'anonymous'],
    ]);
    expect(JSON.stringify(r.events)).not.toContain('guest@example.org');
  });
});

describe('fixtures/vsftpd/vsftpd.log', () => {
  const r = parseFixture('vsftpd/vsftpd.log', { tz: 'UTC' });

  it('detects vsftpd and reconciles every line', () => {
    expect(r.format).toBe('vsftpd');
    expect(r.counts).toEqual({ lines: 40, events: 36, skipped: 1, rejected: 3 });
    expect(r.rejects.map((x) => x.lineNo)).toEqual([36, 37, 39]);
  });

  it('counts kinds and outcomes', () => {
    expect(countBy(r.events, (e) => e.kind)).toEqual({ connect: 2, command: 3, reply: 4, login: 16, transfer: 5, file: 5, debug: 1 });
    expect(countBy(r.events, (e) => e.outcome)).toEqual({ ok: 16, fail: 19, pending: 1 });
  });

  it('finds 13 failed logins, 12 of them from one address in both IPv4 spellings', () => {
    const failed = r.events.filter((e) => e.kind === 'login' && e.outcome === 'fail');
    expect(failed).toHaveLength(13);
    expect(countBy(failed, (e) => e.clientIp)).toEqual({ '198.51.100.23': 12, '203.0.113.7': 1 });
  });

  it('never stores a password, masks the anonymous one', () => {
    const pass = r.events.find((e) => e.command === 'PASS')!;
    expect(pass.detail).toBe('***');
    expect(JSON.stringify(r.events)).not.toContain('me@example.org');
    expect(JSON.stringify(r.events)).not.toContain('<password>');
  });

  it('reads quoted arguments with quotes inside, rename targets and chmod modes', () => {
    expect(r.events.find((e) => e.command === 'STOR' && e.kind === 'transfer')!.path).toBe('/incoming/report "final".csv');
    expect(r.events.find((e) => e.command === 'RENAME')).toMatchObject({ path: '/incoming/a.txt', detail: 'to /incoming/b c.txt' });
    expect(r.events.find((e) => e.command === 'CHMOD')).toMatchObject({ path: '/incoming/b c.txt', detail: 'mode 644' });
  });

  it('tags replies and a Winsock number quoted in a response', () => {
    const r426 = r.events.find((e) => e.replyCode === 426)!;
    expect(r426).toMatchObject({ win32Status: 10054, winsockName: 'WSAECONNRESET', outcome: 'fail' });
    expect(r.events.find((e) => e.replyCode === 331)).toMatchObject({ outcome: 'pending' });
  });

  it('marks a refused connection as failed with its reason', () => {
    expect(r.events.find((e) => e.kind === 'connect' && e.outcome === 'fail')!.detail).toBe('Connection refused: too many sessions.');
  });
});

describe('fixtures/vsftpd/auth-syslog.log', () => {
  const r = parseFixture('vsftpd/auth-syslog.log', { tz: 'UTC', year: 2023 });

  it('skips other programs and reconciles', () => {
    expect(r.format).toBe('syslog');
    expect(r.counts).toEqual({ lines: 10, events: 7, skipped: 2, rejected: 1 });
  });

  it('rolls the inferred year over from December to January', () => {
    expect(r.events.map((e) => e.ts)).toEqual([
      '2023-12-31T23:58:00Z', '2023-12-31T23:59:59Z', '2024-01-01T00:00:05Z', '2024-01-01T00:00:10Z',
      '2024-01-01T00:01:00Z', '2023-12-31T23:02:00Z', '2024-01-01T00:04:00Z',
    ]);
  });

  it('infers the year from the reference date when --year is absent', () => {
    const fromMtime = parseFixture('vsftpd/auth-syslog.log', { tz: 'UTC', referenceDate: new Date('2025-01-02T00:00:00Z') });
    expect(fromMtime.events[0]!.ts).toBe('2024-12-31T23:58:00Z');
    expect(fromMtime.events[2]!.ts).toBe('2025-01-01T00:00:05Z');
  });

  it('reads PAM authentication failures as failed logins', () => {
    const failed = r.events.filter((e) => e.kind === 'login' && e.outcome === 'fail');
    expect(failed.map((e) => [e.clientIp, e.username])).toEqual([['198.51.100.99', 'eve'], ['198.51.100.99', null], ['198.51.100.99', 'eve']]);
  });
});

describe('fixtures/iis/u_ex240305.log (IIS 10, BOM, CRLF, mid-file #Fields change)', () => {
  const r = parseFixture('iis/u_ex240305.log');

  it('detects IIS and reconciles every line', () => {
    expect(r.format).toBe('iis');
    expect(r.counts).toEqual({ lines: 36, events: 27, skipped: 7, rejected: 2 });
    expect(r.rejects).toEqual([
      { lineNo: 26, reason: 'iis: 13 values for 16 fields' },
      { lineNo: 35, reason: "iis: time '25:61:00' is not HH:MM:SS" },
    ]);
  });

  it('reads data before any #Fields with the default list and counts it', () => {
    expect(r.counters).toEqual({ iisDefaultFieldLines: 2 });
    expect(r.events.slice(0, 2).map((e) => e.flags)).toEqual(['default-fields', 'default-fields']);
    expect(r.events[0]!.ts).toBe('2024-03-05T00:59:58Z');
  });

  it('counts kinds and outcomes', () => {
    expect(countBy(r.events, (e) => e.kind)).toEqual({ connect: 2, disconnect: 3, login: 13, transfer: 6, 'data-channel': 2, command: 1 });
    expect(countBy(r.events, (e) => e.outcome)).toEqual({ ok: 12, fail: 9, pending: 6 });
  });

  it('carries the USER name to the failed PASS of the same session', () => {
    const failed = r.events.filter((e) => e.kind === 'login' && e.outcome === 'fail');
    expect(failed.map((e) => [e.username, e.win32Status, e.substatus])).toEqual([
      ['bob', 1326, 41], ['admin', 1326, 41], ['admin', 1326, 41], ['admin', 1326, 41], [null, 1909, 41],
    ]);
  });

  it('re-maps columns when #Fields changes: bytes and time-taken appear', () => {
    expect(r.events.find((e) => e.path === '/pub/file.bin')).toMatchObject({ bytes: 1048576, durationMs: 2500, username: 'anonymous' });
    expect(r.events.find((e) => e.path === '/pub/up.bin')).toMatchObject({ bytes: 4096, direction: 'upload' });
  });

  it('masks the anonymous e-mail password', () => {
    expect(JSON.stringify(r.events)).not.toContain('guest@example.org');
  });

  it('tags Win32 and Winsock statuses and flags a success with an OS error', () => {
    expect(r.events.find((e) => e.replyCode === 426)).toMatchObject({ win32Status: 10054, winsockName: 'WSAECONNRESET', substatus: 23 });
    expect(r.events.find((e) => e.command === 'DataChannelClosed' && e.win32Status === 10054)).toMatchObject({ outcome: 'fail', replyCode: null });
    expect(r.events.filter((e) => e.flags?.includes('ok-with-win32-error')).map((e) => e.path)).toEqual(['/upload/ok.txt']);
    expect(r.events.find((e) => e.path === '/upload/new file.txt')).toMatchObject({ replyCode: 550, win32Status: 5, outcome: 'fail' });
  });
});

describe('fixtures/iis/ex240305.log (IIS 6 MSFTPSVC)', () => {
  const r = parseFixture('iis/ex240305.log');

  it('reconciles every line', () => {
    expect(r.format).toBe('iis');
    expect(r.counts).toEqual({ lines: 19, events: 12, skipped: 6, rejected: 1 });
    expect(countBy(r.events, (e) => e.outcome)).toEqual({ pending: 3, fail: 4, ok: 5 });
  });

  it('takes the date from #Date in a time-only layout and the session from [N]', () => {
    expect(r.events[0]).toMatchObject({ ts: '2024-03-05T03:00:01Z', session: '12', command: 'USER', username: 'carol' });
    expect(r.events[1]).toMatchObject({ command: 'PASS', username: 'carol', outcome: 'fail', win32Status: 1326 });
  });

  it('maps the old sent/created methods to downloads and uploads', () => {
    expect(r.events.filter((e) => e.kind === 'transfer').map((e) => [e.command, e.direction, e.path])).toEqual([
      ['RETR', 'download', '/pub/a.txt'], ['STOR', 'upload', '/in/b.txt'], ['RETR', 'download', '/pub/missing.txt'],
      ['RETR', 'download', '/big.iso'],
    ]);
  });

  it('keeps an impossible IP and flags it', () => {
    const flagged = r.events.filter((e) => e.flags === 'invalid-ip');
    expect(flagged).toHaveLength(4);
    expect(flagged[0]!.clientIp).toBe('10.0.0.256');
  });
});

describe('fixtures/iis-headerless/ (excerpts and files without #Fields:)', () => {
  it('ex240306.log: IIS 6 default layout, dated by the file name, USER carried to PASS by [N]', () => {
    const r = parseFixture('iis-headerless/ex240306.log');
    expect(r.format).toBe('iis');
    expect(r.counts).toEqual({ lines: 6, events: 6, skipped: 0, rejected: 0 });
    expect(r.counters).toEqual({ iisDefaultFieldLines: 6 });
    const failed = r.events.filter((e) => e.kind === 'login' && e.outcome === 'fail');
    expect(failed.map((e) => [e.ts, e.clientIp, e.username, e.session, e.win32Status])).toEqual([
      ['2024-03-06T03:10:02Z', '203.0.113.91', 'admin', '21', 1326], ['2024-03-06T03:10:05Z', '203.0.113.91', 'root', '21', 1326],
    ]);
    expect(r.events.every((e) => e.flags === 'default-fields')).toBe(true);
    expect(r.events.find((e) => e.command === 'PORT')).toMatchObject({ detail: 'data connection to 203.0.113.91 port 5001', path: null, clientIp: '203.0.113.91' });
  });

  it('ex240306.log read from stdin has no name to date it: its lines are rejects that say why', () => {
    const r = parseFixture('iis-headerless/ex240306.log', { sourceName: undefined });
    expect(r.counts).toEqual({ lines: 6, events: 0, skipped: 0, rejected: 6 });
    expect(r.rejects[0]!.reason).toBe('iis: no date field, no #Date directive and no date in the file name');
  });

  it('u_ex240306.log: IIS 7.5 without x-session; the address pairs USER and PASS; a word as c-ip is kept and flagged', () => {
    const r = parseFixture('iis-headerless/u_ex240306.log');
    expect(r.counts).toEqual({ lines: 9, events: 8, skipped: 0, rejected: 1 });
    expect(r.rejects).toEqual([{ lineNo: 9, reason: 'iis: 12 values and no #Fields: line before them, in none of the layouts IIS writes by default' }]);
    expect(r.events.find((e) => e.outcome === 'fail')).toMatchObject({ clientIp: '198.51.100.30', username: 'erin', substatus: 41, session: null });
    const anon = r.events.filter((e) => e.clientIp === 'ANONYMIZED');
    expect(anon.map((e) => [e.command, e.username, e.flags])).toEqual([
      ['USER', 'frank', 'invalid-ip,default-fields'], ['PASS', 'frank', 'invalid-ip,default-fields'],
      ['PORT', 'frank', 'invalid-ip,default-fields'], ['RETR', 'frank', 'invalid-ip,default-fields'],
    ]);
    expect(anon[2]!.detail).toBe('data connection to 10.0.0.5 port 1025');
  });

  it('reversed-u_ex240306.log (tac): newest first, header last; a PASS never takes the name of a USER written after it in time', () => {
    const r = parseFixture('iis-headerless/reversed-u_ex240306.log');
    expect(r.counts).toEqual({ lines: 10, events: 6, skipped: 4, rejected: 0 });
    expect(r.events.map((e) => e.ts)).toEqual(['09', '05', '04', '03', '02', '01'].map((s) => `2024-03-06T09:00:${s}Z`));
    const failed = r.events.filter((e) => e.outcome === 'fail');
    expect(failed.map((e) => [e.clientIp, e.username, e.session])).toEqual([
      ['203.0.113.40', null, '5d0c1a2b-9f3e-4c6d-8b7a-0e1f2a3b4c5d'], ['203.0.113.40', null, '5d0c1a2b-9f3e-4c6d-8b7a-0e1f2a3b4c5d'],
    ]);
  });
});

describe('fixtures/vsftpd-envelopes/ (vsftpd through syslog and the journal)', () => {
  const failed = (r: ReturnType<typeof parseFixture>) =>
    r.events.filter((e) => e.kind === 'login' && e.outcome === 'fail').map((e) => [e.command, e.clientIp, e.username]);
  const skips = (r: ReturnType<typeof parseFixture>) => countBy(r.outcomes.filter((o) => o.type === 'skip'), (o) => (o.type === 'skip' ? o.reason : null));

  it('messages: 30 lines of other programs before the first vsftpd line; isolate=YES pids; PAM forms; #ooo escapes; blanks at the end', () => {
    const r = parseFixture('vsftpd-envelopes/messages', { year: 2024 });
    expect(r.format).toBe('syslog');
    expect(r.counts).toEqual({ lines: 50, events: 18, skipped: 32, rejected: 0 });
    expect(skips(r)).toEqual({ 'other-program': 32 });
    expect(failed(r)).toEqual([
      ['PAM', '203.0.113.50', 'admin'], ['LOGIN', '203.0.113.50', 'admin'],
      ['PAM', '203.0.113.50', 'oracle'], ['LOGIN', '203.0.113.50', 'oracle'],
      ['PAM', null, 'root'], ['LOGIN', '203.0.113.50', 'root'],
      ['PAM', '203.0.113.50', 'carol'], ['LOGIN', '203.0.113.50', 'carol'],
    ]);
    // Pids 1-3 in every session: the address and the CONNECT tell the two visits of 203.0.113.50 apart.
    expect(countBy(r.events, (e) => e.session)).toEqual({
      '2024-03-06T09:14:02Z 203.0.113.50': 6, '2024-03-06T09:20:00Z 198.51.100.61': 5, '2024-03-06T09:31:30Z 203.0.113.50': 3, null: 4,
    });
    expect(r.events.filter((e) => e.kind === 'transfer').map((e) => [e.path, e.bytes, e.outcome])).toEqual([
      ['/pub/résumé.pdf', 48213, 'ok'], ['/incoming/empty.txt', 0, 'ok'], ['/incoming/big\treport.csv', 1048576, 'fail'],
    ]);
  });

  it('syslog (RFC 3339, 0-6 fraction digits, offsets and Z, two hosts): a reused pid does not join two sessions', () => {
    const r = parseFixture('vsftpd-envelopes/syslog');
    expect(r.counts).toEqual({ lines: 17, events: 13, skipped: 4, rejected: 0 });
    expect(r.events.map((e) => e.ts.slice(11, 19))).toEqual([
      '09:03:40', '09:03:43', '09:03:46', '09:03:52', '09:03:53', '09:04:10', '09:05:00', '09:05:02', '09:05:09', '09:07:12', '09:07:14', '09:07:15', '09:08:01',
    ]);
    expect(countBy(r.events, (e) => e.server)).toEqual({ ftp2: 10, ftp3: 3 });
    expect(failed(r)).toEqual([['PAM', '203.0.113.81', 'backup'], ['LOGIN', '203.0.113.81', 'backup']]);
    expect(r.events.filter((e) => e.command === 'RETR').map((e) => [e.clientIp, e.session])).toEqual([
      ['198.51.100.140', '2024-03-06T09:05:00Z 198.51.100.140'], ['192.0.2.77', '2024-03-06T09:07:12Z 192.0.2.77'],
    ]);
    expect(r.events.at(-1)).toMatchObject({ kind: 'connect', outcome: 'fail', session: '2024-03-06T09:08:01Z 203.0.113.81' });
  });

  it('journal.txt (journalctl -o short-iso): its markers, a reply over six lines, quotes inside quotes, a blob', () => {
    const r = parseFixture('vsftpd-envelopes/journal.txt');
    expect(r.counts).toEqual({ lines: 29, events: 19, skipped: 9, rejected: 1 });
    expect(skips(r)).toEqual({ comment: 2, continuation: 5, 'other-program': 2 });
    expect(r.rejects).toEqual([{ lineNo: 20, reason: 'vsftpd: journalctl wrote "[… blob data]" for a message that is not valid UTF-8; export the journal with journalctl --all to read it' }]);
    expect(r.events.filter((e) => e.kind === 'reply').map((e) => e.replyCode)).toEqual([220, 331, 230, 214, 150, 226, 221, 220, 530]);
    expect(r.events.find((e) => e.kind === 'transfer')).toMatchObject({ path: '/home/dave/"weird" name.txt', bytes: 512, username: 'dave' });
    expect(new Set(r.events.slice(0, 15).map((e) => e.session))).toEqual(new Set(['2024-03-06T11:00:03Z 198.51.100.9']));
  });

  it('cat.txt (journalctl -o cat): messages without any stamp take the file time and say so; systemd lines are skipped', () => {
    const referenceDate = new Date('2024-03-06T23:59:59Z');
    const r = parseFixture('vsftpd-envelopes/cat.txt', { referenceDate });
    expect(r.counts).toEqual({ lines: 9, events: 7, skipped: 2, rejected: 0 });
    expect(new Set(r.events.map((e) => `${e.ts} ${e.flags}`))).toEqual(new Set(['2024-03-06T23:59:59Z no-timestamp']));
    expect(failed(r)).toEqual([['PAM', '203.0.113.5', 'alice'], ['LOGIN', '203.0.113.5', 'alice'], ['LOGIN', '198.51.100.77', 'bob']]);
  });

  it("forwarded.log (RFC 5424 from rsyslog's imfile): the envelope's time, vsftpd's own stamp and [pid N] passed over", () => {
    const r = parseFixture('vsftpd-envelopes/forwarded.log');
    expect(r.counts).toEqual({ lines: 9, events: 7, skipped: 2, rejected: 0 });
    expect(r.events[0]).toMatchObject({ ts: '2024-03-06T11:00:05Z', kind: 'connect', server: 'ftp5', session: '2024-03-06T11:00:05Z 203.0.113.31' });
    expect(failed(r)).toEqual([['LOGIN', '203.0.113.31', 'test'], ['LOGIN', '203.0.113.31', 'guest'], ['LOGIN', '203.0.113.31', 'ftpuser']]);
    expect(r.events.at(-1)).toMatchObject({ command: 'DELE', path: '/var/www/old/index.html', session: '2024-03-06T11:02:30Z 192.0.2.15' });
  });
});

describe('fixtures/neighbours/ (ProFTPD, Pure-FTPd, FileZilla Server, wu-ftpd and the BSD ftpd)', () => {
  const logins = (r: ReturnType<typeof parseFixture>) =>
    r.events.filter((e) => e.kind === 'login').map((e) => [e.outcome, e.command, e.clientIp, e.username]);
  const formats = (r: ReturnType<typeof parseFixture>) => countBy(r.outcomes.flatMap((o) => (o.type === 'event' ? [o.format] : [])), (f) => f);

  it('syslog: ProFTPD, Pure-FTPd, vsftpd and an xferlog line among cron, sshd and systemd, each by its own format', () => {
    const r = parseFixture('neighbours/syslog', { tz: 'Europe/Berlin' });
    expect(r.format).toBe('syslog');
    expect(r.counts).toEqual({ lines: 20, events: 17, skipped: 3, rejected: 0 });
    expect(formats(r)).toEqual({ proftpd: 10, 'pure-ftpd': 5, vsftpd: 1, xferlog: 1 });
    expect(logins(r)).toEqual([
      ['fail', 'LOGIN', '203.0.113.9', 'bob'], ['ok', 'LOGIN', '203.0.113.9', 'bob'],
      // The address is ProFTPD's own, not the one the USER text names.
      ['fail', 'LOGIN', '198.51.100.7', 'admin from 192.0.2.1 [192.0.2.1]'], ['fail', 'LOGIN', '198.51.100.7', 'root'],
      ['fail', 'LOGIN', '198.51.100.7', 'test'], ['fail', 'REPEAT', '198.51.100.7', null],
      ['fail', 'LOGIN', '203.0.113.30', 'carol'], ['ok', 'LOGIN', '203.0.113.30', 'carol'],
      ['fail', 'LOGIN', '192.0.2.55', 'dave'],
    ]);
    expect(r.events.find((e) => e.kind === 'transfer' && e.direction === 'upload')).toMatchObject({ path: '/srv/ftp/carol//photos 2024.zip', bytes: 10485760, username: 'carol' });
  });

  it('proftpd.log (SystemLog): a USER text that imitates a success stays a failure; empty password, timeout, MaxClientsPerHost, mod_ban', () => {
    const r = parseFixture('neighbours/proftpd.log', { tz: 'Europe/Berlin' });
    expect(r.format).toBe('proftpd');
    expect(r.counts).toEqual({ lines: 11, events: 11, skipped: 0, rejected: 0 });
    expect(logins(r)).toEqual([
      ['ok', 'LOGIN', '198.51.100.20', 'anonymous'], ['fail', 'LOGIN', '203.0.113.66', 'x] OK: Login successful.'],
      ['fail', 'LOGIN', '203.0.113.66', 'erin'], ['fail', 'LOGIN', '203.0.113.66', 'frank'],
    ]);
    expect(countBy(r.events, (e) => `${e.kind} ${e.outcome}`)).toEqual({
      'debug ok': 1, 'connect ok': 2, 'login ok': 1, 'disconnect ok': 1, 'login fail': 3, 'disconnect fail': 1, 'connect fail': 2,
    });
  });

  it('FileZilla Server.log (0.9, CRLF, M/d/yyyy): two failed logins, a ban, an upload; only month-first keeps the lines before the file time', () => {
    const r = parseFixture('neighbours/FileZilla Server.log', { tz: 'America/New_York', referenceDate: new Date('2024-03-05T23:00:00Z') });
    expect(r.format).toBe('filezilla');
    expect(r.counts).toEqual({ lines: 29, events: 25, skipped: 4, rejected: 0 });
    expect(r.events[0]!.ts).toBe('2024-03-05T19:03:20Z');
    expect(r.events.some((e) => e.flags !== null)).toBe(false);
    expect(logins(r)).toEqual([
      ['fail', 'LOGIN', '203.0.113.80', 'Administrator'], ['fail', 'LOGIN', '203.0.113.80', 'admin'], ['ok', 'LOGIN', '192.0.2.14', 'scanner'],
    ]);
    expect(r.events.find((e) => e.kind === 'transfer')).toMatchObject({ direction: 'upload', path: '/scans/2024-03-05 (1).pdf', outcome: 'ok' });
  });

  it('fzs-2024-03-05.log (0.9, dd.MM.yyyy): the file name settles the day order', () => {
    const r = parseFixture('neighbours/fzs-2024-03-05.log', { tz: 'Europe/Berlin', referenceDate: new Date('2024-12-31T00:00:00Z') });
    expect(r.counts).toEqual({ lines: 6, events: 6, skipped: 0, rejected: 0 });
    expect(r.events.map((e) => e.ts.slice(0, 10))).toEqual(Array(6).fill('2024-03-05'));
    expect(logins(r)).toEqual([['fail', 'LOGIN', '198.51.100.40', 'buchhaltung']]);
  });

  it('filezilla-server.log (1.x): UTC, two sessions, IPv6, a failed and a successful login, a download, an error end', () => {
    const r = parseFixture('neighbours/filezilla-server.log', { tz: 'Europe/Berlin' });
    expect(r.counts).toEqual({ lines: 16, events: 16, skipped: 0, rejected: 0 });
    expect(logins(r)).toEqual([['fail', 'LOGIN', '203.0.113.40', 'carol'], ['ok', 'LOGIN', '203.0.113.40', 'carol'], ['fail', 'LOGIN', '2001:db8::7', 'root']]);
    expect(r.events.find((e) => e.kind === 'transfer')).toMatchObject({ direction: 'download', path: 'big.iso', replyCode: 226, session: '2024-03-05T13:03:21Z #7' });
    expect(r.events.at(-1)).toMatchObject({ kind: 'disconnect', outcome: 'fail', session: '2024-03-05T13:06:00Z #8' });
  });

  it("messages (wu-ftpd on Red Hat, FreeBSD): refusal at USER time, [unknown], repeated failures, FreeBSD's doubled line", () => {
    const r = parseFixture('neighbours/messages', { year: 2024 });
    expect(r.format).toBe('syslog');
    expect(r.counts).toEqual({ lines: 12, events: 11, skipped: 1, rejected: 0 });
    expect(logins(r)).toEqual([
      ['fail', 'LOGIN', '207.30.238.8', 'root'], ['fail', 'LOGIN', '207.30.238.8', null], ['fail', 'REPEAT', '207.30.238.8', null],
      ['ok', 'LOGIN', '192.0.2.88', 'anonymous'],
      ['fail', 'REPEAT', 'client.example.net', null], ['fail', 'LOGIN', 'client.example.net', 'alice'], ['ok', 'LOGIN', 'client.example.net', 'alice'],
    ]);
  });
});
