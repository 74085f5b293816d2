import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

const NIGHT = ['--tz', 'UTC', '--quiet', '--now', '2024-03-09T00:00:00Z'];

describe('ftplog nightly (built CLI)', () => {
  it('ingests, reports markdown on stdout and exits 0 when every threshold holds', () => {
    const db = join(tempDir(), 'n.db');
    const r = runCli(['nightly', fixture('nightly'), '--db', db, ...NIGHT, '--fail-rate-above', '80', '--auth-failures-above', '12', '--rejects-above', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# FTP nightly report: all thresholds hold/);
    expect(r.stdout).toContain('| Events | 21 | 13 | +8 (+62%) |');
    expect(r.stdout).toContain('| Sources read by this run | 1 of 1 |');
  });

  it('exits 3 and lists the breaches at the top when a threshold is breached', () => {
    const db = join(tempDir(), 'n.db');
    const r = runCli(['nightly', fixture('nightly'), '--db', db, ...NIGHT, '--auth-failures-above', '5', '--rejects-above', '0']);
    expect(r.status).toBe(3);
    const top = r.stdout.slice(0, r.stdout.indexOf('## Headline'));
    expect(top).toContain('# FTP nightly report: 2 breaches');
    expect(top).toContain('- **12 failed logins, above 5**');
    expect(top).toContain('- **1 rejected lines, above 0**');
  });

  it('writes HTML or markdown by the --out extension, on an existing database without paths', () => {
    const dir = tempDir();
    const db = join(dir, 'n.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', fixture('nightly')]).status).toBe(0);
    expect(runCli(['nightly', '--db', db, ...NIGHT, '--out', join(dir, 'r.html')]).status).toBe(0);
    expect(runCli(['nightly', '--db', db, ...NIGHT, '--out', join(dir, 'r.md')]).status).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toMatch(/^# FTP nightly report/);
  });

  it('writes the format --format asks for, whatever --out is called', () => {
    const dir = tempDir();
    const db = join(dir, 'n.db');
    const html = runCli(['nightly', fixture('nightly'), '--db', db, ...NIGHT, '--format', 'html']);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(runCli(['nightly', '--db', db, ...NIGHT, '--format', 'markdown', '--out', join(dir, 'night.txt')]).status).toBe(0);
    expect(readFileSync(join(dir, 'night.txt'), 'utf8')).toMatch(/^# FTP nightly report/);
    const bad = runCli(['nightly', '--db', db, ...NIGHT, '--out', join(dir, 'night.pdf')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ftplog: --out must end in .html or .md, or --format must say which\n');
  });

  it('exits 1 when a log cannot be read, even with breaches', () => {
    const db = join(tempDir(), 'n.db');
    const r = runCli(['nightly', fixture('nightly'), join(tempDir(), 'missing.log'), '--db', db, ...NIGHT, '--rejects-above', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('missing.log: no such file or directory');
    expect(r.stdout).toContain('| Sources read by this run | 1 of 2 (1 could not be read) |');
  });

  /** The part of a report before its headline table: where the verdict must be. */
  const topOf = (text: string) => text.slice(0, text.search(/## Headline|<h2>Headline/));

  it('names every input it could not read, with the reason, at the top', () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.log');
    const r = runCli(['nightly', fixture('nightly'), missing, '--db', join(dir, 'n.db'), ...NIGHT]);
    expect(r.status).toBe(1);
    const top = topOf(r.stdout);
    expect(top).toMatch(/^# FTP nightly report: 1 input could not be read/);
    expect(top).toContain(`## Could not be read\n\n- **${missing}**: no such file or directory\n`);
  });

  it('says no threshold was given instead of that all hold', () => {
    const dir = tempDir();
    const db = join(dir, 'n.db');
    const r = runCli(['nightly', fixture('nightly'), '--db', db, ...NIGHT, '--out', join(dir, 'r.html')]);
    expect(r.status).toBe(0);
    const html = topOf(readFileSync(join(dir, 'r.html'), 'utf8'));
    expect(html).toContain('FTP nightly report: <span class="ok">nothing found, and no thresholds were given</span>');
    expect(html).toContain('<p class="note">No thresholds were given (--fail-rate-above, --auth-failures-above, --rejects-above)');
    expect(html).not.toContain('all thresholds hold');
  });

  it('breaches on a window without events and names the log gone silent; --allow-empty lets an empty night pass', () => {
    const dir = tempDir();
    const db = join(dir, 'n.db');
    const later = ['--tz', 'UTC', '--quiet', '--now', '2024-03-10T00:00:00Z'];
    const r = runCli(['nightly', fixture('nightly'), '--db', db, ...later, '--fail-rate-above', '50']);
    expect(r.status).toBe(3);
    const top = topOf(r.stdout);
    expect(top).toMatch(/^# FTP nightly report: 2 breaches/);
    expect(top).toContain('- **No events between 2024-03-09T00:00:00Z and 2024-03-10T00:00:00Z: did logging stop?**');
    // Baseline Mar 2-8: the 91 events of Mar 1-7 less Mar 1's 13, plus Mar 8's 21.
    expect(top).toContain(`- **Silent: ${fixture('nightly')}/vsftpd.log (vsftpd) had 99 events in the baseline and none in the window**`);
    expect(runCli(['nightly', '--db', db, ...later, '--out', join(dir, 'r.html')]).status).toBe(3);
    expect(topOf(readFileSync(join(dir, 'r.html'), 'utf8'))).toContain('<li>No events between 2024-03-09T00:00:00Z and 2024-03-10T00:00:00Z: did logging stop?</li>');
    const allowed = runCli(['nightly', '--db', db, ...later, '--allow-empty', '--fail-rate-above', '50']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/^# FTP nightly report: all thresholds hold/);
  });

  it('averages the baseline over the part of it that holds events, and says how much that is', () => {
    const db = join(tempDir(), 'n.db');
    // The fixture's baseline days are the 7 before the night: a 14-day baseline holds events in 7 of its 14 days.
    const r = runCli(['nightly', fixture('nightly'), '--db', db, ...NIGHT, '--baseline', '14d', '--fail-rate-above', '80']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| Events | 21 | 13 | +8 (+62%) |');
    expect(topOf(r.stdout)).toContain('- The baseline holds events in 7 of its 14 24-hour pieces: its averages are over those 7.');
  });

  it('breaches on a brute-force burst followed by a login for a user name it tried, with what that login moved', () => {
    const dir = tempDir();
    const db = join(dir, 'n.db');
    const r = runCli(['nightly', fixture('verdict'), '--db', db, ...NIGHT, '--auth-failures-above', '100', '--out', join(dir, 'r.md')]);
    expect(r.status).toBe(3);
    const breach = 'Guessed password? 203.0.113.66 failed 10 logins from 2024-03-08T02:00:01Z to 2024-03-08T02:04:31Z, then '
      + '198.51.100.200 logged in as bob at 2024-03-08T02:20:01Z and moved 2 transfers (5002000 bytes) after it';
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toMatch(/^# FTP nightly report: 1 breach\n/);
    expect(topOf(md)).toContain(`## Breaches\n\n- **${breach}**\n`);
    expect(runCli(['nightly', '--db', db, ...NIGHT, '--auth-failures-above', '100', '--out', join(dir, 'r.html')]).status).toBe(3);
    expect(topOf(readFileSync(join(dir, 'r.html'), 'utf8'))).toContain(`<li>${breach}</li>`);
  });

  it('exits 2 on bad options and writes nothing', () => {
    const dir = tempDir();
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--out', join(dir, 'r.pdf')]).status).toBe(2);
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--fail-rate-above', 'lots']).status).toBe(2);
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--baseline', 'yesterday']).status).toBe(2);
    expect(existsSync(join(dir, 'r.pdf'))).toBe(false);
  });
});
