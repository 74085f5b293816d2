import { randomInt } from 'node:crypto';
import { nowIso, unixSeconds } from '../../timestamp.js';
import type { NewSource, SourceClaims, SourceRecord } from '../index.js';
import type { Connection } from './connection.js';
import { SOURCE_COLUMNS } from './schema.js';
import { tsvNumber, tsvText } from './tsv.js';

/** The lines of a batch that was being sent when its run stopped, as its intent row says. */
export interface PendingBatch {
  from: number;
  to: number;
  minTs: number;
  maxTs: number;
  events: number;
  rejects: number;
}

/** A source as this store keeps it: the record ingest sees, and what only the store needs. */
export interface StoredSource extends SourceRecord {
  mtime: string | null;
  error: string | null;
  firstSeen: string;
  lastRead: string;
  createdMs: number;
  forgotten: boolean;
  pending: PendingBatch | null;
}

/** The columns sourceRow writes, in order. */
export const SOURCE_ROW_COLUMNS = SOURCE_COLUMNS.map(([n]) => n);

/** The newest row of every source: ReplacingMergeTree keeps old versions until parts merge. */
export const CURRENT_SOURCES = `SELECT ${SOURCE_ROW_COLUMNS.join(', ')} FROM sources ORDER BY id, version DESC LIMIT 1 BY id`;

/** A random id: ingests on many hosts create sources at once with no counter to share. Below 2^53, so exact as a JS number. */
const newId = (): number => randomInt(1, 2 ** 47) * 64 + randomInt(0, 64);

/** A monotonic version: the latest row of a source must win even when two are written within one millisecond. */
let lastVersion = 0;
function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

export function sourceFromRow(r: Record<string, unknown>): StoredSource {
  const n = (k: string) => Number(r[k]);
  const s = (k: string) => (r[k] === null ? null : String(r[k]));
  const pendingTo = n('pending_to');
  return {
    id: n('id'), path: String(r.path), format: s('format'), gzip: n('gzip') === 1, size: r.size === null ? null : n('size'),
    headHash: String(r.head_hash), headLen: n('head_len'),
    mark: r.mark_hash === null ? null : { offset: n('mark_offset'), len: n('mark_len'), hash: String(r.mark_hash) },
    gzHash: s('gz_hash'), bytesRead: n('bytes_read'), linesRead: n('lines_read'), events: n('events'), skipped: n('skipped'),
    rejected: n('rejected'), resumeLines: JSON.parse(String(r.resume_state) || '[]') as string[], complete: n('complete') === 1,
    server: s('server'), mtime: s('mtime'), error: s('error'), firstSeen: isoOf(String(r.first_seen)), lastRead: isoOf(String(r.last_read)),
    createdMs: n('created_ms'), forgotten: n('forgotten') === 1,
    pending: pendingTo === 0 ? null : {
      from: n('pending_from'), to: pendingTo, minTs: n('pending_min_ts'), maxTs: n('pending_max_ts'), events: n('pending_events'), rejects: n('pending_rejects'),
    },
  };
}

/** `2024-03-05 14:00:00` (ClickHouse's DateTime text) as `2024-03-05T14:00:00Z`. */
function isoOf(text: string): string {
  return `${text.replace(' ', 'T')}Z`;
}

/** A source's row, as the next version of it. */
export function sourceRow(s: StoredSource): string {
  const values: Record<string, string> = {
    id: String(s.id), version: String(nextVersion()), path: tsvText(s.path), format: tsvText(s.format), gzip: s.gzip ? '1' : '0',
    size: tsvNumber(s.size), mtime: tsvText(s.mtime), head_hash: tsvText(s.headHash), head_len: String(s.headLen),
    mark_offset: String(s.mark?.offset ?? 0), mark_len: String(s.mark?.len ?? 0), mark_hash: tsvText(s.mark?.hash ?? null),
    gz_hash: tsvText(s.gzHash), bytes_read: String(s.bytesRead), lines_read: String(s.linesRead), events: String(s.events),
    skipped: String(s.skipped), rejected: String(s.rejected), resume_state: tsvText(JSON.stringify(s.resumeLines)), complete: s.complete ? '1' : '0',
    error: tsvText(s.error), first_seen: String(unixSeconds(s.firstSeen)), last_read: String(unixSeconds(s.lastRead)), server: tsvText(s.server),
    forgotten: s.forgotten ? '1' : '0', pending_from: String(s.pending?.from ?? 0), pending_to: String(s.pending?.to ?? 0),
    pending_min_ts: String(s.pending?.minTs ?? 0), pending_max_ts: String(s.pending?.maxTs ?? 0), pending_events: String(s.pending?.events ?? 0),
    pending_rejects: String(s.pending?.rejects ?? 0), created_ms: String(s.createdMs),
  };
  return SOURCE_ROW_COLUMNS.map((n) => values[n]!).join('\t') + '\n';
}


/**
 * The sources in memory for one ingest run: claims look them up and change them here, and each
 * change is written as a new version row. ClickHouse has no transactions, so two ingests of the
 * same files into one store at the same time are not told apart (README: run one at a time per host).
 */
export class ClickHouseCatalog implements SourceClaims {
  private readonly all = new Map<number, StoredSource>();
  /** Rows of changes made by a claim, written when it ends. */
  private changed = new Set<number>();

  private constructor(private readonly conn: Connection) {}

  static async load(conn: Connection): Promise<ClickHouseCatalog> {
    const catalog = new ClickHouseCatalog(conn);
    const { columns, rows } = await conn.select(CURRENT_SOURCES);
    for (const row of rows) {
      const s = sourceFromRow(Object.fromEntries(columns.map((c, i) => [c, row[i]])));
      if (!s.forgotten) catalog.all.set(s.id, s);
    }
    return catalog;
  }

  get(id: number): StoredSource {
    const s = this.all.get(id);
    if (!s) throw new Error(`no source ${id}`);
    return s;
  }

  sources(): StoredSource[] {
    return [...this.all.values()];
  }

  /** Runs `fn` on the sources, then writes what it changed. */
  async claim<T>(fn: (sources: SourceClaims) => T): Promise<T> {
    const result = fn(this);
    const ids = [...this.changed];
    this.changed = new Set();
    if (ids.length > 0) await this.write(ids.map((id) => this.get(id)));
    return result;
  }

  /** Writes the sources' current state as their newest rows. */
  async write(sources: StoredSource[]): Promise<void> {
    for (const s of sources) this.all.set(s.id, s);
    await this.conn.insert('sources', SOURCE_ROW_COLUMNS, sources.map(sourceRow), `ftplog-sources-${nextVersion()}`);
  }

  byPath(path: string): SourceRecord | undefined {
    return this.newest((s) => s.path === path);
  }

  byHead(headHash: string, headLen: number): SourceRecord | undefined {
    return this.newest((s) => s.headHash === headHash && s.headLen === headLen);
  }

  byGzHash(gzHash: string): SourceRecord | undefined {
    return this.newest((s) => s.gzHash === gzHash);
  }

  create(n: NewSource): SourceRecord {
    const now = nowIso();
    const s: StoredSource = {
      id: newId(), path: n.path, format: null, gzip: n.gzip, size: n.size, headHash: n.headHash, headLen: n.headLen, mark: null, gzHash: null,
      bytesRead: 0, linesRead: 0, events: 0, skipped: 0, rejected: 0, resumeLines: [], complete: false, server: n.server ?? null,
      mtime: n.mtime, error: null, firstSeen: now, lastRead: now, createdMs: Date.now(), forgotten: false, pending: null,
    };
    this.all.set(s.id, s);
    this.changed.add(s.id);
    return s;
  }

  touch(id: number, n: NewSource): void {
    const s = this.get(id);
    this.all.set(id, { ...s, path: n.path, gzip: n.gzip, size: n.size, mtime: n.mtime, headHash: n.headHash, headLen: n.headLen, lastRead: nowIso(), server: n.server ?? s.server });
    this.changed.add(id);
  }

  private newest(match: (s: StoredSource) => boolean): SourceRecord | undefined {
    let best: StoredSource | undefined;
    for (const s of this.all.values()) if (match(s) && (!best || s.createdMs > best.createdMs || (s.createdMs === best.createdMs && s.id > best.id))) best = s;
    return best;
  }
}
