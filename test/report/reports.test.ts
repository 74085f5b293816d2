import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/report/catalog.js';
import { bindParams } from '../../src/report/params.js';
import { runReport } from '../../src/report/run.js';
import { openQueryStore, type QueryStore } from '../../src/store/index.js';
import { buildFixtureDb } from '../helpers/fixtureDb.js';

// Every expected row below was worked out by hand from the fixture files (see fixtures/README.md);
// the comments show the arithmetic where it is not obvious.

let dir: string;
let db: QueryStore;
const reports = loadCatalog();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ftplog-reports-'));
  db = await openQueryStore(await buildFixtureDb(dir));
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(name: string, input: { since?: string; until?: string; params?: string[] } = {}) {
  const report = reports.get(name)!;
  return runReport(db, report, bindParams(report, input, new Date('2024-03-07T00:00:00Z')));
}

describe('canned reports on the fixture database', () => {
  it('lists the built-in reports', async () => {
    expect([...reports.keys()].sort()).toEqual(['auth-failures', 'ban-list', 'brute-force', 'failure-rate', 'guessed-passwords', 'headline', 'overview',
      'reply-codes', 'source-activity', 'top-clients', 'top-users', 'transfer-errors', 'winsock-errors']);
  });

  it('guessed-passwords: the vsftpd burst of 12 from 198.51.100.23, then bob logs in from it at 01:15 and moves nothing', async () => {
    const r = (await run('guessed-passwords'));
    expect(r.columns).toEqual(['client_ip', 'burst_start', 'burst_end', 'failures', 'login_at', 'login_client', 'login_user',
      'transfers_after', 'bytes_after']);
    expect(r.rows).toEqual([
      ['198.51.100.23', '2024-03-05T01:10:00Z', '2024-03-05T01:13:40Z', 12, '2024-03-05T01:15:00Z', '198.51.100.23', 'bob', 0, 0],
    ]);
  });

  it('source-activity: each source with its events and failures in the window', async () => {
    const r = (await run('source-activity', { since: '2024-03-05T00:00:00Z', until: '2024-03-06T00:00:00Z' }));
    expect(r.columns).toEqual(['source_id', 'path', 'format', 'events', 'failed', 'first_ts', 'last_ts']);
    // The same totals per file as the ingest tests count by hand, but the auth-syslog file (2023-2024 New Year)
    // and the IIS 6 file's RETR at 2024-03-06 00:00:10 (1 of its 12) are outside this day.
    expect(r.rows.map(([, path, format, events]) => [String(path).split('/fixtures/')[1], format, events])).toEqual([
      ['iis/ex240305.log', 'iis', 11], ['iis/u_ex240305.log', 'iis', 27], ['vsftpd/vsftpd.log', 'vsftpd', 36], ['xferlog/xferlog', 'xferlog', 16],
    ]);
  });

  it('overview: per format and server', async () => {
    const r = (await run('overview'));
    expect(r.columns).toEqual(['format', 'server', 'first_ts', 'last_ts', 'events', 'ok', 'failed', 'pending', 'fail_pct', 'rejects', 'sources']);
    expect(r.rows).toEqual([
      ['iis', '', '2024-03-05T03:00:01Z', '2024-03-05T03:00:40Z', 8, 4, 2, 2, 25, 1, 1], // ex240305 before its server column
      ['iis', '192.0.2.10', '2024-03-05T00:59:58Z', '2024-03-05T02:31:00Z', 27, 12, 9, 6, 33.33, 2, 1],
      ['iis', '192.0.2.11', '2024-03-05T23:59:30Z', '2024-03-06T00:00:10Z', 4, 1, 2, 1, 50, 0, 1],
      ['vsftpd', '', '2024-03-05T01:00:00Z', '2024-03-05T01:32:00Z', 36, 16, 19, 1, 52.78, 3, 1],
      ['vsftpd', 'ftp1', '2023-12-31T23:58:00Z', '2024-01-01T00:04:00Z', 6, 3, 3, 0, 50, 1, 1],
      ['vsftpd', 'ftp2', '2023-12-31T23:02:00Z', '2023-12-31T23:02:00Z', 1, 1, 0, 0, 0, 0, 1],
      ['xferlog', '', '2024-03-05T01:02:03Z', '2024-03-05T05:00:30Z', 13, 9, 4, 0, 30.77, 6, 1], // 16 less 3 with a server
      ['xferlog', '192.0.2.10', '2024-03-05T03:00:00Z', '2024-03-05T03:01:00Z', 2, 2, 0, 0, 0, 0, 1],
      ['xferlog', 'ftp1', '2024-03-05T03:05:00Z', '2024-03-05T03:05:00Z', 1, 1, 0, 0, 0, 0, 1],
    ]);
  });

  it('overview: a window keeps only the events (and rejects) inside it', async () => {
    const r = (await run('overview', { since: '2024-03-05T03:00:00Z', until: '2024-03-05T04:00:00Z' }));
    expect(r.rows.map((row) => [row[0], row[1], row[4], row[9]])).toEqual([
      // xferlog lines 11-13 (03:02-03:04); its 6 rejects follow the 03:05 line, so they fall inside too
      ['iis', '', 8, 1], ['xferlog', '', 3, 6], ['xferlog', '192.0.2.10', 2, 0], ['xferlog', 'ftp1', 1, 0],
    ]);
  });

  it('failure-rate: per day', async () => {
    expect((await run('failure-rate')).rows).toEqual([
      ['2023-12-31', 3, 1, 33.33, 0, 0, 'PAM', 1],
      // A PAM failure and a FAIL LOGIN: failed lines, counted as lines here; ties go by command name.
      ['2024-01-01', 4, 2, 50, 0, 0, 'LOGIN', 1],
      // 98 - 8 events on other days; 5xx: vsftpd 553, u_ex 530×5 + 550, ex240305 530×2 + 550
      ['2024-03-05', 90, 35, 38.89, 2, 10, 'LOGIN', 13],
      ['2024-03-06', 1, 1, 100, 1, 0, 'RETR', 1],
    ]);
  });

  it('failure-rate: per hour', async () => {
    const r = (await run('failure-rate', { since: '2024-03-05', until: '2024-03-05T02:00:00Z', params: ['bucket=hour'] }));
    expect(r.rows).toEqual([
      ['2024-03-05T00:00Z', 2, 0, 0, 0, 0, null, null],
      // xferlog 3 (1 failed) + vsftpd.log 36 (19) + u_ex lines 7-21: 15 (4); 4xx: two 426; 5xx: 553, 530, 550
      ['2024-03-05T01:00Z', 54, 24, 44.44, 2, 3, 'LOGIN', 13],
    ]);
  });

  it('auth-failures: per client address and per user name', async () => {
    expect((await run('auth-failures')).rows).toEqual([
      ['client_ip', '198.51.100.23', 15, 3, '2024-03-05T01:10:00Z', '2024-03-05T02:12:01Z', '2024-03-05T01:15:00Z'], // 12 vsftpd + 3 IIS
      // PAM at 23:59:59, PAM at 00:00:05 and FAIL LOGIN at 00:00:10: the second PAM line is the FAIL LOGIN's copy.
      ['client_ip', '198.51.100.99', 2, 1, '2023-12-31T23:59:59Z', '2024-01-01T00:00:10Z', null],
      ['client_ip', '10.0.0.256', 1, 1, '2024-03-05T23:59:31Z', '2024-03-05T23:59:31Z', '2024-03-05T23:59:40Z'],
      ['client_ip', '192.0.2.201', 1, 0, '2024-03-05T02:30:00Z', '2024-03-05T02:30:00Z', null],
      ['client_ip', '198.51.100.4', 1, 1, '2024-03-05T01:00:02Z', '2024-03-05T01:00:02Z', '2024-03-05T01:00:04Z'],
      ['client_ip', '203.0.113.7', 1, 1, '2024-03-05T01:32:00Z', '2024-03-05T01:32:00Z', null],
      ['client_ip', '203.0.113.90', 1, 1, '2024-03-05T03:00:02Z', '2024-03-05T03:00:02Z', '2024-03-05T03:00:06Z'],
      ['username', 'admin', 7, 1, '2024-03-05T01:10:00Z', '2024-03-05T02:12:01Z', null],
      ['username', 'bob', 5, 2, '2024-03-05T01:00:02Z', '2024-03-05T01:13:40Z', '2024-03-05T01:00:04Z'],
      ['username', 'root', 4, 1, '2024-03-05T01:10:20Z', '2024-03-05T01:13:20Z', null],
      ['username', 'carol', 2, 2, '2024-03-05T01:32:00Z', '2024-03-05T03:00:02Z', '2024-03-05T03:00:06Z'],
      ['username', 'eve', 2, 1, '2023-12-31T23:59:59Z', '2024-01-01T00:00:10Z', null],
      ['username', 'dave', 1, 1, '2024-03-05T23:59:31Z', '2024-03-05T23:59:31Z', '2024-03-05T23:59:40Z'],
    ]);
  });

  it('brute-force: the 12-attempt burst, and smaller ones with a lower threshold', async () => {
    expect((await run('brute-force')).rows).toEqual([
      ['198.51.100.23', '2024-03-05T01:10:00Z', '2024-03-05T01:13:40Z', 12, 12, 3.7, 3, 'admin,bob,root'], // the names tried, in order of name (the same from every store)
    ]);
    const low = (await run('brute-force', { params: ['threshold=3', 'window=5'] }));
    expect(low.rows.map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ['198.51.100.23', '2024-03-05T01:10:00Z', 12, 12],
      // 198.51.100.99's three failed lines are two attempts (a PAM copy): no burst of 3.
      ['198.51.100.23', '2024-03-05T02:10:01Z', 3, 3], // the IIS attempts an hour later: a burst of their own
    ]);
  });

  it('transfer-errors: every failed transfer, grouped', async () => {
    const r = (await run('transfer-errors'));
    const byCode = (code: number | null) => r.rows.filter((row) => row[0] === code).length;
    // One row per failed transfer attempt: IIS's DataChannelClosed beside its RETR 426 and vsftpd's 426 response beside
    // its FAIL DOWNLOAD are lines about an attempt counted already; the 553 reply of a STOR with no FAIL UPLOAD is a reply.
    expect(r.rows).toHaveLength(9);
    expect([byCode(null), byCode(426), byCode(550), byCode(553)]).toEqual([5, 2, 2, 0]);
    const errors = r.rows.reduce((sum, row) => sum + (row[8] as number), 0);
    expect(errors).toBe((await run('headline')).rows[0]![4]);
    expect(errors).toBe(10);
    expect(r.rows[0]).toEqual([null, 'incomplete transfer (xferlog status i)', null, null, 'download', '203.0.113.9', 'alice',
      '/pub/iso/ubuntu.iso', 2, 4096, '2024-03-05T01:07:00Z', '2024-03-05T04:00:00Z']);
    expect(r.rows).toContainEqual([426, 'Connection closed; transfer aborted.', 10054, 'WSAECONNRESET', 'download', '10.0.0.256',
      'dave', '/big.iso', 1, 500000, '2024-03-06T00:00:10Z', '2024-03-06T00:00:10Z']);
    expect(r.rows).toContainEqual([426, 'Connection closed; transfer aborted.', 10054, 'WSAECONNRESET', 'download', '198.51.100.4', 'bob',
      '/data/big.zip', 1, 0, '2024-03-05T01:00:20Z', '2024-03-05T01:00:20Z']);
  });

  it('reply-codes: counts with class, group and meaning', async () => {
    expect((await run('reply-codes')).rows).toEqual([
      [331, 3, 'positive intermediate', 3, 'authentication and accounting', 10, 0, 'User name okay, need password.'],
      [226, 2, 'positive completion', 2, 'connections', 7, 0, 'Closing data connection. Requested file action successful (for example, file transfer or file abort).'],
      [530, 5, 'permanent negative completion', 3, 'authentication and accounting', 7, 7, 'Not logged in.'],
      [230, 2, 'positive completion', 3, 'authentication and accounting', 5, 0, 'User logged in, proceed. Logged out if appropriate.'],
      [426, 4, 'transient negative completion', 2, 'connections', 3, 3, 'Connection closed; transfer aborted.'],
      [550, 5, 'permanent negative completion', 5, 'file system', 2, 2, 'Requested action not taken. File unavailable (e.g., file not found, no access).'],
      [221, 2, 'positive completion', 2, 'connections', 1, 0, 'Service closing control connection.'],
      [553, 5, 'permanent negative completion', 5, 'file system', 1, 1, 'Requested action not taken. File name not allowed.'],
    ]);
  });

  it('winsock-errors: by name and meaning per server and client, with successes that carried one', async () => {
    const r = (await run('winsock-errors'));
    expect(r.columns).toEqual(['number', 'name', 'winsock', 'meaning', 'server', 'client_ip', 'events', 'on_success', 'failed', 'first_ts', 'last_ts']);
    expect(r.rows.map((row) => [row[0], row[1], row[4], row[5], row[6], row[7]])).toEqual([
      [1326, 'ERROR_LOGON_FAILURE', '192.0.2.10', '198.51.100.23', 3, 0],
      [10054, 'WSAECONNRESET', '192.0.2.10', '198.51.100.4', 2, 0],
      [2, 'ERROR_FILE_NOT_FOUND', null, '203.0.113.90', 1, 0],
      [5, 'ERROR_ACCESS_DENIED', '192.0.2.10', '198.51.100.4', 1, 0],
      [64, 'ERROR_NETNAME_DELETED', '192.0.2.10', '198.51.100.4', 1, 1], // 226 with win32 64
      [121, 'ERROR_SEM_TIMEOUT', '192.0.2.10', '192.0.2.202', 1, 0],
      [1326, 'ERROR_LOGON_FAILURE', null, '203.0.113.90', 1, 0],
      [1326, 'ERROR_LOGON_FAILURE', '192.0.2.10', '198.51.100.4', 1, 0],
      [1326, 'ERROR_LOGON_FAILURE', '192.0.2.11', '10.0.0.256', 1, 0],
      [1909, 'ERROR_ACCOUNT_LOCKED_OUT', '192.0.2.10', '192.0.2.201', 1, 0],
      [10054, 'WSAECONNRESET', null, '203.0.113.9', 1, 0], // quoted in a vsftpd 426 response
      [10054, 'WSAECONNRESET', '192.0.2.11', '10.0.0.256', 1, 0],
    ]);
  });

  it('top-clients: bytes in and out, logins, failures', async () => {
    const r = (await run('top-clients', { params: ['limit=3'] }));
    expect(r.rows).toEqual([
      // in: xferlog 1048576 + vsftpd 2048 + syslog 10; out: xferlog 52344+4096+0+734003200, vsftpd 52344+1048576
      ['203.0.113.9', 1, 2, 0, 10, 1050634, 735160560, 7, 25],
      ['203.0.113.80', 0, 1, 0, 2, 4096, 1048576, 0, 4],
      ['2001:db8::42', 0, 0, 0, 1, 700000, 0, 0, 2],
    ]);
  });

  it('headline: one row of the night', async () => {
    const r = (await run('headline'));
    expect(r.columns).toEqual(['events', 'failed', 'fail_pct', 'failed_logins', 'failed_transfers', 'bytes', 'rejected', 'sources']);
    const [bytes] = (await direct(`SELECT sum(coalesce(bytes, 0)) FROM events WHERE kind = 'transfer' AND ts >= :since AND ts < :until`,
      '1970-01-01T00:00:00Z', '9999-12-31T00:00:00Z'))[0]!;
    // 39 failed of 98 (see the outcome counts per fixture); failed logins 13 + 2 (auth-syslog's 3 lines, one a PAM copy)
    // + 5 + 2; failed transfers 4 + 2 + 2 + 2
    expect(r.rows).toEqual([[98, 39, 39.8, 22, 10, bytes, 13, 5]]);
    expect((await run('headline', { since: '2024-03-06', until: '2024-03-07' })).rows).toEqual([[1, 1, 100, 0, 1, 500000, 0, 1]]);
    expect((await run('headline', { since: '2030-01-01', until: '2030-01-02' })).rows).toEqual([[0, 0, null, 0, 0, 0, 0, 0]]);
  });

  it('top-clients: sorted by failures', async () => {
    const r = (await run('top-clients', { params: ['limit=2', 'sort=failures'] }));
    expect(r.rows.map((row) => [row[0], row[7]])).toEqual([['198.51.100.23', 15], ['203.0.113.9', 7]]);
  });

  it('top-users: bytes, logins and failures', async () => {
    const r = (await run('top-users', { params: ['limit=3'] }));
    expect(r.columns).toEqual(['username', 'connections', 'logins', 'failed_logins', 'transfers', 'bytes_in', 'bytes_out', 'failures', 'events']);
    expect(r.rows).toEqual([
      ['alice', 0, 2, 0, 10, 1050634, 735160560, 7, 22],
      // 2 transfers, 4096 in, 1048576 out and 4 events from the other fixtures, plus the xferlog fixture's three
      // anonymous (access mode a) downloads of 2048 + 8192 + 100 bytes: the e-mail typed as password is no user.
      ['anonymous', 0, 1, 0, 5, 4096, 1058916, 0, 7],
      ['bob', 0, 3, 5, 6, 700000, 0, 9, 21], // 3 logins: vsftpd 01:15, IIS 01:00:04, syslog ftp2
    ]);
  });
});

/** The same figures straight from `events`, to hold the rollup-backed reports against. */
async function direct(sql: string, since: string, until: string): Promise<unknown[][]> {
  return (await db.select(sql, { since, until })).rows;
}

describe('rollup-backed reports are exact for any window', () => {
  const windows: Array<[string, string]> = [
    ['2024-03-05T01:00:30Z', '2024-03-05T02:10:00Z'], // both edges inside hours
    ['2024-03-05T00:59:59Z', '2024-03-05T01:00:02Z'], // within two neighbouring hours
    ['2024-03-05T01:10:05Z', '2024-03-05T01:10:50Z'], // within one hour
    ['2023-12-31T23:30:00Z', '2024-03-05T01:00:10Z'], // across days and months
    ['2024-03-05T03:00:00Z', '2024-03-06T00:00:05Z'], // an aligned start, a ragged end past midnight
  ];

  it.each(windows)('overview from %s to %s', async (since, until) => {
    const want = await direct(`SELECT format, coalesce(server, ''), count(*), sum(outcome = 'ok'), sum(outcome = 'fail'), sum(outcome = 'pending'),
      min(ts), max(ts) FROM events WHERE ts >= :since AND ts < :until GROUP BY 1, 2 ORDER BY 1, 2`, since, until);
    const got = (await run('overview', { since, until })).rows.filter((r) => (r[4] as number) > 0).map((r) => [r[0], r[1], r[4], r[5], r[6], r[7], r[2], r[3]]);
    expect(got).toEqual(want);
  });

  it.each(windows)('failure-rate per hour from %s to %s', async (since, until) => {
    const want = await direct(`SELECT substr(ts, 1, 13) || ':00Z', count(*), sum(outcome = 'fail'), sum(outcome = 'fail' AND coalesce(reply_class, 0) = 4),
      sum(outcome = 'fail' AND coalesce(reply_class, 0) = 5) FROM events WHERE ts >= :since AND ts < :until GROUP BY 1 ORDER BY 1`, since, until);
    const got = (await run('failure-rate', { since, until, params: ['bucket=hour'] })).rows.map((r) => [r[0], r[1], r[2], r[4], r[5]]);
    expect(got).toEqual(want);
  });

  it.each(windows)('reply-codes from %s to %s', async (since, until) => {
    const want = await direct(`SELECT reply_code, count(*), sum(outcome = 'fail') FROM events
      WHERE reply_code IS NOT NULL AND ts >= :since AND ts < :until GROUP BY 1 ORDER BY 2 DESC, 1`, since, until);
    expect((await run('reply-codes', { since, until })).rows.map((r) => [r[0], r[5], r[6]])).toEqual(want);
  });

  it.each(windows)('top-clients and top-users from %s to %s', async (since, until) => {
    for (const [report, column] of [['top-clients', 'client_ip'], ['top-users', 'username']] as const) {
      // A failed login once per attempt: a PAM failure with a FAIL LOGIN from its address 1 s before to 5 s after is none,
      // among the failed logins and the failures alike.
      const copy = `(kind = 'login' AND outcome = 'fail' AND command = 'PAM' AND EXISTS (SELECT 1 FROM events v WHERE v.kind = 'login'
          AND v.outcome = 'fail' AND v.command = 'LOGIN' AND (v.client_ip = e.client_ip OR (e.client_ip IS NULL AND v.username = e.username))
          AND v.ts_unix BETWEEN e.ts_unix - 1 AND e.ts_unix + 5))`;
      const want = await direct(`SELECT ${column}, sum(kind = 'connect'), sum(kind = 'login' AND outcome = 'ok'),
        sum(kind = 'login' AND outcome = 'fail' AND NOT ${copy}),
        sum(kind = 'transfer'),
        sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END) AS i,
        sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END) AS o,
        sum(outcome = 'fail' AND NOT ${copy}), count(*) AS n FROM events e WHERE ${column} IS NOT NULL AND ts >= :since AND ts < :until
        GROUP BY 1 ORDER BY i + o DESC, n DESC, 1 LIMIT 100`, since, until);
      expect((await run(report, { since, until, params: ['limit=100'] })).rows).toEqual(want);
    }
  });
});

describe('report parameters', () => {
  const overview = reports.get('overview')!;
  const now = new Date('2024-03-07T12:00:00Z');

  it('takes ISO dates, date-times with offsets and spans back from now', async () => {
    expect(bindParams(overview, { since: '2024-03-05', until: '2024-03-06T01:30+01:00' }, now)).toEqual({
      since: '2024-03-05T00:00:00Z', until: '2024-03-06T00:30:00Z',
    });
    expect(bindParams(overview, { since: '24h', until: 'now' }, now)).toEqual({ since: '2024-03-06T12:00:00Z', until: '2024-03-07T12:00:00Z' });
    expect(bindParams(overview, { since: '7d' }, now).since).toBe('2024-02-29T12:00:00Z');
  });

  it('refuses unknown parameters, bad times, bad numbers and bad choices', async () => {
    expect(() => bindParams(overview, { params: ['colour=red'] })).toThrow("report 'overview' has no parameter 'colour' (it takes: since, until)");
    expect(() => bindParams(overview, { since: 'the day before' })).toThrow("'the day before' is not a time");
    expect(() => bindParams(reports.get('brute-force')!, { params: ['threshold=many'] })).toThrow('threshold takes a whole number');
    expect(() => bindParams(reports.get('failure-rate')!, { params: ['bucket=week'] })).toThrow('bucket is one of day, hour');
  });
});
