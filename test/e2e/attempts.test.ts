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
