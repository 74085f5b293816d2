import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';

// The neighbour servers' logs (fixtures/neighbours), read through the built CLI as a user would: every
// failed login found with its address and name, counted once, in every report.

/** Copies of the fixtures with the modification times their servers would have left. */
function neighbours(under: string): string {
  const dir = join(under, 'logs');
  mkdirSync(dir);
  for (const name of readdirSync(fixture('neighbours'))) {
    copyFileSync(fixture(`neighbours/${name}`), join(dir, name));
    // FileZilla's M/d/yyyy reads month-first only before the file's time; the wu-ftpd lines are from June.
    const when = new Date(name === 'messages' ? '2024-06-18T00:00:00Z' : '2024-03-05T23:00:00Z');
    utimesSync(join(dir, name), when, when);
  }
  return dir;
}

describe('ProFTPD, Pure-FTPd, FileZilla Server, wu-ftpd and BSD ftpd logs', () => {
  // One database for the three checks below (the helpers' temporary folders last one test).
  const dir = mkdtempSync(join(tmpdir(), 'ftplog-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'n.db');
  const ingest = runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', neighbours(dir)]);
  const json = (args: string[]) => {
    const r = runCli([...args, '--db', db, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  };

  it('are detected and read line for line, each event with its own format', () => {
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(ingest.stderr).toContain('total: 113 lines, 101 events, 12 skipped, 0 rejected (filezilla 47, ftpd 11, proftpd 30, pure-ftpd 11, vsftpd 1, xferlog 1)');
    expect(ingest.stderr).toMatch(/syslog +syslog \(proftpd\+pure-ftpd\+vsftpd\+xferlog\) +20 lines: 17 events, 3 skipped, 0 rejected/);
    expect(ingest.stderr).toMatch(/FileZilla Server\.log +filezilla +29 lines: 25 events, 4 skipped, 0 rejected\n/);
    // Pure-FTPd's three transfer logs say the same two transfers.
    for (const name of ['pure-ftpd.stats', 'pure-ftpd.clf', 'pure-ftpd-w3c\\.log']) expect(ingest.stderr).toMatch(new RegExp(`${name} +pure-ftpd +\\d+ lines: 2 events`));
  });

  it('count every failed login once, by the address the server wrote', () => {
    const byIp = json(['report', 'auth-failures']).filter((r) => r.by === 'client_ip').map((r) => [r.key, r.failed_logins]);
    expect(new Map(byIp as Array<[string, number]>)).toEqual(new Map([
      ['198.51.100.7', 3], ['203.0.113.66', 3], ['203.0.113.80', 2], ['207.30.238.8', 2], ['198.51.100.40', 1], ['2001:db8::7', 1],
      ['203.0.113.30', 1], ['203.0.113.40', 1], ['203.0.113.70', 1], ['203.0.113.9', 1], ['192.0.2.55', 1], ['client.example.net', 1],
    ]));
    expect(json(['report', 'headline'])[0]).toMatchObject({ failed_logins: 18 });
    // The USER text names 192.0.2.1; ProFTPD wrote 198.51.100.7.
    expect(json(['sql', "SELECT count(*) AS n FROM events WHERE client_ip = '192.0.2.1'"])).toEqual([{ n: 0 }]);
    // The same upload in Pure-FTPd's syslog, stats, clf and w3c logs: the same time, size and name.
    expect(json(['sql', "SELECT ts, path, bytes, count(*) AS n FROM events WHERE format = 'pure-ftpd' AND command = 'STOR' GROUP BY 1, 2, 3"]))
      .toEqual([{ ts: '2024-03-05T13:06:15Z', path: '/srv/ftp/carol//photos 2024.zip', bytes: 10485760, n: 1 }, { ts: '2024-03-05T13:06:15Z', path: '/srv/ftp/carol/photos 2024.zip', bytes: 10485760, n: 3 }]);
  });

  it('run in every canned report and in the nightly report', () => {
    for (const { name } of JSON.parse(runCli(['reports', '--format', 'json']).stdout) as Array<{ name: string }>) {
      const r = runCli(['report', name, '--db', db, '--format', 'json', '--since', '2024-01-01', '--until', '2025-01-01']);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    }
    const nightly = runCli(['nightly', '--db', db, '--quiet', '--now', '2024-06-18T00:00:00Z', '--since', '2024-03-01T00:00:00Z', '--auth-failures-above', '100']);
    expect(nightly.status, nightly.stderr).toBe(0);
    expect(nightly.stdout).toContain('| Failed logins | 18 |');
  });
});
