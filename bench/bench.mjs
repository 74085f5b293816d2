// npm run bench -- [--lines N] [--formats xferlog,vsftpd,iis] [--runs N] [--files N] [--shapes pool,mirror,botnet,many-files]
//   [--clickhouse clickhouse://host:8123/database] [--out FILE] [--keep]
// Generates deterministic logs, then measures each stage in a process of its own (so peak RSS is the
// stage's own): the I/O limit, the parse limit, the bare insert ceiling, ftplog ingest (fresh and
// again), and every canned report on a database holding all formats. The stages of a format run
// --runs times in rounds (default 3), and the table shows each stage's median run and the median of
// the rounds' ingest/ceiling ratios: on a shared machine one stage can run 15-40% slower than the
// next a minute later, and a ratio taken within one round cancels most of that. With --files N, each
// round also ingests the same lines cut into N files (a night of many small logs). With --shapes, the
// run compares ftplog with lnav on xferlog of those shapes instead (bench/shapes.mjs). With
// --clickhouse URL, each round also ingests into that server (a database per stage, named after the
// URL's, dropped at the end) and the reports run there too. Prints a table; --out writes JSON with
// every run.
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, generateParts } from './generate.mjs';
import { printShapes, runShapes, SHAPE_NAMES } from './shapes.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const lines = Number(opt('lines', '1000000'));
const formats = opt('formats', 'xferlog,vsftpd,iis').split(',');
const out = opt('out', null);
const runs = Number(opt('runs', '3'));
const parts = Number(opt('files', '1'));
const keep = args.includes('--keep');
const shapes = opt('shapes', null)?.split(',') ?? null;
const clickhouse = opt('clickhouse', null);
if (clickhouse !== null && !/^clickhouse:\/\/.+\/[A-Za-z_][A-Za-z0-9_]*\/?$/.test(clickhouse)) {
  console.error('bench: --clickhouse takes clickhouse://host:8123/database');
  process.exit(2);
}
/** The ClickHouse database of one stage: the URL's database name with the stage's after it. */
const chDb = (name) => clickhouse.replace(/\/([A-Za-z_][A-Za-z0-9_]*)\/?$/, (_all, db) => `/${db}_${name.replace(/\W/g, '_')}`);
const chDatabases = [];
for (const s of shapes ?? []) {
  if (!SHAPE_NAMES.includes(s)) {
    console.error(`bench: --shapes takes some of ${SHAPE_NAMES.join(', ')}, not '${s}'`);
    process.exit(2);
  }
}
for (const [name, value] of [['lines', lines], ['runs', runs], ['files', parts]]) {
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`bench: --${name} takes a positive whole number`);
    process.exit(2);
  }
}

const stageScript = fileURLToPath(new URL('./stage.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ftplog-bench-'));

function stage(...stageArgs) {
  const text = execFileSync(process.execPath, [stageScript, ...stageArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(text.trim().split('\n').pop());
}

/** Writes a file's pages out now, so no later stage waits for them. */
function onDisk(path) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Deletes a database with its WAL and shared-memory files (and any `more` files named after it). */
function removeDb(path, more = []) {
  for (const suffix of ['', '-wal', '-shm', ...more]) rmSync(path + suffix, { force: true });
}

const mb = (bytes) => bytes / 1_048_576;
const rate = (n, s) => Math.round(n / s);
/** The middle value (of an even count, the upper of the two middle ones). */
const median = (values, key = (v) => v) => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)];
const ratio = (ingest, limit) => ingest.lines / ingest.seconds / (limit.lines / limit.seconds);
const STAGES = ['io', 'ioSplit2', 'parse', 'ceiling', 'ingest'];

if (shapes) {
  try {
    const shaped = await runShapes({ shapes, lines, runs, dir, stage, removeDb });
    printShapes(shaped, runs);
    if (out) writeFileSync(out, JSON.stringify({ lines, runs, machine: { cpus: cpus().length, node: process.version }, ...shaped }, null, 2) + '\n');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

const results = { lines, files: parts, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, formats: {}, reports: {} };
try {
  const files = {};
  const partDirs = {};
  for (const format of formats) {
    files[format] = join(dir, `${format}.log`);
    process.stderr.write(`bench: generating ${lines.toLocaleString('en-US')} ${format} lines…\n`);
    await generate(format, lines, files[format]);
    // On disk, unwritten pages of the logs would be written out during the first format's stages,
    // and SQLite's checkpoints (fsync) would wait for them: that format would measure the kernel.
    onDisk(files[format]);
    if (parts > 1) {
      partDirs[format] = join(dir, `${format}-parts`);
      mkdirSync(partDirs[format]);
      for (const part of await generateParts(format, lines, partDirs[format], parts)) onDisk(part);
    }
  }

  for (const format of formats) {
    const file = files[format];
    const rounds = [];
    let db;
    for (let r = 1; r <= runs; r++) {
      process.stderr.write(`bench: measuring ${format}, round ${r} of ${runs}…\n`);
      const ceilingDb = join(dir, `ceiling-${format}-${r}.db`);
      db = join(dir, `ingest-${format}-${r}.db`);
      const io = stage('io', file);
      const ioSplit2 = stage('io-split2', file);
      const parse = stage('parse', file);
      const ceiling = stage('ceiling', file, ceilingDb, String(lines));
      // Gone before the ingest, so that its pages are not written out while ingest runs.
      removeDb(ceilingDb, ['.rows', '.head.log']);
      const round = { io, ioSplit2, parse, ceiling, ingest: stage('ingest', file, db) };
      if (clickhouse) {
        chDatabases.push(chDb(`${format}_${r}`));
        round.clickhouse = stage('ingest', file, chDatabases.at(-1));
      }
      if (parts > 1) {
        const partsDb = join(dir, `ingest-${format}-parts.db`);
        round.ingestParts = stage('ingest', partDirs[format], partsDb);
        removeDb(partsDb);
      }
      rounds.push(round);
      if (r < runs) removeDb(db);
    }
    const stages = [...STAGES, ...(parts > 1 ? ['ingestParts'] : []), ...(clickhouse ? ['clickhouse'] : [])];
    const typical = Object.fromEntries(stages.map((name) => [name, median(rounds.map((round) => round[name]), (s) => s.seconds)]));
    const toCeiling = rounds.map((round) => ratio(round.ingest, round.ceiling));
    const ratios = {
      ceiling: median(toCeiling),
      parse: median(rounds.map((round) => ratio(round.ingest, round.parse))),
      ceilingRange: [Math.min(...toCeiling), Math.max(...toCeiling)],
      ...(parts > 1 ? { partsCeiling: median(rounds.map((round) => ratio(round.ingestParts, round.ceiling))) } : {}),
    };
    const peakRssMb = Object.fromEntries(stages.map((name) => [name, Math.max(...rounds.map((round) => round[name].maxRssMb))]));
    results.formats[format] = { ...typical, ratios, peakRssMb, runs: rounds, again: stage('ingest', file, db),
      ...(clickhouse ? { clickhouseAgain: stage('ingest', file, chDatabases.at(-1)) } : {}) };
  }

  process.stderr.write('bench: building the all-formats database and running the reports…\n');
  const all = join(dir, 'all.db');
  for (const format of formats) stage('ingest', files[format], all);
  results.reports = stage('reports', '-', all);
  if (clickhouse) {
    chDatabases.push(chDb('all'));
    for (const format of formats) stage('ingest', files[format], chDb('all'));
    results.reportsClickhouse = stage('reports', '-', chDb('all'));
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`bench: kept ${dir}\n`);
  if (clickhouse && !keep) await dropDatabases(chDatabases);
}

/** The bench's own ClickHouse databases, gone. */
async function dropDatabases(urls) {
  const { Connection } = await import('../dist/store/clickhouse/connection.js');
  const { parseTarget } = await import('../dist/store/clickhouse/url.js');
  for (const url of urls) {
    const target = parseTarget(url);
    const conn = new Connection(target, target.servers[0]).withoutDatabase();
    await conn.command(`DROP DATABASE IF EXISTS ${target.database}`);
    await conn.close();
  }
}

const rows = [];
for (const [format, r] of Object.entries(results.formats)) {
  const row = (what, name, extra = '') => {
    const s = r[name];
    rows.push([format, what, rate(s.lines, s.seconds).toLocaleString('en-US'), s.bytes ? (mb(s.bytes) / s.seconds).toFixed(1) : '',
      r.peakRssMb[name].toFixed(0), s.seconds.toFixed(2), extra]);
  };
  row('read + split (I/O limit)', 'io');
  row("read + split2('\\n'), for comparison", 'ioSplit2');
  row('read + split + parse (parse limit)', 'parse');
  row('bare insert (ceiling)', 'ceiling');
  const [low, high] = r.ratios.ceilingRange;
  row('ftplog ingest', 'ingest', `${r.ratios.ceiling.toFixed(2)}× ceiling` + (runs > 1 ? ` (${low.toFixed(2)}-${high.toFixed(2)})` : '') +
    `, ${r.ratios.parse.toFixed(2)}× parse limit`);
  if (r.ingestParts) row(`ftplog ingest, the lines in ${parts} files`, 'ingestParts', `${r.ratios.partsCeiling.toFixed(2)}× ceiling`);
  rows.push([format, 'ftplog ingest again (adds nothing)', '', '', r.again.maxRssMb.toFixed(0), r.again.seconds.toFixed(2), `${r.again.lines} lines read`]);
  if (r.clickhouse) {
    row('ftplog ingest into ClickHouse', 'clickhouse', `${(rate(r.clickhouse.lines, r.clickhouse.seconds) / rate(r.ingest.lines, r.ingest.seconds)).toFixed(2)}× SQLite's`);
    rows.push([format, 'ClickHouse ingest again (adds nothing)', '', '', r.clickhouseAgain.maxRssMb.toFixed(0), r.clickhouseAgain.seconds.toFixed(2),
      `${r.clickhouseAgain.lines} lines read`]);
  }
}
const head = ['format', 'stage', 'lines/s', 'MB/s', 'peak RSS MB', 'seconds', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => (i >= 2 && i <= 5 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
console.log(`ftplog benchmark: ${lines.toLocaleString('en-US')} lines per format${parts > 1 ? ` (and in ${parts} files)` : ''}, ${results.machine.cpus} cores, Node ${results.machine.node}; ` +
  `median of ${runs} run${runs > 1 ? 's' : ''}, peak RSS the highest\n`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

const events = Object.values(results.formats).reduce((n, r) => n + r.ingest.events, 0);
console.log(`\nreports on the all-formats database (${events.toLocaleString('en-US')} events), peak RSS ${results.reports.maxRssMb.toFixed(0)} MB:`);
for (const [name, r] of Object.entries(results.reports.reports)) {
  const ch = results.reportsClickhouse?.reports[name];
  console.log(`  ${name.padEnd(16)} ${r.seconds.toFixed(3).padStart(7)} s  ${r.rows} rows${ch ? `   ClickHouse ${ch.seconds.toFixed(3).padStart(7)} s  ${ch.rows} rows` : ''}`);
}

if (out) {
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  process.stderr.write(`bench: figures written to ${out}\n`);
}
