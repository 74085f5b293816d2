// The shapes part of the bench (npm run bench -- --shapes pool,mirror,botnet,many-files): for each
// shape of xferlog, ftplog ingest and, when lnav is on the PATH, lnav's GROUP BY over the same file,
// in the same round, and ftplog's throughput as a ratio of lnav's.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateParts, generateShape } from './generate.mjs';

export const SHAPE_NAMES = ['pool', 'mirror', 'botnet', 'many-files'];
const LNAV_QUERY = ';SELECT username, completion_status, count(*), sum(file_size) FROM xferlog GROUP BY 1,2';
const FORMAT_FILE = fileURLToPath(new URL('./xferlog.lnav.json', import.meta.url));

/** lnav with the xferlog format installed in a home of its own, or null when lnav is not on the PATH. */
function lnavIn(dir) {
  const probe = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const home = join(dir, 'lnav-home');
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home };
  execFileSync('lnav', ['-i', FORMAT_FILE], { env, stdio: 'ignore' });
  return { version: probe.stdout.trim(), env };
}

/** lnav's run over `target` (a file or the files of a folder): its seconds and its rows. */
function lnavRun(lnav, target) {
  const started = process.hrtime.bigint();
  const r = spawnSync('lnav', ['-n', '-c', LNAV_QUERY, target], { env: lnav.env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`lnav failed: ${r.stderr}`);
  return { seconds, rows: r.stdout.trim().split('\n').length - 1 };
}

/** Runs the shapes; `stage` runs one ftplog stage in a process of its own. */
export async function runShapes({ shapes, lines, runs, dir, stage, removeDb }) {
  const lnav = lnavIn(dir);
  if (!lnav) process.stderr.write('bench: lnav is not on the PATH (apt-get install lnav): the shapes run without it\n');
  const results = { lnav: lnav?.version ?? null, shapes: {} };
  for (const shape of shapes) {
    process.stderr.write(`bench: generating ${lines.toLocaleString('en-US')} xferlog lines, shape ${shape}…\n`);
    const file = join(dir, `shape-${shape}.log`);
    const described = await generateShape(shape === 'many-files' ? 'pool' : shape, lines, file);
    let target = file;
    if (shape === 'many-files') {
      target = join(dir, 'shape-many-files');
      mkdirSync(target);
      await generateParts('xferlog', lines, target, 100);
      rmSync(file);
    }
    const rounds = [];
    let again = null;
    let reports = null;
    for (let r = 1; r <= runs; r++) {
      process.stderr.write(`bench: shape ${shape}, round ${r} of ${runs}…\n`);
      const db = join(dir, `shape-${shape}-${r}.db`);
      const ingest = stage('ingest', target, db);
      if (r === runs) {
        // The last round's database: reading the unchanged files again, and every report on it.
        again = stage('ingest', target, db);
        reports = stage('reports', '-', db);
      }
      removeDb(db);
      const viaLnav = lnav ? lnavRun(lnav, target) : null;
      rounds.push({ ingest, lnav: viaLnav, ratio: viaLnav ? ingest.seconds === 0 ? null : viaLnav.seconds / ingest.seconds : null });
    }
    rmSync(target, { recursive: true, force: true });
    const byIngest = [...rounds].sort((a, b) => a.ingest.seconds - b.ingest.seconds);
    const ratios = rounds.map((r) => r.ratio).filter((x) => x !== null).sort((a, b) => a - b);
    results.shapes[shape] = {
      ...described, lines,
      ingest: byIngest[Math.floor(byIngest.length / 2)].ingest,
      peakRssMb: Math.max(...rounds.map((r) => r.ingest.maxRssMb)),
      lnavSeconds: lnav ? [...rounds.map((r) => r.lnav.seconds)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)] : null,
      ratio: ratios.length ? ratios[Math.floor(ratios.length / 2)] : null,
      ratioRange: ratios.length ? [ratios[0], ratios[ratios.length - 1]] : null,
      again, reports,
      rounds,
    };
  }
  return results;
}

/** The report that took longest on a shape's database, and its time. */
function slowest(reports) {
  const [name, r] = Object.entries(reports.reports).sort((a, b) => b[1].seconds - a[1].seconds)[0];
  return `${name} ${r.seconds.toFixed(2)} s`;
}

/** The shapes' table. */
export function printShapes(results, runs) {
  console.log(`\nshapes of 1 xferlog file (many-files: the pool lines in 100 files), median of ${runs}; ${results.lnav ?? 'lnav not installed'}:`);
  const head = ['shape', 'clients', 'users', 'ftplog lines/s', 'lnav lines/s', 'ftplog / lnav', 'peak RSS MB', 'again / first', 'slowest report'];
  const rows = Object.entries(results.shapes).map(([name, s]) => [
    name, s.clients.toLocaleString('en-US'), s.users.toLocaleString('en-US'), Math.round(s.lines / s.ingest.seconds).toLocaleString('en-US'),
    s.lnavSeconds ? Math.round(s.lines / s.lnavSeconds).toLocaleString('en-US') : '',
    s.ratio === null ? '' : `${s.ratio.toFixed(2)}` + (runs > 1 ? ` (${s.ratioRange[0].toFixed(2)}-${s.ratioRange[1].toFixed(2)})` : ''),
    s.peakRssMb.toFixed(0),
    `${((s.again.seconds / s.ingest.seconds) * 100).toFixed(1)} %`,
    slowest(s.reports),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i >= 1 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
