import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest, type IngestOptions } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/index.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { fixture } from '../helpers/parse.js';
import { runCli } from '../helpers/cli.js';
import { query, reconciles, rollupMismatches, tempDir, totals } from '../helpers/tmp.js';

const OPTS: IngestOptions = { format: 'auto', tz: 'UTC', year: 2023, maxLineBytes: 65536 };
const XFER = (i: number) => `Tue Mar  5 14:03:${String(i % 60).padStart(2, '0')} 2024 2 203.0.113.9 ${i} /pub/f${i}.iso b _ o r alice ftp 0 * c\n`;

async function run(dbPath: string, paths: string[], opts: Partial<IngestOptions> = {}) {
  const store = await openStore(dbPath);
  try {
    return await ingest(store, paths, { ...OPTS, ...opts });
  } finally {
    await store.close();
  }
}

const FIXTURES = [
  ['xferlog/xferlog', 24, 16, 2, 6],
  ['vsftpd/vsftpd.log', 40, 36, 1, 3],
  ['vsftpd/auth-syslog.log', 10, 7, 2, 1],
  ['iis/u_ex240305.log', 36, 27, 7, 2],
  ['iis/ex240305.log', 19, 12, 6, 1],
] as const;

describe('ingest into SQLite', () => {
  it.each(FIXTURES)('%s: stores exactly its hand-counted lines, events, skips and rejects', async (rel, lines, events, skipped, rejected) => {
    const db = join(tempDir(), 'f.db');
    const s = await run(db, [fixture(rel)]);
    expect(s.files[0]).toMatchObject({ status: 'read', lines, events, skipped, rejected, error: null });
    expect(totals(db)).toMatchObject({ sources: 1, lines, events, skipped, rejected, eventRows: events, rejectRows: rejected });
    expect(reconciles(db)).toBe(true);
    expect(rollupMismatches(db)).toEqual([]);
  });

  it('reports per-format totals and fills the reference tables', async () => {
    const db = join(tempDir(), 'f.db');
    const s = await run(db, [fixture('xferlog'), fixture('vsftpd'), fixture('iis')]);
    expect(s).toMatchObject({ sources: 5, lines: 129, events: 98, skipped: 18, rejected: 13, failed: 0 });
    expect(s.formats).toEqual({ xferlog: 16, vsftpd: 43, iis: 39 });
    // The client and user totals of all five files go in at the end of the run, and every source is marked as counted.
    expect(rollupMismatches(db)).toEqual([]);
    expect(query(db, 'SELECT count(*) AS n FROM sources WHERE rolled_line = lines_read AND rolled_event_id = last_event_id')).toEqual([{ n: 5 }]);
    const [joined] = query(db, `SELECT count(*) AS n FROM events e JOIN reply_codes r ON r.code = e.reply_code WHERE e.reply_code = 530`);
    expect(joined).toEqual({ n: 7 });
    expect(query(db, `SELECT name FROM winsock_errors WHERE number = 10054`)).toEqual([{ name: 'WSAECONNRESET' }]);
    expect(query(db, `SELECT name, winsock FROM win32_statuses WHERE number IN (1326, 10060) ORDER BY number`)).toEqual([
      { name: 'ERROR_LOGON_FAILURE', winsock: 0 }, { name: 'WSAETIMEDOUT', winsock: 1 },
    ]);
    expect(query(db, `PRAGMA user_version`)).toEqual([{ user_version: SCHEMA_VERSION }]);
  });

  it('adds nothing when the same files are ingested again', async () => {
    const db = join(tempDir(), 'f.db');
    await run(db, [fixture('')]);
    const before = totals(db);
    const again = await run(db, [fixture('')]);
    expect(again.lines).toBe(0);
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(totals(db)).toEqual(before);
  });

  it('reads only the new lines of a file that grew', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    const db = join(dir, 'f.db');
    writeFileSync(log, XFER(1) + XFER(2));
    await run(db, [log]);
    appendFileSync(log, XFER(3) + XFER(4) + XFER(5));
    const s = await run(db, [log]);
    expect(s.files[0]).toMatchObject({ status: 'read', lines: 3, events: 3, resumedAtLine: 2 });
    expect(query(db, 'SELECT line_no, bytes FROM events ORDER BY id')).toEqual([1, 2, 3, 4, 5].map((i) => ({ line_no: i, bytes: i })));
    expect(rollupMismatches(db)).toEqual([]);
    expect(totals(db)).toMatchObject({ sources: 1, lines: 5, events: 5 });
  });

  it('keeps the IIS #Fields layout when resuming mid-file', async () => {
    const dir = tempDir();
    const log = join(dir, 'u_ex.log');
    const db = join(dir, 'f.db');
    writeFileSync(log, '#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes\n2024-03-05 01:00:00 192.0.2.1 RETR /a 226 10\n');
    await run(db, [log]);
    appendFileSync(log, '2024-03-05 01:00:01 192.0.2.1 RETR /b 226 20\n');
    const s = await run(db, [log]);
    expect(s.files[0]).toMatchObject({ format: 'iis', events: 1, rejected: 0 });
    expect(query(db, 'SELECT path, bytes FROM events ORDER BY id')).toEqual([{ path: '/a', bytes: 10 }, { path: '/b', bytes: 20 }]);
  });

  it('treats a file replaced under the same name as a new source, and a renamed one as the old source', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    const db = join(dir, 'f.db');
    writeFileSync(log, XFER(1) + XFER(2));
    await run(db, [log]);
    renameSync(log, join(dir, 'xferlog.1')); // logrotate
    writeFileSync(log, XFER(7));
    const s = await run(db, [join(dir, 'xferlog.1'), log]);
    expect(s.files.map((f) => [f.status, f.lines])).toEqual([['unchanged', 0], ['read', 1]]);
    expect(totals(db)).toMatchObject({ sources: 2, lines: 3, events: 3 });
  });

  it('reads a file named twice in one run once: the second is unchanged', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    writeFileSync(log, XFER(1) + XFER(2) + XFER(3));
    const db = join(dir, 'f.db');
    const s = await run(db, [log, dir, log]);
    expect(s.files.map((f) => [f.path, f.status, f.lines])).toEqual([[log, 'read', 3], [log, 'unchanged', 0], [log, 'unchanged', 0]]);
    expect(totals(db)).toMatchObject({ sources: 1, lines: 3, events: 3 });
  });

  it('reads the file it claimed even when it is rotated before its turn comes, and the new file in the next run', async () => {
    const dir = tempDir();
    const first = join(dir, 'a.xferlog');
    const second = join(dir, 'b.xferlog');
    writeFileSync(first, Array.from({ length: 3000 }, (_, i) => XFER(i)).join(''));
    writeFileSync(second, XFER(1) + XFER(2));
    const db = join(dir, 'f.db');
    let rotated = false;
    // Both files are claimed together; while the first is read, the second is rotated and a new one takes its name.
    const progress = () => ({
      update: () => {
        if (rotated) return;
        rotated = true;
        renameSync(second, `${second}.1`);
        writeFileSync(second, XFER(5) + XFER(6) + XFER(7) + XFER(8));
      },
      done: () => {},
    });
    const s = await run(db, [first, second], { progress, linesPerCommit: 500 });
    expect(rotated).toBe(true);
    expect(s.files.map((f) => [f.status, f.lines])).toEqual([['read', 3000], ['read', 2]]);
    expect(query(db, `SELECT bytes FROM events WHERE source_id = ${s.files[1]!.sourceId} ORDER BY line_no`)).toEqual([{ bytes: 1 }, { bytes: 2 }]);
    const next = await run(db, [dir]);
    expect(next.files.map((f) => [f.path, f.status, f.lines])).toEqual([
      [first, 'unchanged', 0], [second, 'read', 4], [`${second}.1`, 'unchanged', 0],
    ]);
    expect(totals(db)).toMatchObject({ sources: 3, lines: 3006, events: 3006 });
    expect(rollupMismatches(db)).toEqual([]);
  });

  it('leaves a file of its group that another ingest read meanwhile to that ingest: unchanged, not read twice', async () => {
    const dir = tempDir();
    const first = join(dir, 'a.xferlog');
    const second = join(dir, 'b.xferlog');
    writeFileSync(first, Array.from({ length: 20_000 }, (_, i) => XFER(i)).join(''));
    writeFileSync(second, XFER(1) + XFER(2) + XFER(3));
    const db = join(dir, 'f.db');
    let other: ReturnType<typeof runCli> | null = null;
    // Both files are claimed together; while this run reads the first, another ingest reads the second to its end.
    const progress = () => ({
      update: () => {
        other ??= runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', second]);
      },
      done: () => {},
    });
    const s = await run(db, [first, second], { progress });
    expect(other!.status).toBe(0);
    expect(s.files.map((f) => [f.status, f.lines])).toEqual([['read', 20_000], ['unchanged', 0]]);
    expect(totals(db)).toMatchObject({ sources: 2, lines: 20_003, events: 20_003 });
    expect(reconciles(db)).toBe(true);
    expect(rollupMismatches(db)).toEqual([]);
  });

  it('reads a .gz once, and a truncated .gz up to the damage, once', async () => {
    const dir = tempDir();
    const db = join(tempDir(), 'f.db');
    const plain = Array.from({ length: 2000 }, (_, i) => XFER(i)).join('');
    const gz = gzipSync(plain);
    writeFileSync(join(dir, 'good.log.gz'), gz);
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const first = await run(db, [join(dir, 'good.log.gz'), join(dir, 'cut.log.gz')]);
    const [good, cut] = first.files;
    expect(good).toMatchObject({ status: 'read', lines: 2000, events: 2000, error: null });
    expect(cut!.status).toBe('failed');
    expect(cut!.error).toMatch(/truncated gzip data|unexpected end of file/);
    expect(cut!.events).toBeGreaterThan(0);
    expect(cut!.lines).toBeLessThan(2000);
    expect(first.failed).toBe(1);
    const before = totals(db);
    const again = await run(db, [dir]);
    expect(again.lines).toBe(0);
    expect(totals(db)).toEqual(before);
    expect(reconciles(db)).toBe(true);
  });

  it('reports missing paths and dangling links, and ingests the rest', async () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    mkdirSync(join(dir, 'logs'));
    copyFileSync(fixture('xferlog/xferlog'), join(dir, 'logs', 'a'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'logs', 'b'));
    const s = await run(db, [join(dir, 'missing.log'), join(dir, 'logs')]);
    expect(s.files.map((f) => [f.status, f.error])).toEqual([
      ['failed', 'no such file or directory'], ['read', null], ['failed', 'no such file or directory'],
    ]);
    expect(s.failed).toBe(2);
    expect(s.events).toBe(16);
  });

  it('survives binary junk, invalid UTF-8, CRLF and a 50 MB line without a newline', async () => {
    const dir = tempDir();
    const db = join(dir, 'f.db');
    const junk = Buffer.alloc(200_000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    writeFileSync(join(dir, '1-junk.bin'), junk);
    writeFileSync(join(dir, '2-latin1.log'), Buffer.from(XFER(1).replace('/pub/f1', '/pub/caf\u00e9'), 'latin1'));
    writeFileSync(join(dir, '3-crlf.log'), (XFER(1) + XFER(2)).replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, '4-huge.log'), Buffer.concat([Buffer.from(XFER(1)), Buffer.alloc(50 * 1024 * 1024, 0x61)]));
    const s = await run(db, [dir]);
    expect(s.failed).toBe(0);
    const [bin, latin, crlf, huge] = s.files;
    // No log at all: left out with one reason, not read into thousands of rejects.
    expect(bin).toMatchObject({ status: 'not-a-log', lines: 0, rejected: 0, error: 'not a log: binary data (control bytes in its first 4 KiB)' });
    expect(latin).toMatchObject({ events: 1 });
    expect(crlf).toMatchObject({ events: 2, rejected: 0 });
    expect(huge).toMatchObject({ lines: 2, events: 1, rejected: 1 });
    expect(query(db, `SELECT path FROM events WHERE path LIKE '/pub/caf%'`)).toEqual([{ path: '/pub/caf\ufffd.iso' }]);
    const [r] = query<{ reason: string; len: number }>(db, `SELECT reason, length(raw) AS len FROM rejects WHERE reason LIKE 'line longer%'`);
    expect(r).toEqual({ reason: `line longer than 65536 bytes (${50 * 1024 * 1024} bytes)`, len: 1024 });
    expect(reconciles(db)).toBe(true);
  });

  it('never reads its own database file when pointed at the folder holding it', async () => {
    const dir = tempDir();
    const db = join(dir, 'ftplog.db');
    copyFileSync(fixture('xferlog/xferlog'), join(dir, 'xferlog'));
    const first = await run(db, [dir]);
    const second = await run(db, [dir]);
    expect(first.files.map((f) => f.path)).toEqual([join(dir, 'xferlog')]);
    expect(second.files.map((f) => f.status)).toEqual(['unchanged']);
  });

  it('reads standard input as a source of its own', async () => {
    const db = join(tempDir(), 'f.db');
    const data = readFileSync(fixture('vsftpd/vsftpd.log'));
    const stdin = (async function* () { yield data.subarray(0, 100); yield data.subarray(100); })();
    const s = await run(db, ['-'], { stdin });
    expect(s.files[0]).toMatchObject({ path: '-', format: 'vsftpd', lines: 40, events: 36 });
    expect(query(db, `SELECT path, size, complete FROM sources`)).toEqual([{ path: '-', size: data.length, complete: 1 }]);
  });

  it('commits in batches: the stored offset always matches the rows stored', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    const db = join(dir, 'f.db');
    writeFileSync(log, Array.from({ length: 2500 }, (_, i) => XFER(i)).join(''));
    await run(db, [log], { linesPerCommit: 1000 });
    expect(query(db, 'SELECT bytes_read, lines_read FROM sources')).toEqual([{ bytes_read: readFileSync(log).length, lines_read: 2500 }]);
  });
});

describe('a file a server is still writing', () => {
  it('leaves an unfinished last line for the next run, which reads it whole', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    const db = join(dir, 'f.db');
    const line = XFER(7);
    writeFileSync(log, XFER(1) + line.slice(0, 30)); // the server is half way through writing a line
    const first = await run(db, [log]);
    expect(first.files[0]).toMatchObject({ lines: 1, events: 1, rejected: 0, unfinishedBytes: 30 });
    appendFileSync(log, line.slice(30));
    const second = await run(db, [log]);
    expect(second.files[0]).toMatchObject({ lines: 1, events: 1, rejected: 0, resumedAtLine: 1 });
    expect(query(db, 'SELECT line_no, bytes FROM events ORDER BY id')).toEqual([{ line_no: 1, bytes: 1 }, { line_no: 2, bytes: 7 }]);
  });

  it('reads the last line without a newline of a file nobody has written to for a while', async () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    const db = join(dir, 'f.db');
    writeFileSync(log, XFER(1) + XFER(2).trimEnd());
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(log, old, old);
    const s = await run(db, [log]);
    expect(s.files[0]).toMatchObject({ lines: 2, events: 2 });
    expect(s.files[0]!.unfinishedBytes).toBeUndefined();
  });
});
