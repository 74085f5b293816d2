import { parse } from 'csv-parse/sync';
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
