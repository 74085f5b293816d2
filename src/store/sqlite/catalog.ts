import type { Statement } from 'better-sqlite3';
import { nowIso } from '../../timestamp.js';
import type { NewSource, SourceClaims, SourceRecord } from '../index.js';
import type { Db } from './db.js';

interface SourceRow {
  id: number; path: string; format: string | null; gzip: number; size: number | null; head_hash: string; head_len: number;
  mark_offset: number; mark_len: number; mark_hash: string | null; gz_hash: string | null;
  bytes_read: number; lines_read: number; events: number; skipped: number; rejected: number; resume_state: string | null;
  complete: number; server: string | null;
}

function toRecord(r: SourceRow): SourceRecord {
  return {
    id: r.id, path: r.path, format: r.format, gzip: r.gzip === 1, size: r.size, headHash: r.head_hash, headLen: r.head_len,
    mark: r.mark_hash === null ? null : { offset: r.mark_offset, len: r.mark_len, hash: r.mark_hash }, gzHash: r.gz_hash,
    bytesRead: r.bytes_read, linesRead: r.lines_read, events: r.events, skipped: r.skipped, rejected: r.rejected,
    resumeLines: r.resume_state ? (JSON.parse(r.resume_state) as string[]) : [], complete: r.complete === 1, server: r.server,
  };
}

/**
 * Finding, claiming and describing sources. Claims run in IMMEDIATE transactions so two ingests
 * never both create one. Its statements are prepared once: a run of many small files asks for
 * several sources per file.
 */
export class SourceCatalog implements SourceClaims {
  private readonly pathStmt: Statement;
  private readonly headStmt: Statement;
  private readonly gzStmt: Statement;
  private readonly idStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly touchStmt: Statement;

  constructor(private readonly db: Db) {
    this.pathStmt = db.prepare('SELECT * FROM sources WHERE path = ? ORDER BY id DESC LIMIT 1');
    this.headStmt = db.prepare('SELECT * FROM sources WHERE head_hash = ? AND head_len = ? ORDER BY id DESC LIMIT 1');
    this.gzStmt = db.prepare('SELECT * FROM sources WHERE gz_hash = ? ORDER BY id DESC LIMIT 1');
    this.idStmt = db.prepare('SELECT * FROM sources WHERE id = ?');
    this.insertStmt = db.prepare(`INSERT INTO sources (path, gzip, size, mtime, head_hash, head_len, first_seen, last_read, server)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // A label given again replaces the one kept; none given keeps it.
    this.touchStmt = db.prepare(`UPDATE sources SET path = ?, gzip = ?, size = ?, mtime = ?, head_hash = ?, head_len = ?, last_read = ?,
      server = coalesce(?, server) WHERE id = ?`);
  }

  /** The newest source read from this path. */
  byPath(path: string): SourceRecord | undefined {
    const r = this.pathStmt.get(path) as SourceRow | undefined;
    return r && toRecord(r);
  }

  /** A source whose head is exactly these bytes, under whatever path (a file renamed by rotation, a copy). */
  byHead(headHash: string, headLen: number): SourceRecord | undefined {
    const r = this.headStmt.get(headHash, headLen) as SourceRow | undefined;
    return r && toRecord(r);
  }

  byGzHash(gzHash: string): SourceRecord | undefined {
    const r = this.gzStmt.get(gzHash) as SourceRow | undefined;
    return r && toRecord(r);
  }

  /** Runs `fn` in an IMMEDIATE transaction: lookups and the insert it decides on happen atomically. */
  claim<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  create(s: NewSource): SourceRecord {
    const now = nowIso();
    const info = this.insertStmt.run(s.path, s.gzip ? 1 : 0, s.size, s.mtime, s.headHash, s.headLen, now, now, s.server ?? null);
    return this.byId(Number(info.lastInsertRowid));
  }

  /** Records where a known source now lives and what its head now is (it grew, or was renamed). */
  touch(id: number, s: NewSource): void {
    this.touchStmt.run(s.path, s.gzip ? 1 : 0, s.size, s.mtime, s.headHash, s.headLen, nowIso(), s.server ?? null, id);
  }

  byId(id: number): SourceRecord {
    return toRecord(this.idStmt.get(id) as SourceRow);
  }
}
