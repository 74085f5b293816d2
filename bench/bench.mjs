// npm run bench -- [--lines N] [--formats xferlog,vsftpd,iis] [--out FILE] [--keep]
// Generates deterministic logs, then measures each stage in a process of its own (so peak RSS is the
// stage's own): the I/O limit, the parse limit, the bare insert ceiling, ftplog ingest (fresh and
// again), and every canned report on a database holding all formats. Prints a table; --out writes JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const lines = Number(opt('lines', '1000000'));
const formats = opt('formats', 'xferlog,vsftpd,iis').split(',');
const out = opt('out', null);
const keep = args.includes('--keep');
if (!Number.isInteger(lines) || lines <= 0) {
  console.error('bench: --lines takes a positive whole number');
  process.exit(2);
}

const stageScript = fileURLToPath(new URL('./stage.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ftplog-bench-'));

function stage(...stageArgs) {
  const text = execFileSync(process.execPath, [stageScript, ...stageArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(text.trim().split('\n').pop());
}

const mb = (bytes) => bytes / 1_048_576;
const rate = (n, s) => Math.round(n / s);

const results = { lines, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, formats: {}, reports: {} };
try {
  const files = {};
  for (const format of formats) {
    files[format] = join(dir, `${format}.log`);
    process.stderr.write(`bench: generating ${lines.toLocaleString('en-US')} ${format} lines…\n`);
    await generate(format, lines, files[format]);
  }

  for (const format of formats) {
    const file = files[format];
    process.stderr.write(`bench: measuring ${format}…\n`);
    const io = stage('io', file);
    const ioSplit2 = stage('io-split2', file);
    const parse = stage('parse', file);
    const ceiling = stage('ceiling', file, join(dir, `ceiling-${format}.db`), String(lines));
    const db = join(dir, `ingest-${format}.db`);
    const ingest = stage('ingest', file, db);
    const again = stage('ingest', file, db);
    results.formats[format] = { io, ioSplit2, parse, ceiling, ingest, again };
  }

  process.stderr.write('bench: building the all-formats database and running the reports…\n');
  const all = join(dir, 'all.db');
  for (const format of formats) stage('ingest', files[format], all);
  results.reports = stage('reports', '-', all);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`bench: kept ${dir}\n`);
}

const rows = [];
for (const [format, r] of Object.entries(results.formats)) {
  const row = (what, s, extra = '') => rows.push([format, what, rate(s.lines, s.seconds).toLocaleString('en-US'),
    s.bytes ? (mb(s.bytes) / s.seconds).toFixed(1) : '', s.maxRssMb.toFixed(0), s.seconds.toFixed(2), extra]);
  row('read + split (I/O limit)', r.io);
  row("read + split2('\\n'), for comparison", r.ioSplit2);
  row('read + split + parse (parse limit)', r.parse);
  row('bare insert (ceiling)', r.ceiling);
  row('ftplog ingest', r.ingest,
    `${(r.ingest.lines / r.ingest.seconds / (r.ceiling.lines / r.ceiling.seconds)).toFixed(2)}× ceiling, ` +
    `${(r.ingest.lines / r.ingest.seconds / (r.parse.lines / r.parse.seconds)).toFixed(2)}× parse limit`);
  rows.push([format, 'ftplog ingest again (adds nothing)', '', '', r.again.maxRssMb.toFixed(0), r.again.seconds.toFixed(2), `${r.again.lines} lines read`]);
}
const head = ['format', 'stage', 'lines/s', 'MB/s', 'peak RSS MB', 'seconds', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => (i >= 2 && i <= 5 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
console.log(`ftplog benchmark: ${lines.toLocaleString('en-US')} lines per format, ${results.machine.cpus} cores, Node ${results.machine.node}\n`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

const events = Object.values(results.formats).reduce((n, r) => n + r.ingest.events, 0);
console.log(`\nreports on the all-formats database (${events.toLocaleString('en-US')} events), peak RSS ${results.reports.maxRssMb.toFixed(0)} MB:`);
for (const [name, r] of Object.entries(results.reports.reports)) console.log(`  ${name.padEnd(16)} ${r.seconds.toFixed(3).padStart(7)} s  ${r.rows} rows`);

if (out) {
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  process.stderr.write(`bench: figures written to ${out}\n`);
}
