import { copyFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

// Real logs' shapes (issue 25), read through the built CLI as a user would: the counts and the failed logins.

/** Ingests paths into a fresh database; the database and the auth-failures report's per-user rows. */
function ingestAndAudit(paths: string[], extra: string[] = []) {
  const db = join(tempDir(), 's.db');
  const r = runCli(['ingest', '--db', db, '--tz', 'UTC', ...extra, ...paths]);
  expect(r.status, r.stderr).toBe(0);
  const rows = JSON.parse(runCli(['sql', "SELECT client_ip, username FROM events WHERE kind = 'login' AND outcome = 'fail' ORDER BY id", '--db', db, '--format', 'json']).stdout);
  return { db, stderr: r.stderr, failed: rows as Array<{ client_ip: string | null; username: string | null }> };
}

describe('IIS logs without #Fields:', () => {
  it('reads grep excerpts and a tac-reversed file in the layouts their values fit, with every failed login', () => {
    const { stderr, failed } = ingestAndAudit([fixture('iis-headerless')]);
    expect(stderr).toContain('total: 25 lines, 20 events, 4 skipped, 1 rejected (iis 20)');
    expect(stderr).toMatch(/ex240306\.log +iis +6 lines: 6 events, 0 skipped, 0 rejected \[6 lines before any #Fields: read in the default IIS layout their values fit\]/);
    expect(failed).toEqual([
      { client_ip: '203.0.113.91', username: 'admin' }, { client_ip: '203.0.113.91', username: 'root' },
      { client_ip: '203.0.113.40', username: null }, { client_ip: '203.0.113.40', username: null },
      { client_ip: '198.51.100.30', username: 'erin' },
    ]);
  });
});

describe('vsftpd through syslog and the journal', () => {
  it('reads every envelope, skips the other programs, and counts each failed login once', () => {
    // Copies with a fixed modification time: cat.txt has no stamps and takes the file's time, and
    // traditional syslog lines take the year that does not put them after it.
    const dir = tempDir();
    const when = new Date('2024-03-06T23:59:59Z');
    for (const name of readdirSync(fixture('vsftpd-envelopes'))) {
      copyFileSync(fixture(`vsftpd-envelopes/${name}`), join(dir, name));
      utimesSync(join(dir, name), when, when);
    }
    const { db, stderr, failed } = ingestAndAudit([dir]);
    expect(stderr).toContain('total: 114 lines, 64 events, 49 skipped, 1 rejected (vsftpd 64)');
    expect(stderr).toMatch(/messages +syslog \(vsftpd\) +50 lines: 18 events, 32 skipped, 0 rejected/);
    expect(failed).toHaveLength(16); // lines: PAM writes its own before most of vsftpd's FAIL LOGINs
    const attempts = JSON.parse(runCli(['report', 'auth-failures', '--db', db, '--format', 'json']).stdout) as Array<{ by: string; key: string; failed_logins: number }>;
    expect(attempts.filter((a) => a.by === 'client_ip').map((a) => [a.key, a.failed_logins])).toEqual([
      ['203.0.113.50', 4], ['203.0.113.31', 3], ['198.51.100.77', 1], ['203.0.113.5', 1], ['203.0.113.81', 1],
    ]);
    const undated = JSON.parse(runCli(['sql', "SELECT DISTINCT ts, flags FROM events WHERE flags LIKE '%no-timestamp%'", '--db', db, '--format', 'json']).stdout);
    expect(undated).toEqual([{ ts: '2024-03-06T23:59:59Z', flags: 'no-timestamp' }]);
  });
});

describe('ingest --include and --exclude', () => {
  it('read only the files below a folder whose names match, and always a file named on the command line', () => {
    const dir = tempDir();
    copyFileSync(fixture('xferlog/xferlog'), join(dir, 'xferlog'));
    copyFileSync(fixture('vsftpd/vsftpd.log'), join(dir, 'vsftpd.log'));
    copyFileSync(fixture('iis/u_ex240305.log'), join(dir, 'u_ex240305.log'));
    copyFileSync(fixture('vsftpd/vsftpd.log'), join(dir, 'vsftpd.log.bak'));
    const db = join(tempDir(), 'f.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--include', '*.log', '--include', 'xfer*', '--exclude', 'u_ex*', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 of 2 sources read');
    expect(r.stderr).toContain('(2 files below the folders given left out by --include/--exclude)');
    const named = runCli(['ingest', '--db', db, '--tz', 'UTC', '--exclude', '*.log', join(dir, 'u_ex240305.log')]);
    expect(named.stderr).toContain('1 of 1 source read');
    expect(runCli(['ingest', '--help']).stdout).toContain('--include <glob>');
  });
});
