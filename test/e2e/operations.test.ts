import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
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

describe('ftplog metrics', () => {
  /** The text exposition format read back: every sample's family has its HELP and TYPE before it. */
  function parseExposition(text: string): Map<string, Array<{ labels: Record<string, string>; value: number }>> {
    const families = new Map<string, Array<{ labels: Record<string, string>; value: number }>>();
    const described = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
      if (meta) {
        if (meta[1] === 'TYPE') {
          expect(meta[3]).toBe('gauge');
          expect(described.has(meta[2]!), `HELP before TYPE for ${meta[2]}`).toBe(true);
          families.set(meta[2]!, []);
        } else described.add(meta[2]!);
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+]+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m![2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
      expect(families.has(m![1]!), `TYPE before the samples of ${m![1]}`).toBe(true);
      families.get(m![1]!)!.push({ labels, value: Number(m![3]) });
    }
    return families;
  }

  it("prints the database's figures in the Prometheus text format, and --out replaces the file at once", () => {
    const dir = tempDir();
    const db = join(dir, 'm.db');
    const path = join(dir, 'vsftpd "main".log');
    copyFileSync(fixture('vsftpd/vsftpd.log'), path);
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', path]).status).toBe(0);
    const r = runCli(['metrics', '--db', db, '--now', '2024-03-05T02:32:00Z']);
    expect(r.status, r.stderr).toBe(0);
    const m = parseExposition(r.stdout);
    const one = (name: string) => m.get(name)!.map((s) => s.value);
    expect(m.get('ftplog_events')!.reduce((sum, s) => sum + s.value, 0)).toBe(36);
    expect(one('ftplog_failed_logins')).toEqual([13]);
    expect(one('ftplog_rejected_lines')).toEqual([3]);
    expect(m.get('ftplog_source_last_event_age_seconds')).toEqual([{ labels: { source: '1', path, format: 'vsftpd' }, value: 3600 }]);
    expect(m.get('ftplog_source_status')!.filter((s) => s.value === 1).map((s) => s.labels.status)).toEqual(['complete']);

    const out = join(dir, 'ftplog.prom');
    expect(runCli(['metrics', '--db', db, '--out', out]).status).toBe(0);
    expect(parseExposition(readFileSync(out, 'utf8')).has('ftplog_sources')).toBe(true);
    expect(JSON.parse(runCli(['metrics', '--db', db, '--format', 'json']).stdout).headline.failed_logins).toBe(13);
  });
});
