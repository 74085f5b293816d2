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
    expect(top).toContain('2 thresholds breached');
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

  it('exits 1 when a log cannot be read, even with breaches', () => {
    const db = join(tempDir(), 'n.db');
    const r = runCli(['nightly', fixture('nightly'), join(tempDir(), 'missing.log'), '--db', db, ...NIGHT, '--rejects-above', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('missing.log: no such file or directory');
    expect(r.stdout).toContain('| Sources read by this run | 1 of 2 (1 could not be read) |');
  });

  it('exits 2 on bad options and writes nothing', () => {
    const dir = tempDir();
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--out', join(dir, 'r.pdf')]).status).toBe(2);
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--fail-rate-above', 'lots']).status).toBe(2);
    expect(runCli(['nightly', '--db', join(dir, 'x.db'), '--baseline', 'yesterday']).status).toBe(2);
    expect(existsSync(join(dir, 'r.pdf'))).toBe(false);
  });
});
