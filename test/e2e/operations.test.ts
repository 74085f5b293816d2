import { appendFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

// Running ftplog for months (issue 28), through the built CLI.

describe('ftplog sources', () => {
  it('lists each source with its events, counts and status on disk, and --stale exits 3 when logs stopped arriving', () => {
    const dir = tempDir();
    const db = join(dir, 'ops.db');
    for (const name of ['xferlog', 'vsftpd.log']) copyFileSync(fixture(name === 'xferlog' ? 'xferlog/xferlog' : 'vsftpd/vsftpd.log'), join(dir, name));
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog'), join(dir, 'vsftpd.log')]).status).toBe(0);
    appendFileSync(join(dir, 'xferlog'), 'Tue Mar  5 06:00:00 2024 1 203.0.113.9 10 /pub/new.txt b _ o r alice ftp 0 * c\n');
    rmSync(join(dir, 'vsftpd.log'));

    const json = (args: string[]) => JSON.parse(runCli(['sources', '--db', db, '--format', 'json', '--utc', ...args]).stdout) as Array<Record<string, unknown>>;
    const rows = json(['--now', '2024-03-07T05:00:30Z']);
    expect(rows.map((r) => [r.path, r.format, r.lines, r.events, r.skipped, r.rejected, r.status])).toEqual([
      [join(dir, 'xferlog'), 'xferlog', 24, 16, 2, 6, 'growing'],
      [join(dir, 'vsftpd.log'), 'vsftpd', 40, 36, 1, 3, 'gone'],
    ]);
    expect(rows[0]).toMatchObject({ first_event: '2024-03-05T01:02:03Z', last_event: '2024-03-05T05:00:30Z', days_since_last_event: 2, servers: '192.0.2.10,ftp1' });

    const stale = runCli(['sources', '--db', db, '--stale', '2d', '--now', '2024-03-07T05:00:00Z', '--format', 'csv']);
    expect(stale.status).toBe(3);
    expect(stale.stdout.trim().split('\n')).toHaveLength(2); // the header and vsftpd.log, whose newest event is 2 days and 4 hours old
    expect(stale.stdout).toContain('vsftpd.log');
    const fresh = runCli(['sources', '--db', db, '--stale', '3d', '--now', '2024-03-07T05:00:00Z', '--format', 'csv']);
    expect(fresh.status).toBe(0);
    expect(runCli(['sources', '--db', db, '--stale', 'soon']).status).toBe(2);
    expect(runCli(['sources', '--help']).stdout).toContain('Status: complete');
  });
});
