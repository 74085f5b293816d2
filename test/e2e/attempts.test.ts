import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

// The same night (fixtures/same-night): alice fails to log in twice from 203.0.113.5, then logs in,
// a download of hers fails (426, 10054) and an upload works; bob fails once from 198.51.100.9.
// Written by vsftpd without and with log_ftp_protocol=YES, by vsftpd beside PAM's auth.log, and by IIS,
// it is 3 failed logins and 1 failed transfer every time, in every report that counts them.
const STYLES = [
  ['vsftpd', ['vsftpd.log']],
  ['vsftpd with PAM beside it', ['vsftpd.log', 'auth.log']],
  ['vsftpd with log_ftp_protocol=YES', ['vsftpd-protocol.log']],
  ['IIS', ['u_ex240308.log']],
] as const;

const csv = (text: string) => parse(text, { columns: true, cast: true }) as Array<Record<string, unknown>>;

describe('an attempt is counted once, however many lines the log spends on it', () => {
  it.each(STYLES)('%s: 3 failed logins and 1 failed transfer, in the headline and in the tables beneath it', (_style, files) => {
    const db = join(tempDir(), 'night.db');
    const ingest = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', ...files.map((f) => join(fixture('same-night'), f))]);
    expect(ingest.status).toBe(0);
    const report = (name: string, ...params: string[]) => {
      const r = runCli(['report', name, '--db', db, '--format', 'csv', ...params.flatMap((p) => ['--param', p])]);
      expect(r.status, r.stderr).toBe(0);
      return csv(r.stdout);
    };
    const [headline] = report('headline');
    expect(headline).toMatchObject({ failed_logins: 3, failed_transfers: 1 });

    const auth = report('auth-failures');
    expect(auth.filter((r) => r.by === 'client_ip').map((r) => [r.key, r.failed_logins])).toEqual([['203.0.113.5', 2], ['198.51.100.9', 1]]);
    expect(auth.filter((r) => r.by === 'username').map((r) => [r.key, r.failed_logins])).toEqual([['alice', 2], ['bob', 1]]);

    const transfers = report('transfer-errors');
    expect(transfers.map((r) => [r.path, r.errors])).toEqual([['/pub/a.iso', 1]]);

    const clients = report('top-clients', 'sort=failures');
    expect(clients.map((r) => [r.client_ip, r.failed_logins])).toEqual([['203.0.113.5', 2], ['198.51.100.9', 1]]);
    expect(report('top-users', 'sort=failures').filter((r) => r.failed_logins !== 0).map((r) => [r.username, r.failed_logins]))
      .toEqual([['alice', 2], ['bob', 1]]);
    // Two failures from one address in minutes are no brute force at a threshold of 3, nor one that guessed right.
    expect(report('brute-force', 'threshold=3')).toEqual([]);

    const nightly = runCli(['nightly', '--db', db, '--quiet', '--now', '2024-03-09T00:00:00Z', '--auth-failures-above', '100']);
    expect(nightly.status).toBe(0);
    expect(nightly.stdout).toContain('| Failed logins | 3 |');
    expect(nightly.stdout).toContain('| Failed transfers | 1 |');
  });
});

// One vsftpd with dual_log_enable=YES (fixtures/dual-log) writes each transfer to xferlog and to
// vsftpd.log: 7 transfers (1 failed, 1,116,632 bytes: 300 uploaded, 1,116,332 downloaded), however
// many of the two logs are read.
describe('a transfer written to two logs is counted once', () => {
  const ingest = (...files: string[]) => {
    const db = join(tempDir(), 'dual.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', ...files]);
    expect(r.status, r.stderr).toBe(0);
    return db;
  };
  const report = (db: string, name: string, ...params: string[]) => {
    const r = runCli(['report', name, '--db', db, '--format', 'csv', ...params.flatMap((p) => ['--param', p])]);
    expect(r.status, r.stderr).toBe(0);
    return csv(r.stdout);
  };
  const both = [join(fixture('dual-log'), 'vsftpd.log'), join(fixture('dual-log'), 'xferlog')];

  it.each([
    ['vsftpd.log', [both[0]!]],
    ['xferlog', [both[1]!]],
    ['both', both],
    ['both, xferlog first', [both[1]!, both[0]!]],
  ])('%s: 7 transfers, 1 failed, 1,116,632 bytes in every report', (_what, files) => {
    const db = ingest(...files);
    expect(report(db, 'headline')[0]).toMatchObject({ failed_transfers: 1, bytes: 1116632 });
    const clients = report(db, 'top-clients');
    expect(clients.map((r) => [r.client_ip, r.transfers, r.bytes_in, r.bytes_out]))
      .toEqual([['203.0.113.5', 6, 300, 1114132], ['198.51.100.7', 1, 0, 2200]]);
    const users = report(db, 'top-users').filter((r) => r.transfers !== 0);
    expect(users.reduce((n, r) => n + Number(r.transfers), 0)).toBe(7);
    expect(users.find((r) => r.username === 'alice')).toMatchObject({ transfers: 6, bytes_in: 300, bytes_out: 1114132 });
    expect(report(db, 'transfer-errors').map((r) => [r.path, r.errors, r.bytes])).toEqual([['/pub/debian-12.iso', 1, 65536]]);
    const nightly = runCli(['nightly', '--db', db, '--quiet', '--now', '2024-03-09T00:00:00Z']);
    expect(nightly.stdout).toContain('| Failed transfers | 1 |');
    expect(nightly.stdout).toContain('| Bytes moved | 1.1 MB |');
    // Its failed logins (only vsftpd.log has them) and the failed download, once.
    const logins = files.includes(both[0]!) ? 3 : 0;
    expect(nightly.stdout).toContain(`| 203.0.113.5 | ${logins + 1} | ${logins} | 6 |`);
  });

  it('what follows a guessed password is counted once too', () => {
    const [guess] = report(ingest(...both), 'guessed-passwords', 'threshold=3');
    expect(guess).toMatchObject({ client_ip: '203.0.113.5', failures: 3, login_user: 'alice', transfers_after: 6, bytes_after: 1114432 });
  });

  it('keeps both lines as events, and pairs nothing that differs in client, size, path, outcome or time', () => {
    const dir = tempDir();
    const xferlog = readFileSync(both[1]!, 'utf8')
      .replace('10:00:31 2024 1 203.0.113.5', '10:00:31 2024 1 203.0.113.6') // another client
      .replace('65536 /pub/debian-12.iso b _ o r alice ftp 0 * i', '65536 /pub/debian-12.iso b _ o r alice ftp 0 * c') // another outcome
      .replace('300 /in/notes.txt', '301 /in/notes.txt') // another size
      .replace('10:02:00 2024 1 203.0.113.5 0 /in/empty.flag', '10:02:03 2024 1 203.0.113.5 0 /in/empty.flag') // 3 s later
      .replace('2200 /pub/README', '2200 /pub/README.txt'); // another path
    writeFileSync(join(dir, 'xferlog'), xferlog);
    const db = ingest(both[0]!, join(dir, 'xferlog'));
    const [headline] = report(db, 'headline');
    // 14 + 7 events; the two ??.txt downloads are still copies, the five changed ones count twice.
    expect(headline).toMatchObject({ events: 21, failed_transfers: 1, bytes: 1116632 + 1048576 + 65536 + 301 + 2200 });
    expect(report(db, 'top-clients').map((r) => [r.client_ip, r.transfers]))
      .toEqual([['203.0.113.5', 9], ['203.0.113.6', 1], ['198.51.100.7', 2]]);
  });
});

// One ProFTPD with a TransferLog and an ExtendedLog (fixtures/proftpd-dual): backup's upload, a
// download that fails (426, after 1,048,576 bytes; its xferlog line a second later) and anonymous
// twice downloading README in two seconds; ExtendedLog alone also has a 550 RETR, on which no data
// moved, that the TransferLog leaves out. 74,453,296 bytes however the logs are read.
describe('a ProFTPD transfer written to its TransferLog and its ExtendedLog is counted once', () => {
  const ext = join(fixture('proftpd-dual'), 'extended.log');
  const xfer = join(fixture('proftpd-dual'), 'xferlog');
  it.each([
    ['ExtendedLog', 5, 2, [ext]],
    ['TransferLog', 4, 1, [xfer]],
    ['both', 5, 2, [ext, xfer]],
    ['both, TransferLog first', 5, 2, [xfer, ext]],
  ])('%s: %i transfers, %i failed', (_what, transfers, failed, files) => {
    const db = join(tempDir(), 'pro.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--quiet', ...(files as string[])]);
    expect(r.status, r.stderr).toBe(0);
    const [headline] = csv(runCli(['report', 'headline', '--db', db, '--format', 'csv']).stdout);
    expect(headline).toMatchObject({ failed_transfers: failed, bytes: 74453296 });
    const clients = csv(runCli(['report', 'top-clients', '--db', db, '--format', 'csv']).stdout);
    expect(clients.map((c) => [c.client_ip, c.transfers, c.bytes_in, c.bytes_out]))
      .toEqual([['203.0.113.70', transfers - 2, 73400320, 1048576], ['198.51.100.7', 2, 0, 4400]]);
    const errors = csv(runCli(['report', 'transfer-errors', '--db', db, '--format', 'csv']).stdout);
    expect(errors.reduce((n, e) => n + Number(e.errors), 0)).toBe(failed);
  });

  it("pairs nothing across two servers' logs labelled apart", () => {
    const db = join(tempDir(), 'pro.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--quiet', '--server', 'ftp1', ext]).status).toBe(0);
    expect(runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--quiet', '--server', 'ftp2', xfer]).status).toBe(0);
    const [headline] = csv(runCli(['report', 'headline', '--db', db, '--format', 'csv']).stdout);
    expect(headline).toMatchObject({ failed_transfers: 3, bytes: 2 * 74453296 });
  });
});

// Pure-FTPd writes carol's upload to syslog (fixtures/neighbours/syslog, among other servers' lines) and
// to its AltLog; its stats, clf and w3c files (the same AltLog written three ways) also hold her
// download, which the syslog lines do not: 2 transfers, 10,485,760 bytes in and 2,048 out, however
// many of the logs are read.
describe('a Pure-FTPd transfer written to syslog and to its AltLog is counted once', () => {
  const logs = {
    syslog: fixture('neighbours/syslog'), clf: fixture('neighbours/pure-ftpd.clf'),
    stats: fixture('neighbours/pure-ftpd.stats'), w3c: fixture('neighbours/pure-ftpd-w3c.log'),
  };
  const carol = (...files: string[]) => {
    const db = join(tempDir(), 'pure.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--quiet', ...files]);
    expect(r.status, r.stderr).toBe(0);
    const [row] = csv(runCli(['report', 'top-clients', '--db', db, '--format', 'csv']).stdout).filter((c) => c.client_ip === '203.0.113.30');
    return [row!.transfers, row!.bytes_in, row!.bytes_out];
  };

  it.each([
    ['syslog and clf', [logs.syslog, logs.clf]],
    ['clf first, then syslog', [logs.clf, logs.syslog]],
    ['syslog and all three AltLog forms', [logs.syslog, logs.stats, logs.clf, logs.w3c]],
    ['the AltLog alone', [logs.w3c]],
  ])('%s: 2 transfers', (_what, files) => {
    expect(carol(...files)).toEqual([2, 10485760, 2048]);
  });

  it('counts the syslog alone, and pairs nothing that differs in size, account, time or server', () => {
    expect(carol(logs.syslog)).toEqual([1, 10485760, 0]);
    const dir = tempDir();
    const clf = (line: string) => {
      const path = join(dir, `${Math.random().toString(36).slice(2)}.clf`);
      writeFileSync(path, line + '\n');
      return path;
    };
    const upload = (who: string, when: string, bytes: number) => `203.0.113.30 - ${who} [05/Mar/2024:${when} -0100] "PUT /srv/ftp/carol/photos%202024.zip" 200 ${bytes}`;
    expect(carol(logs.syslog, clf(upload('carol', '14:06:15', 10485761)))).toEqual([2, 20971521, 0]);
    expect(carol(logs.syslog, clf(upload('dave', '14:06:15', 10485760)))).toEqual([2, 20971520, 0]);
    expect(carol(logs.syslog, clf(upload('carol', '14:06:18', 10485760)))).toEqual([2, 20971520, 0]);
    expect(carol(logs.syslog, clf(upload('carol', '14:06:17', 10485760)))).toEqual([1, 10485760, 0]);
    // An AltLog labelled as another server than the syslog lines name (web1) is that server's.
    const db = join(tempDir(), 'pure.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--quiet', logs.syslog]).status).toBe(0);
    expect(runCli(['ingest', '--db', db, '--quiet', '--server', 'web2', logs.clf]).status).toBe(0);
    const [row] = csv(runCli(['report', 'top-clients', '--db', db, '--format', 'csv']).stdout).filter((c) => c.client_ip === '203.0.113.30');
    expect([row!.transfers, row!.bytes_in]).toEqual([3, 20971520]);
  });
});

describe('PAM forms beside vsftpd', () => {
  it('pairs a PAM failure that names no address with the FAIL LOGIN for its user name', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), [
      'Mar  8 10:00:04 ftp1 vsftpd[31]: pam_listfile(vsftpd:auth): Refused user root for service vsftpd',
      'Mar  8 10:00:09 ftp1 vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.51.100.9  user=bob',
      'Mar  8 10:00:30 ftp1 vsftpd(pam_unix)[33]: authentication failure; logname= uid=0 euid=0 tty=ftp ruser=carol rhost=198.51.100.10  user=carol',
    ].join('\n') + '\n');
    writeFileSync(join(dir, 'vsftpd.log'), [
      'Fri Mar  8 10:00:05 2024 [pid 1] [root] FAIL LOGIN: Client "203.0.113.5"',
      'Fri Mar  8 10:00:11 2024 [pid 1] [bob] FAIL LOGIN: Client "198.51.100.9"',
    ].join('\n') + '\n');
    const db = join(tempDir(), 'pam.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', join(dir, 'auth.log'), join(dir, 'vsftpd.log')]).status).toBe(0);
    const r = runCli(['report', 'auth-failures', '--db', db, '--format', 'csv']);
    // root and bob once each (PAM and vsftpd wrote each), carol once (PAM only).
    expect(csv(r.stdout).filter((x) => x.by === 'username').map((x) => [x.key, x.failed_logins])).toEqual([['bob', 1], ['carol', 1], ['root', 1]]);
    expect(csv(runCli(['report', 'headline', '--db', db, '--format', 'csv']).stdout)[0]).toMatchObject({ failed_logins: 3 });
  });
});
