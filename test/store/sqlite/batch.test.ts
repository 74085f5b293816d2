import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchApplier, BatchBuilder, StringTable } from '../../../src/store/sqlite/batch.js';
import { EVENT_COLUMNS } from '../../../src/store/sqlite/eventRows.js';
import { SourceCatalog } from '../../../src/store/sqlite/catalog.js';
import { openForWrite } from '../../../src/store/sqlite/db.js';
import { ACTIVITY_ROW, ActivityAccumulator, catchUpActivity } from '../../../src/store/sqlite/rollup.js';
import { batchOf, EVENT } from '../../helpers/batches.js';
import { query, rollupMismatches, tempDir } from '../../helpers/tmp.js';

/** The storage types found in event_rows' text columns. */
function textTypes(path: string): string[] {
  const columns = ['server', 'session', 'client_ip', 'username', 'command', 'path', 'winsock_name', 'detail', 'flags'];
  const sql = columns.map((c) => `SELECT typeof(${c}) AS t FROM event_rows`).join(' UNION ');
  return query(path, `${sql} ORDER BY t`).map((r) => r.t as string);
}

function setup() {
  const path = join(tempDir(), 'b.db');
  const a = openForWrite(path);
  const b = openForWrite(path);
  const source = new SourceCatalog(a).create({ path: '/x', gzip: false, size: 100, mtime: null, headHash: 'h', headLen: 1 });
  return { path, a, b, source };
}

describe('BatchApplier', () => {
  it('commits rows and the new offset together', () => {
    const { path, a, source } = setup();
    const strings = new StringTable();
    const applier = new BatchApplier(a);
    applier.apply([batchOf(strings, source.id, 0, 60)]);
    applier.apply([batchOf(strings, source.id, 60, 60)]);
    expect(query(path, 'SELECT bytes_read, lines_read, events, last_event_id FROM sources')).toEqual([
      { bytes_read: 1200, lines_read: 120, events: 120, last_event_id: 120 },
    ]);
    expect(query(path, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 120 }]);
    // Text sent as string-table numbers comes back as the text.
    expect(query(path, `SELECT DISTINCT format, username, kind, command, direction, outcome FROM events`)).toEqual([
      { format: 'xferlog', username: 'u', kind: 'transfer', command: 'RETR', direction: 'download', outcome: 'ok' },
    ]);
  });

  it('keeps the string table in step when a batch is refused', () => {
    const { path, a, b, source } = setup();
    const mineStrings = new StringTable();
    const theirsStrings = new StringTable();
    const mine = new BatchApplier(a);
    new BatchApplier(b).apply([batchOf(theirsStrings, source.id, 0, 10)]);
    expect(mine.apply([batchOf(mineStrings, source.id, 0, 10)])).toEqual(['taken']); // carried the first strings
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    mine.apply([batchOf(mineStrings, other.id, 0, 5)]); // no new strings: all numbers from the refused batch
    expect(query(path, `SELECT DISTINCT kind, username FROM events WHERE source_id = ${other.id}`)).toEqual([{ kind: 'transfer', username: 'u' }]);
  });

  it('refuses a batch whose source moved on, and every later batch of that source, even when offsets line up again', () => {
    const { path, a, b, source } = setup();
    const mine = new BatchApplier(a);
    const theirs = new BatchApplier(b);
    const mineStrings = new StringTable();
    const theirsStrings = new StringTable();
    theirs.apply([batchOf(theirsStrings, source.id, 0, 10)]); // another ingest got there first
    expect(mine.apply([batchOf(mineStrings, source.id, 0, 10)])).toEqual(['taken']);
    // Our next batch starts exactly where theirs ended: without the memory of the first refusal it would commit.
    expect(mine.apply([batchOf(mineStrings, source.id, 10, 10)])).toEqual(['taken']);
    theirs.apply([batchOf(theirsStrings, source.id, 10, 10)]);
    expect(query(path, 'SELECT lines_read, events FROM sources')).toEqual([{ lines_read: 20, events: 20 }]);
    expect(query(path, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 20 }]);
  });

  it('commits the batches of one call together, leaving out a taken source\'s and reading offsets the earlier ones moved', () => {
    const { path, a, b, source } = setup();
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    const mineStrings = new StringTable();
    new BatchApplier(b).apply([batchOf(new StringTable(), source.id, 0, 10)]); // another ingest got there first
    const results = new BatchApplier(a).apply([
      batchOf(mineStrings, other.id, 0, 30),
      batchOf(mineStrings, source.id, 0, 10),
      batchOf(mineStrings, other.id, 30, 20), // starts where the first batch of the call left its source
    ]);
    expect(results).toEqual(['ok', 'taken', 'ok']);
    expect(query(path, 'SELECT id, bytes_read, lines_read, events FROM sources ORDER BY id')).toEqual([
      { id: source.id, bytes_read: 100, lines_read: 10, events: 10 },
      { id: other.id, bytes_read: 500, lines_read: 50, events: 50 },
    ]);
    expect(query(path, `SELECT source_id, count(*) AS n, min(line_no) AS first, max(line_no) AS last FROM events GROUP BY 1 ORDER BY 1`)).toEqual([
      { source_id: source.id, n: 10, first: 1, last: 10 },
      { source_id: other.id, n: 50, first: 1, last: 50 },
    ]);
  });

  it('keeps hourly totals apart for each source of the batches committed together', () => {
    const { path, a, source } = setup();
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    const strings = new StringTable();
    // The same hour, server, command and outcome from both sources, in one transaction.
    expect(new BatchApplier(a).apply([batchOf(strings, source.id, 0, 3), batchOf(strings, other.id, 0, 2)])).toEqual(['ok', 'ok']);
    expect(query(path, 'SELECT source_id, events, bytes FROM rollup_hourly ORDER BY source_id')).toEqual([
      { source_id: source.id, events: 3, bytes: 30 },
      { source_id: other.id, events: 2, bytes: 20 },
    ]);
    expect(rollupMismatches(path)).toEqual([]);
  });

  it('commits none of the batches of one call when one of them fails', () => {
    const { path, a, source } = setup();
    const strings = new StringTable();
    const good = batchOf(strings, source.id, 0, 10);
    const bad = batchOf(strings, source.id, 10, 10);
    bad.cells[5 * EVENT_COLUMNS.length + EVENT_COLUMNS.indexOf('ts_unix')] = NaN; // its sixth row has no time: NOT NULL fails
    expect(() => new BatchApplier(a).apply([good, bad])).toThrow(/NOT NULL/);
    expect(query(path, 'SELECT bytes_read, lines_read, events FROM sources')).toEqual([{ bytes_read: 0, lines_read: 0, events: 0 }]);
    expect(query(path, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('writes client and user totals every flushLines lines and when flushed at the end, as its events add up', () => {
    const { path, a, source } = setup();
    const applier = new BatchApplier(a);
    const activity = new ActivityAccumulator(25);
    const builder = new BatchBuilder(source.id, { bytesRead: 0, linesRead: 0 }, new StringTable(), activity, 10);
    const rolled: number[] = [];
    const flush = () => expect(applier.apply([{ kind: 'activity', rows: activity.take()! }])).toEqual(['ok']);
    const apply = () => {
      expect(applier.apply([builder.take('vsftpd', [])])).toEqual(['ok']);
      if (activity.due) flush();
      rolled.push(query<{ n: number }>(path, 'SELECT rolled_line AS n FROM sources')[0]!.n);
    };
    for (let l = 1; l <= 47; l++) {
      if (l % 9 === 0) builder.skip(l, l * 10);
      else {
        const transfer = l % 5 !== 0;
        builder.event(l, l * 10, 'vsftpd', {
          ...EVENT, ts: l < 20 ? '2024-03-05T23:59:50Z' : '2024-03-06T00:00:10Z', clientIp: `192.0.2.${l % 4}`, username: l % 3 ? 'u' : null,
          kind: transfer ? 'transfer' : 'login', command: transfer ? 'STOR' : 'PASS', direction: transfer ? (l % 2 ? 'upload' : 'download') : null,
          outcome: l % 7 ? 'ok' : 'fail', bytes: transfer ? l * 100 : null,
        });
      }
      if (builder.due) apply();
    }
    apply();
    flush();
    rolled.push(query<{ n: number }>(path, 'SELECT rolled_line AS n FROM sources')[0]!.n);
    // Batches end at lines 10, 20, 30, 40 and 47: due after 30 lines, then flushed at the end.
    expect(rolled).toEqual([0, 0, 30, 30, 30, 47]);
    expect(query(path, 'SELECT rolled_event_id = last_event_id AS caught_up FROM sources')).toEqual([{ caught_up: 1 }]);
    expect(rollupMismatches(path)).toEqual([]);
    expect(query(path, `SELECT day, client_ip, transfers, logins, failed_logins, bytes_in + bytes_out AS bytes, events FROM rollup_clients
      WHERE client_ip = '192.0.2.1' ORDER BY 1`)).toEqual([
      // Lines 1, 5, 13, 17 (9 is skipped; 5 a login): 3 transfers of 100 + 1300 + 1700 bytes.
      { day: '2024-03-05', client_ip: '192.0.2.1', transfers: 3, logins: 1, failed_logins: 0, bytes: 3100, events: 4 },
      // Lines 21 to 41 by fours (45 is skipped; 25 a login): 5 transfers of (21 + 29 + 33 + 37 + 41) * 100 bytes.
      { day: '2024-03-06', client_ip: '192.0.2.1', transfers: 5, logins: 1, failed_logins: 0, bytes: 16100, events: 6 },
    ]);
    // The hourly totals, kept by the writer thread: the hours either side of midnight.
    expect(query(path, `SELECT hour, kind, direction, outcome, sum(events) AS events, sum(bytes) AS bytes, min(first_ts) AS first_ts
      FROM rollup_hourly GROUP BY 1, 2, 3, 4 HAVING hour = '2024-03-05T23' AND kind = 'transfer' AND direction = 'upload'`)).toEqual([
      // Lines 1 to 19, odd, not multiples of 5 or 9: 1, 3, 7, 11, 13, 17, 19 (7 fails).
      { hour: '2024-03-05T23', kind: 'transfer', direction: 'upload', outcome: 'fail', events: 1, bytes: 700, first_ts: '2024-03-05T23:59:50Z' },
      { hour: '2024-03-05T23', kind: 'transfer', direction: 'upload', outcome: 'ok', events: 6, bytes: 6400, first_ts: '2024-03-05T23:59:50Z' },
    ]);
  });

  it('makes the totals due once they hold flushKeys clients and users, however few lines brought them (a botnet\'s log)', () => {
    const { path, a, source } = setup();
    const applier = new BatchApplier(a);
    const activity = new ActivityAccumulator(1000, 12);
    const builder = new BatchBuilder(source.id, { bytesRead: 0, linesRead: 0 }, new StringTable(), activity, 5);
    const flushedAt: number[] = [];
    for (let l = 1; l <= 30; l++) {
      // Lines 1-15: the same address and user (2 keys in all). Lines 16-30: a new address and user on each (2 keys a line).
      const fresh = l > 15;
      builder.event(l, l * 10, 'vsftpd', { ...EVENT, clientIp: fresh ? `198.51.100.${l}` : '192.0.2.1', username: fresh ? `guess${l}` : 'u' });
      if (builder.due) {
        expect(applier.apply([builder.take('vsftpd', [])])).toEqual(['ok']);
        if (activity.due) {
          flushedAt.push(l);
          expect(applier.apply([{ kind: 'activity', rows: activity.take()! }])).toEqual(['ok']);
        }
      }
    }
    // Keys held after each 5-line batch: 2, 2, 2, 12 (due: flushed), 10, 20 (due: flushed).
    expect(flushedAt).toEqual([20, 30]);
    expect(activity.take()).toBeNull();
    expect(rollupMismatches(path)).toEqual([]);
    expect(query(path, 'SELECT count(*) AS clients, sum(events) AS events FROM rollup_clients')).toEqual([{ clients: 16, events: 30 }]);
  });

  it('gathers the totals of several sources into one flush and moves each source\'s mark to its end', () => {
    const { path, a, source } = setup();
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    const strings = new StringTable();
    const activity = new ActivityAccumulator();
    const applier = new BatchApplier(a);
    applier.apply([batchOf(strings, source.id, 0, 20, activity), batchOf(strings, other.id, 0, 10, activity)]);
    applier.apply([batchOf(strings, other.id, 10, 5, activity)]);
    const rows = activity.take()!;
    expect(rows.spans).toEqual([
      { sourceId: source.id, fromLine: 0, toLine: 20 },
      { sourceId: other.id, fromLine: 0, toLine: 15 }, // two batches, one span
    ]);
    expect(rows.clients).toHaveLength(ACTIVITY_ROW); // the same address in both sources: one upsert
    expect(applier.apply([{ kind: 'activity', rows }])).toEqual(['ok']);
    expect(query(path, 'SELECT id, rolled_line, rolled_event_id = last_event_id AS caught_up FROM sources ORDER BY id')).toEqual([
      { id: source.id, rolled_line: 20, caught_up: 1 },
      { id: other.id, rolled_line: 15, caught_up: 1 },
    ]);
    expect(query(path, 'SELECT day, client_ip, transfers, bytes_out, events FROM rollup_clients')).toEqual([
      { day: '2024-03-05', client_ip: '192.0.2.1', transfers: 35, bytes_out: 350, events: 35 },
    ]);
    expect(rollupMismatches(path)).toEqual([]);
  });

  it('adds no totals of a flush holding lines that were refused: recounts the sources whose lines were committed, leaves the other', () => {
    const { path, a, b, source } = setup();
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    new BatchApplier(b).apply([batchOf(new StringTable(), source.id, 0, 10)]); // another ingest got there first
    const strings = new StringTable();
    const activity = new ActivityAccumulator();
    const mine = new BatchApplier(a);
    expect(mine.apply([batchOf(strings, other.id, 0, 30, activity), batchOf(strings, source.id, 0, 10, activity)])).toEqual(['ok', 'taken']);
    expect(mine.apply([{ kind: 'activity', rows: activity.take()! }])).toEqual(['ok']);
    // Only the other source's 30 events, recounted from events; the taken source's 10 are past its mark, for reports to add.
    expect(query(path, 'SELECT sum(events) AS n FROM rollup_clients')).toEqual([{ n: 30 }]);
    expect(query(path, 'SELECT id, rolled_line FROM sources ORDER BY id')).toEqual([
      { id: source.id, rolled_line: 0 },
      { id: other.id, rolled_line: 30 },
    ]);
    expect(rollupMismatches(path)).toEqual([]);
    catchUpActivity(a); // the next ingest's start
    expect(query(path, 'SELECT sum(events) AS n FROM rollup_clients')).toEqual([{ n: 40 }]);
    expect(rollupMismatches(path)).toEqual([]);
  });

  it('adds no totals of a source that another ingest has counted since (its mark moved): nothing twice', () => {
    const { path, a, b, source } = setup();
    const strings = new StringTable();
    const activity = new ActivityAccumulator();
    const mine = new BatchApplier(a);
    mine.apply([batchOf(strings, source.id, 0, 10, activity)]);
    catchUpActivity(b); // another ingest starting meanwhile counts the source's lines from events
    expect(mine.apply([{ kind: 'activity', rows: activity.take()! }])).toEqual(['ok']);
    expect(query(path, 'SELECT sum(events) AS n FROM rollup_clients')).toEqual([{ n: 10 }]);
    expect(query(path, 'SELECT rolled_line, rolled_event_id = last_event_id AS caught_up FROM sources')).toEqual([{ rolled_line: 10, caught_up: 1 }]);
    expect(rollupMismatches(path)).toEqual([]);
  });

  it('stores every value when rows of one batch fill different columns (each batch inserts only the columns it fills)', () => {
    const { path, a, source } = setup();
    const strings = new StringTable();
    const applier = new BatchApplier(a);
    const builder = new BatchBuilder(source.id, { bytesRead: 0, linesRead: 0 }, strings, new ActivityAccumulator());
    const want: unknown[][] = [];
    // 123 rows: six full 20-row statements and a tail of three; every column is empty on some rows and filled on
    // others. Then 25 rejects: a full 20-row statement of them and a tail of five.
    for (let l = 1; l <= 123; l++) {
      const e = {
        ...EVENT, ts: `2024-03-05T14:00:${String(l % 60).padStart(2, '0')}Z`, server: l % 2 ? `srv${l % 3}` : null,
        session: l % 3 ? null : `s${l}`, clientIp: l % 5 ? `192.0.2.${l}` : null, username: l % 7 ? null : 'root',
        command: l % 4 ? 'RETR' : null, direction: l % 4 ? ('download' as const) : null, path: l % 6 ? null : `/p/${l}`,
        bytes: l % 2 ? null : l * 1000, durationMs: l % 9 ? null : l, replyCode: l % 8 ? null : 426,
        win32Status: l % 10 ? null : 10054, substatus: l % 11 ? null : 41, winsockName: l % 10 ? null : 'WSAECONNRESET',
        outcome: l % 8 ? ('ok' as const) : ('fail' as const), detail: l % 12 ? null : `d${l}`, flags: l % 13 ? null : 'invalid-ip',
      };
      builder.event(l, l * 10, 'vsftpd', e);
      want.push([l, e.ts, e.server, e.session, e.clientIp, e.username, e.command, e.direction, e.path, e.bytes, e.durationMs,
        e.replyCode, e.replyCode ? 4 : null, e.win32Status, e.substatus, e.winsockName, e.outcome, e.detail, e.flags, 'vsftpd']);
    }
    for (let l = 124; l <= 148; l++) builder.reject(l, l * 10, null, `reason ${l}`, `raw ${l}`);
    applier.apply([builder.take('vsftpd', [])]);
    const got = query(path, `SELECT line_no, ts, server, session, client_ip, username, command, direction, path, bytes, duration_ms,
      reply_code, reply_class, win32_status, substatus, winsock_name, outcome, detail, flags, format FROM events ORDER BY line_no`);
    expect(got.map((r) => Object.values(r))).toEqual(want);
    expect(query(path, 'SELECT line_no, reason, raw FROM rejects ORDER BY id')).toEqual(
      Array.from({ length: 25 }, (_, i) => ({ line_no: 124 + i, reason: `reason ${124 + i}`, raw: `raw ${124 + i}` })));
    // The hourly totals, kept from the same values as they went in, match the rows.
    expect(rollupMismatches(path).filter((m) => m === 'rollup_hourly')).toEqual([]);
    // Text bound as bytes is stored as text, not as blobs.
    expect(textTypes(path)).toEqual(['null', 'text']);
  });

  it('brings back text of any kind whole: empty, accented, outside the BMP, with newlines and quotes', () => {
    const { path, a, source } = setup();
    const builder = new BatchBuilder(source.id, { bytesRead: 0, linesRead: 0 }, new StringTable(), new ActivityAccumulator());
    const paths = ['', '/ü/ß', '/📁/a b', '', '/x\ny', '/"q",\'r\'', '/\uFFFD', '/📁/a b', '/nul\0byte'];
    paths.forEach((p, i) => builder.event(i + 1, (i + 1) * 10, 'vsftpd', { ...EVENT, path: p, clientIp: `${p}|ip` }));
    // A batch of ASCII text only goes to SQLite as bytes: the same text must come back.
    const ascii = ['/x\ny', '/"q",\'r\'', '', '/nul\0byte', '/a b'];
    const applier = new BatchApplier(a);
    applier.apply([builder.take('vsftpd', [])]);
    ascii.forEach((p, i) => builder.event(20 + i, (20 + i) * 10, 'vsftpd', { ...EVENT, path: p, clientIp: `${p}|ip` }));
    applier.apply([builder.take('vsftpd', [])]);
    expect(query(path, 'SELECT path, client_ip FROM events ORDER BY line_no')).toEqual([...paths, ...ascii].map((p) => ({ path: p, client_ip: `${p}|ip` })));
    expect(textTypes(path)).toEqual(['null', 'text']);
  });

  it('sends text past a full string table as it is, and repeats of the row above across batches whole', () => {
    const { path, a, source } = setup();
    const strings = new StringTable(3);
    const applier = new BatchApplier(a);
    const builder = new BatchBuilder(source.id, { bytesRead: 0, linesRead: 0 }, strings, new ActivityAccumulator(), 4);
    const users: string[] = [];
    const commands: string[] = [];
    for (let l = 1; l <= 10; l++) {
      // Same time and address on every row (the row above), a new user name on each (the table fills after three),
      // and a command the hourly totals are kept by, new on every other row: past the table, ASCII and not.
      const command = l % 2 ? 'RETR' : `SITE ${l > 5 ? 'ü' : ''}${l}`;
      builder.event(l, l * 10, 'xferlog', { ...EVENT, username: `user${l}`, command, detail: l % 2 ? 'real ftp' : null });
      users.push(`user${l}`);
      commands.push(command);
      if (builder.due) applier.apply([builder.take('xferlog', [])]);
    }
    applier.apply([builder.take('xferlog', [])]);
    expect(query(path, 'SELECT username, ts, client_ip, command, detail FROM events ORDER BY line_no')).toEqual(users.map((u, i) => ({
      username: u, ts: EVENT.ts, client_ip: EVENT.clientIp, command: commands[i], detail: i % 2 ? null : 'real ftp',
    })));
    expect(rollupMismatches(path).filter((m) => m === 'rollup_hourly')).toEqual([]);
    expect(query(path, "SELECT command FROM rollup_hourly WHERE command <> 'RETR' ORDER BY command").map((r) => r.command))
      .toEqual(commands.filter((c) => c !== 'RETR').sort());
    expect(textTypes(path)).toEqual(['null', 'text']);
  });
});

