import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest, type IngestOptions } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/index.js';
import { query, reconciles, rollupMismatches, tempDir } from '../helpers/tmp.js';

// Exactly once through logrotate: every line ever written is stored once, however the log was
// rotated, compressed or copied and truncated between ingests. Each line carries its own number as
// its byte count, so a line stored twice or lost shows in the counts.

const OPTS: IngestOptions = { format: 'xferlog', tz: 'UTC', year: 2024, maxLineBytes: 65536 };
const line = (n: number) => `Tue Mar  5 14:03:${String(n % 60).padStart(2, '0')} 2024 2 203.0.113.${n % 250} ${n} /pub/f${n}.iso b _ o r alice ftp 0 * c\n`;

async function run(db: string, paths: string[]) {
  const store = await openStore(db);
  try {
    return await ingest(store, paths, OPTS);
  } finally {
    await store.close();
  }
}

/** Stored transfers: how many, how many distinct line numbers, and the sum of those numbers. */
function stored(db: string) {
  return query(db, 'SELECT count(*) AS n, count(DISTINCT bytes) AS distinct_n, coalesce(sum(bytes), 0) AS total FROM events')[0] as
    { n: number; distinct_n: number; total: number };
}

type Mode = 'compress' | 'delaycompress' | 'copytruncate';

/** A server writing `xferlog` in `dir`, and logrotate rotating it daily, keeping `keep` old logs. */
class Server {
  written = 0;
  constructor(readonly dir: string, readonly mode: Mode, readonly keep = 5) {}

  get log() {
    return join(this.dir, 'xferlog');
  }

  write(lines: number): void {
    let text = '';
    for (let i = 0; i < lines; i++) text += line(++this.written);
    appendFileSync(this.log, text);
  }

  /** The path of rotated log number k as this mode leaves it. */
  private rotated(k: number): string {
    const compressed = this.mode === 'compress' ? k >= 1 : k >= 2;
    return join(this.dir, `xferlog.${k}${compressed ? '.gz' : ''}`);
  }

  rotate(): void {
    rmSync(this.rotated(this.keep), { force: true });
    // Each old log moves up a number as it is, compressed or not.
    for (let k = this.keep - 1; k >= 1; k--) {
      const from = this.rotated(k);
      if (existsSync(from)) renameSync(from, join(this.dir, `xferlog.${k + 1}${from.endsWith('.gz') ? '.gz' : ''}`));
    }
    // delaycompress: the log rotated yesterday (now number 2) is compressed today.
    const plain2 = join(this.dir, 'xferlog.2');
    if (this.mode !== 'compress' && existsSync(plain2)) {
      writeFileSync(`${plain2}.gz`, gzipSync(readFileSync(plain2)));
      rmSync(plain2);
    }
    if (this.mode === 'copytruncate') {
      copyFileSync(this.log, join(this.dir, 'xferlog.1'));
      truncateSync(this.log, 0);
    } else {
      renameSync(this.log, join(this.dir, 'xferlog.1'));
      if (this.mode === 'compress') {
        writeFileSync(join(this.dir, 'xferlog.1.gz'), gzipSync(readFileSync(join(this.dir, 'xferlog.1'))));
        rmSync(join(this.dir, 'xferlog.1'));
      }
      writeFileSync(this.log, '');
    }
  }
}

describe('a month of logrotate, with appends and ingests in between', () => {
  it.each<Mode>(['compress', 'delaycompress', 'copytruncate'])('%s: every line once, whatever the day brings', async (mode) => {
    const dir = tempDir();
    const db = join(tempDir(), 'month.db');
    const server = new Server(dir, mode);
    server.write(40);
    for (let day = 1; day <= 30; day++) {
      server.write(25 + (day % 7) * 10);
      // Most nights ingest before the rotation, some after, some twice, some not at all.
      if (day % 5 !== 0) await run(db, [dir]);
      server.write(day % 3);
      server.rotate();
      if (day % 4 === 0) await run(db, [dir]);
      server.write(5);
      if (day % 6 === 0) await run(db, [dir]);
      await run(db, [dir]);
      const s = stored(db);
      expect({ day, ...s }).toEqual({ day, n: server.written, distinct_n: server.written, total: (server.written * (server.written + 1)) / 2 });
    }
    const again = await run(db, [dir]);
    expect(again.lines).toBe(0);
    expect(reconciles(db)).toBe(true);
    expect(rollupMismatches(db)).toEqual([]);
  });
});

describe('content identifies a source', () => {
  it('two files that share their first 4 KiB but not what follows are two sources', async () => {
    const dir = tempDir();
    const db = join(tempDir(), 'twins.db');
    const head = Array.from({ length: 60 }, (_, i) => line(i + 1)).join('');
    expect(head.length).toBeGreaterThan(4096);
    writeFileSync(join(dir, 'a.log'), head + line(1001) + line(1002));
    await run(db, [join(dir, 'a.log')]);
    writeFileSync(join(dir, 'b.log'), head + line(2001) + line(2002) + line(2003));
    const second = await run(db, [join(dir, 'b.log')]);
    expect(second.files[0]).toMatchObject({ status: 'read', lines: 63, events: 63 });
    expect(query(db, 'SELECT count(*) AS n FROM sources')).toEqual([{ n: 2 }]);
    // And in one run: the second is claimed once the first has been read.
    const both = join(tempDir(), 'both.db');
    const s = await run(both, [join(dir, 'a.log'), join(dir, 'b.log')]);
    expect(s.files.map((f) => [f.status, f.events])).toEqual([['read', 62], ['read', 63]]);
  });

  it('a compressed copy of a file read before adds nothing, and only what it holds past that', async () => {
    const dir = tempDir();
    const db = join(tempDir(), 'gz.db');
    const text = Array.from({ length: 100 }, (_, i) => line(i + 1)).join('');
    writeFileSync(join(dir, 'xferlog'), text);
    await run(db, [join(dir, 'xferlog')]);
    writeFileSync(join(dir, 'xferlog.1.gz'), gzipSync(text + line(101) + line(102)));
    rmSync(join(dir, 'xferlog'));
    const s = await run(db, [dir]);
    expect(s.files[0]).toMatchObject({ status: 'read', lines: 2, events: 2, resumedAtLine: 100 });
    renameSync(join(dir, 'xferlog.1.gz'), join(dir, 'xferlog.2.gz'));
    expect((await run(db, [dir])).files[0]).toMatchObject({ status: 'unchanged', lines: 0 });
    expect(stored(db)).toEqual({ n: 102, distinct_n: 102, total: (102 * 103) / 2 });
    expect(query(db, 'SELECT count(*) AS n FROM sources')).toEqual([{ n: 1 }]);
  });

  it('a truncated .gz stays failed until a complete copy replaces it, which adds only the lines past the damage', async () => {
    const dir = tempDir();
    const db = join(tempDir(), 'cut.db');
    const gz = gzipSync(Array.from({ length: 3000 }, (_, i) => line(i + 1)).join(''));
    const path = join(dir, 'xferlog.2.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.5)));
    const first = await run(db, [path]);
    expect(first.files[0]!.status).toBe('failed');
    const partial = first.files[0]!.events;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3000);
    // The same damaged file again: still failed (exit 1 from the CLI), nothing added.
    const again = await run(db, [path]);
    expect(again.files[0]).toMatchObject({ status: 'failed', lines: 0 });
    expect(again.failed).toBe(1);
    writeFileSync(path, gz);
    const whole = await run(db, [path]);
    expect(whole.files[0]).toMatchObject({ status: 'read', events: 3000 - partial, error: null });
    expect(stored(db)).toEqual({ n: 3000, distinct_n: 3000, total: (3000 * 3001) / 2 });
    expect((await run(db, [path])).files[0]!.status).toBe('unchanged');
  });

  it('a file that shrank under the reader keeps no cut line, and starts over as new content', async () => {
    const dir = tempDir();
    const db = join(tempDir(), 'shrink.db');
    const path = join(dir, 'xferlog');
    const text = Array.from({ length: 5000 }, (_, i) => line(i + 1)).join('');
    writeFileSync(path, text);
    // An old mtime: a last line without a newline would be taken as it is, unless the file shrank.
    const { utimesSync } = await import('node:fs');
    utimesSync(path, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const store = await openStore(db);
    let cutAt = 0;
    try {
      await ingest(store, [path], {
        ...OPTS,
        progress: () => ({
          update: (bytes: number) => {
            // copytruncate strikes mid-read: the reader has read part of the file, the rest is gone.
            if (cutAt === 0 && bytes > 0) {
              cutAt = Math.floor(text.length / 2) + 7;
              truncateSync(path, cutAt);
            }
          },
          done: () => {},
        }),
      });
    } finally {
      await store.close();
    }
    const first = stored(db);
    expect(query(db, "SELECT count(*) AS n FROM rejects")).toEqual([{ n: 0 }]);
    expect(first.n).toBe(first.distinct_n);
    writeFileSync(path, line(9001) + line(9002));
    const next = await run(db, [path]);
    expect(next.files[0]).toMatchObject({ status: 'read', resumedAtLine: 0, events: 2 });
  });
});
