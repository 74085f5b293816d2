import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('ftplog report ban-list', () => {
  it('lists the addresses of bursts and of many failures, IPv6 included, host names and the allow list left out; plain prints addresses alone', () => {
    const dir = tempDir();
    const lines: string[] = [];
    /** vsftpd's stamp `seconds` after 10:00 on 2024-03-05. */
    const at = (minute: number, second: number) => {
      const t = new Date(Date.UTC(2024, 2, 5, 10, minute, second)).toISOString();
      return `Tue Mar  5 ${t.slice(11, 19)} 2024`;
    };
    // A burst: 12 failures in 4 minutes from an IPv6 address.
    for (let i = 0; i < 12; i++) lines.push(`${at(0, i * 20)} [pid 1${i}] [user${i}] FAIL LOGIN: Client "2001:db8::66"`);
    // No burst, but 21 failures spread over 7 hours.
    for (let i = 0; i < 21; i++) lines.push(`${at(20 + i * 20, 0)} [pid 2${i}] [admin] FAIL LOGIN: Client "192.0.2.9"`);
    // A few, and a burst from the office, which the allow list names.
    for (let i = 0; i < 3; i++) lines.push(`${at(30 + i, 0)} [pid 3${i}] [bob] FAIL LOGIN: Client "192.0.2.10"`);
    for (let i = 0; i < 11; i++) lines.push(`${at(40, i * 5)} [pid 4${i}] [carol] FAIL LOGIN: Client "::ffff:198.51.100.5"`);
    lines.sort();
    const log = join(dir, 'vsftpd.log');
    writeFileSync(log, lines.join('\n') + '\n');
    // Pure-FTPd names hosts by default: a name is no firewall entry.
    writeFileSync(join(dir, 'pure.log'), Array.from({ length: 25 }, (_, i) =>
      `Mar  5 12:${String(i).padStart(2, '0')}:00 nas pure-ftpd: (?@scanner.example.net) [WARNING] Authentication failed for user [root]`).join('\n') + '\n');
    writeFileSync(join(dir, 'allow.txt'), '# the office\n198.51.100.5\n\n');
    const db = join(dir, 'b.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', log, join(dir, 'pure.log')]).status).toBe(0);
    const report = (...args: string[]) => runCli(['report', 'ban-list', '--db', db, '--since', '2024-03-05', '--until', '2024-03-06', '--utc', ...args]);

    const rows = JSON.parse(report('--format', 'json').stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.client_ip, r.failed_logins, r.bursts, r.users_tried, r.listed_for])).toEqual([
      ['192.0.2.9', 21, 0, 1, 'failures'], ['2001:db8::66', 12, 1, 12, 'burst'], ['198.51.100.5', 11, 1, 1, 'burst'],
    ]);
    expect(rows[1]).toMatchObject({ first_failure: '2024-03-05T10:00:00Z', last_failure: '2024-03-05T10:03:40Z' });
    const allowed = report('--format', 'plain', '--param', `allow=${join(dir, 'allow.txt')}`);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toBe('192.0.2.9\n2001:db8::66\n');
    expect(report('--format', 'text', '--param', 'failures=100').stdout).toBe('2001:db8::66\n198.51.100.5\n');
    writeFileSync(join(dir, 'range.txt'), '10.0.0.0/8\n');
    const range = report('--param', `allow=${join(dir, 'range.txt')}`);
    expect(range.status).toBe(2);
    expect(range.stderr).toContain("'10.0.0.0/8' is not one address");
  });
});

describe('ingest --server', () => {
  it("labels the events whose log names no server, keeps the label with the source for later runs, and reports group by it", () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const a = join(dir, 'a-vsftpd.log');
    const b = join(dir, 'b-vsftpd.log');
    copyFileSync(fixture('vsftpd/vsftpd.log'), a);
    writeFileSync(b, 'Tue Mar  5 09:00:00 2024 [pid 9] [erin] FAIL LOGIN: Client "192.0.2.70"\n');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', '--server', 'ftp-a', a]).status).toBe(0);
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', '--server', 'ftp-b', b]).status).toBe(0);
    // A later run over the grown file, without the flag: the label stays.
    appendFileSync(a, 'Tue Mar  5 10:00:00 2024 [pid 10] [frank] FAIL LOGIN: Client "192.0.2.71"\n');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', a]).status).toBe(0);

    const overview = JSON.parse(runCli(['report', 'overview', '--db', db, '--format', 'json', '--utc']).stdout) as Array<Record<string, unknown>>;
    expect(overview.map((r) => [r.format, r.server, r.events])).toEqual([['vsftpd', 'ftp-a', 37], ['vsftpd', 'ftp-b', 1]]);
    const sources = JSON.parse(runCli(['sources', '--db', db, '--format', 'json']).stdout) as Array<Record<string, unknown>>;
    expect(sources.map((s) => [s.path, s.label, s.servers])).toEqual([[a, 'ftp-a', 'ftp-a'], [b, 'ftp-b', 'ftp-b']]);
    // A log that names its server keeps its own name.
    const syslog = join(dir, 'messages');
    writeFileSync(syslog, 'Mar  5 11:00:00 web7 vsftpd[12]: [gina] FAIL LOGIN: Client "192.0.2.72"\n');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', '--server', 'ftp-c', syslog]).status).toBe(0);
    expect(JSON.parse(runCli(['sql', "SELECT server FROM events WHERE username = 'gina'", '--db', db, '--format', 'json']).stdout)).toEqual([{ server: 'web7' }]);
  });
});

describe('ftplog prune and ftplog forget', () => {
  const names = () => (JSON.parse(runCli(['reports', '--format', 'json']).stdout) as Array<{ name: string }>).map((r) => r.name);
  /** Every canned report's rows for a window, as JSON text. */
  const everyReport = (db: string, since: string, until = '2030-01-01T00:00:00Z') =>
    Object.fromEntries(names().map((name) => {
      const r = runCli(['report', name, '--db', db, '--format', 'json', '--utc', '--since', since, '--until', until]);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      return [name, JSON.parse(r.stdout)];
    }));
  const logs = () => [fixture('xferlog'), fixture('vsftpd'), fixture('iis'), fixture('verdict')];
  /** The reports without source ids, which differ between two databases that read the same files in another order. */
  const unnumbered = (reports: Record<string, unknown>) => JSON.parse(JSON.stringify(reports, (k, v: unknown) => (k === 'source_id' ? undefined : v)));

  it('prune: every report over a window from the cut on is unchanged; a dry run deletes nothing; pruned files are not read again', () => {
    const db = join(tempDir(), 'p.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', ...logs()]).status).toBe(0);
    const cut = '2024-03-05T02:30:00Z';
    const before = everyReport(db, cut);
    const dry = JSON.parse(runCli(['prune', '--db', db, '--before', cut, '--dry-run', '--format', 'json']).stdout);
    expect(dry[0]).toMatchObject({ before: cut, dry_run: true });
    expect(dry[0].events).toBeGreaterThan(0);
    expect(everyReport(db, cut)).toEqual(before);

    const done = JSON.parse(runCli(['prune', '--db', db, '--before', cut, '--vacuum', '--format', 'json']).stdout);
    expect(done[0]).toEqual({ ...dry[0], dry_run: false });
    expect(everyReport(db, cut)).toEqual(before);
    expect(JSON.parse(runCli(['sql', `SELECT count(*) AS n FROM events WHERE ts < '${cut}'`, '--db', db, '--format', 'json']).stdout)).toEqual([{ n: 0 }]);
    const again = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', ...logs()]);
    expect(again.stderr).toContain('total: 0 lines, 0 events');
  });

  it('forget: the reports are those of a database that never read the file, and the next ingest reads it again, once, with the right --tz', () => {
    const dir = tempDir();
    const xferlog = join(dir, 'xferlog');
    copyFileSync(fixture('xferlog/xferlog'), xferlog);
    const others = [fixture('vsftpd'), fixture('verdict')];
    const db = join(dir, 'f.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', xferlog, ...others]).status).toBe(0);

    const dry = JSON.parse(runCli(['forget', '--db', db, xferlog, '--dry-run', '--format', 'json']).stdout);
    expect(dry).toEqual([{ source_id: 1, path: xferlog, format: 'xferlog', events: 16, rejects: 6, dry_run: true }]);
    expect(runCli(['forget', '--db', db, xferlog]).status).toBe(0);
    const without = join(dir, 'without.db');
    expect(runCli(['ingest', '--db', without, '--tz', 'UTC', '--year', '2024', '--quiet', ...others]).status).toBe(0);
    expect(unnumbered(everyReport(db, '2020-01-01'))).toEqual(unnumbered(everyReport(without, '2020-01-01')));

    // Read again with the zone it was written in: as a database that read it so from the start.
    const again = runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--year', '2024', xferlog]);
    expect(again.stderr).toContain('total: 24 lines, 16 events, 2 skipped, 6 rejected');
    expect(runCli(['ingest', '--db', db, '--tz', 'Europe/Berlin', '--year', '2024', xferlog]).stderr).toContain('total: 0 lines');
    const right = join(dir, 'right.db');
    expect(runCli(['ingest', '--db', right, '--tz', 'UTC', '--year', '2024', '--quiet', ...others]).status).toBe(0);
    expect(runCli(['ingest', '--db', right, '--tz', 'Europe/Berlin', '--year', '2024', '--quiet', xferlog]).status).toBe(0);
    expect(unnumbered(everyReport(db, '2020-01-01'))).toEqual(unnumbered(everyReport(right, '2020-01-01')));

    const missing = runCli(['forget', '--db', db, '999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no source with id 999');
  });
});
