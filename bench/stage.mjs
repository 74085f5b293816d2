// One benchmark stage in a process of its own, so its peak RSS is its own. Prints one JSON line.
// usage: node bench/stage.mjs io|io-split2|parse|ceiling|ingest|reports FILE [DB] [LINES]
import { createReadStream, createWriteStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import split2 from 'split2';
import { LineSplitter } from '../dist/ingest/lines.js';
import { SourceParser } from '../dist/ingest/pipeline.js';
import { ingest } from '../dist/ingest/ingest.js';
import { openForWrite } from '../dist/store/sqlite/db.js';
import { openQueryStore, openStore } from '../dist/store/index.js';
import { TEXT_VALUE } from '../dist/store/sqlite/batch.js';
import { ROWS_PER_STATEMENT } from '../dist/store/sqlite/rowInserter.js';
import { EVENT_COLUMNS } from '../dist/store/sqlite/eventRows.js';
import { loadCatalog } from '../dist/report/catalog.js';
import { bindParams } from '../dist/report/params.js';
import { runReport } from '../dist/report/run.js';

const [stage, file, dbPath, linesArg] = process.argv.slice(2);
const MAX_LINE = 65536;

async function readAll(onLine) {
  const splitter = new LineSplitter(MAX_LINE, onLine);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) splitter.push(chunk);
  splitter.end();
}

async function io() {
  let lines = 0;
  await readAll(() => lines++);
  return { lines };
}

/** split2 with a plain '\\n' matcher, for comparison: it decodes before splitting (no byte offsets) and drops overlong lines silently. */
async function ioSplit2() {
  let lines = 0;
  for await (const line of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(split2('\n'))) lines += line.length >= 0 ? 1 : 0;
  return { lines };
}

async function parse() {
  let events = 0;
  const sp = new SourceParser({ format: 'auto', tz: 'UTC', referenceDate: new Date(), maxLineBytes: MAX_LINE }, (o) => {
    if (o.type === 'event') events++;
  });
  await readAll((l) => sp.line(l));
  sp.end();
  return { lines: sp.counts.lines, events };
}

/**
 * Bare better-sqlite3, the best way we know: pre-built rows of the events shape in a database opened
 * as ingest opens it, only the columns the format fills, INSERTs of as many rows as ingest's (OR
 * ROLLBACK: no statement journal), positional arguments spread, 50k-row transactions, no indexes.
 * The rows are the stored columns of the format's own first events, as ftplog ingest stored them in
 * a scratch database before the clock starts, cycled with fresh line numbers.
 */
async function ceiling() {
  const n = Number(linesArg);
  const scratch = `${dbPath}.rows`;
  const head = `${dbPath}.head.log`;
  await new Promise((resolve, reject) => createReadStream(file, { start: 0, end: 1 << 20 }).pipe(createWriteStream(head)).on('finish', resolve).on('error', reject));
  const scratchStore = await openStore(scratch);
  await ingest(scratchStore, [head], { format: 'auto', tz: 'UTC', maxLineBytes: MAX_LINE });
  await scratchStore.close();
  const sdb = openForWrite(scratch);
  const pool = sdb.prepare(`SELECT ${EVENT_COLUMNS.join(', ')} FROM events ORDER BY id LIMIT 2000`).raw().all();
  sdb.close();
  const picks = EVENT_COLUMNS.map((_, i) => i).filter((i) => pool.some((row) => row[i] !== null));
  const lineNo = EVENT_COLUMNS.indexOf('line_no');
  // Text pre-built as UTF-8, bound as bytes and made text again in the statement, as ingest binds it.
  const utf8 = new TextEncoder();
  const isText = EVENT_COLUMNS.map((_, i) => pool.some((row) => typeof row[i] === 'string'));
  for (const row of pool) for (const c of picks) if (typeof row[c] === 'string') row[c] = utf8.encode(row[c]);

  // Ingest's own connection settings and schema (page size, WAL, cache), without its indexes.
  const db = openForWrite(dbPath);
  for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_rows'").all()) {
    db.exec(`DROP INDEX ${name}`);
  }
  const insert = (rows) => {
    const stmt = db.prepare(`INSERT OR ROLLBACK INTO event_rows (${picks.map((i) => EVENT_COLUMNS[i]).join(', ')})
      VALUES ${Array(rows).fill(`(${picks.map((i) => (isText[i] ? TEXT_VALUE : '?')).join(',')})`).join(',')}`);
    const params = new Array(rows * picks.length);
    /** Inserts `rows` rows numbered from `from`. */
    return (from) => {
      let k = 0;
      for (let r = from; r < from + rows; r++) {
        const row = pool[r % pool.length];
        row[lineNo] = r;
        for (const c of picks) params[k++] = row[c];
      }
      stmt.run(...params);
    };
  };
  // As ingest does: ROWS_PER_STATEMENT rows a statement, then one-row statements for the rest.
  const per = ROWS_PER_STATEMENT;
  const many = insert(per);
  const one = insert(1);
  const started = process.hrtime.bigint();
  let done = 0;
  while (done < n) {
    db.exec('BEGIN');
    const end = Math.min(n, done + 50_000);
    for (; done + per <= end; done += per) many(done);
    for (; done < end; done++) one(done);
    db.exec('COMMIT');
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rows = db.prepare('SELECT count(*) FROM event_rows').pluck().get();
  db.close();
  return { lines: rows, seconds, columns: picks.length };
}

async function doIngest() {
  const store = await openStore(dbPath);
  const s = await ingest(store, [file], { format: 'auto', tz: 'UTC', maxLineBytes: MAX_LINE });
  await store.close();
  return { lines: s.lines, events: s.events, rejected: s.rejected, skipped: s.skipped };
}

async function reports() {
  const db = await openQueryStore(dbPath);
  const out = {};
  for (const r of loadCatalog().values()) {
    const started = process.hrtime.bigint();
    const res = await runReport(db, r, bindParams(r, {}));
    out[r.name] = { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: res.rows.length };
  }
  await db.close();
  return { reports: out };
}

const run = { io, 'io-split2': ioSplit2, parse, ceiling, ingest: doIngest, reports }[stage];
const started = process.hrtime.bigint();
const result = await run();
const seconds = result.seconds ?? Number(process.hrtime.bigint() - started) / 1e9;
/** The bytes of a log, or of the logs in a folder (ingest of --files parts). */
const sizeOf = (path) => (statSync(path).isDirectory() ? readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0) : statSync(path).size);
const bytes = file && stage !== 'ceiling' && stage !== 'reports' ? sizeOf(file) : 0;
process.stdout.write(JSON.stringify({ stage, ...result, seconds, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
