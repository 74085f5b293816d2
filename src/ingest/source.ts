import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { globMatcher } from './glob.js';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ContentMark } from '../store/index.js';

/** Bytes of a file's head that identify it: enough to tell two rotated logs apart. */
export const HEAD_BYTES = 4096;
/**
 * Bytes of content before the end of what was read that a source keeps as its mark: a file whose
 * head matches a known source is that source only if it holds these bytes there too.
 */
export const MARK_BYTES = 4096;

/** A file with its size when listed (for the progress total and for claiming files in groups); it is fingerprinted when opened. */
export type Input = { kind: 'file'; path: string; size: number } | { kind: 'stdin' } | { kind: 'missing'; path: string; message: string };

/** Which files found below a directory are read: by their names (`--include`, `--exclude`). */
export interface NameFilter {
  include: string[];
  exclude: string[];
}

/**
 * Expands the command line: `-` is standard input, a directory stands for every file below it in
 * name order, anything that cannot be listed or found becomes a `missing` entry so the rest still
 * runs. Paths in `exclude` (the database itself: `ftplog ingest .` next to ftplog.db) are left out.
 * A file found below a directory is read when its name matches an `--include` pattern (if any is
 * given) and no `--exclude` pattern; a file named on the command line always is. `filteredOut`
 * counts the files the patterns left out.
 */
export async function expandInputs(
  paths: string[], exclude: ReadonlySet<string> = new Set(), filter: NameFilter = { include: [], exclude: [] },
): Promise<{ inputs: Input[]; filteredOut: number }> {
  const out: Input[] = [];
  const includes = filter.include.map(globMatcher);
  const excludes = filter.exclude.map(globMatcher);
  const walk = {
    out, exclude, filteredOut: 0,
    wanted: (name: string) => (includes.length === 0 || includes.some((m) => m(name))) && !excludes.some((m) => m(name)),
  };
  for (const p of paths) {
    if (p === '-') {
      out.push({ kind: 'stdin' });
      continue;
    }
    await expandPath(resolve(p), walk, false);
  }
  return { inputs: out, filteredOut: walk.filteredOut };
}

interface Walk {
  out: Input[];
  exclude: ReadonlySet<string>;
  wanted: (name: string) => boolean;
  filteredOut: number;
}

async function expandPath(path: string, walk: Walk, below: boolean): Promise<void> {
  const { out, exclude } = walk;
  if (exclude.has(path)) return;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    out.push({ kind: 'missing', path, message: describe(err) });
    return;
  }
  if (info.isFile()) {
    if (below && !walk.wanted(basename(path))) walk.filteredOut++;
    else out.push({ kind: 'file', path, size: info.size });
    return;
  }
  if (!info.isDirectory()) {
    out.push({ kind: 'missing', path, message: 'not a regular file or directory' });
    return;
  }
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (err) {
    out.push({ kind: 'missing', path, message: describe(err) });
    return;
  }
  for (const name of names) await expandPath(join(path, name), walk, true);
}

export function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'Z_BUF_ERROR': return 'truncated gzip data (unexpected end of file)';
    case 'Z_DATA_ERROR': return `corrupt gzip data (${e.message})`;
    default: return e.message ?? String(err);
  }
}

export interface Fingerprint {
  size: number;
  mtime: Date;
  gzip: boolean;
  /** First HEAD_BYTES bytes of the content, decompressed for .gz (fewer for a small file). */
  head: Buffer;
  /** For .gz: sha256 of the whole compressed file (a .gz read to its end is unchanged when these bytes come again). */
  wholeHash: string | null;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file opened for ingest: what identifies it, and the handle to read it through (the same file even if it is renamed or replaced meanwhile). */
export interface OpenFile {
  fp: Fingerprint;
  handle: FileHandle;
}

/**
 * Opens a file and takes its size, mtime and head; a gzip file (by its magic bytes) is hashed whole,
 * and its head is the head of its decompressed content.
 */
export async function openFile(path: string): Promise<OpenFile> {
  const fh = await open(path, 'r');
  try {
    const info = await fh.stat();
    const raw = Buffer.alloc(Math.min(info.size, HEAD_BYTES));
    const { bytesRead } = await fh.read(raw, 0, raw.length, 0);
    let head: Buffer = raw.subarray(0, bytesRead);
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    let wholeHash: string | null = null;
    if (gzip) {
      const hash = createHash('sha256');
      for await (const chunk of fh.createReadStream({ start: 0, autoClose: false })) hash.update(chunk as Buffer);
      wholeHash = hash.digest('hex');
      head = await gzipContent(fh, 0, HEAD_BYTES);
    }
    return { fp: { size: info.size, mtime: info.mtime, gzip, head, wholeHash }, handle: fh };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Up to `len` bytes of a .gz's decompressed content from `start` on (fewer where it ends or is
 * damaged first). The handle stays open.
 */
export async function gzipContent(fh: FileHandle, start: number, len: number): Promise<Buffer> {
  // Read by position, not through a stream of the handle: stopping such a stream early closes the handle.
  const raw = Readable.from(chunksOf(fh));
  const gunzip = raw.pipe(createGunzip({ chunkSize: 256 << 10 }));
  raw.on('error', (err) => gunzip.destroy(err));
  const parts: Buffer[] = [];
  let at = 0;
  let have = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const from = Math.max(0, start - at);
      at += chunk.length;
      if (from < chunk.length) {
        const piece = chunk.subarray(from, from + len - have);
        parts.push(piece);
        have += piece.length;
      }
      if (have >= len) break;
    }
  } catch {
    // Damaged past what was wanted, or before: what came out whole is what there is.
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(parts, have);
}

async function* chunksOf(fh: FileHandle): AsyncIterable<Buffer> {
  for (let at = 0; ; ) {
    const buf = Buffer.allocUnsafe(256 << 10);
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) return;
    at += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/** Whether a file's content holds `mark`: the same bytes before the same offset. */
export async function holdsMark(file: OpenFile, mark: ContentMark): Promise<boolean> {
  const from = mark.offset - mark.len;
  let bytes: Buffer;
  if (file.fp.gzip) bytes = await gzipContent(file.handle, from, mark.len);
  else {
    if (file.fp.size < mark.offset) return false;
    bytes = Buffer.alloc(mark.len);
    bytes = bytes.subarray(0, (await file.handle.read(bytes, 0, mark.len, from)).bytesRead);
  }
  return bytes.length === mark.len && sha256(bytes) === mark.hash;
}

export interface OpenedSource {
  /** Decompressed bytes from `offset - lead` on (see readFrom). */
  data: AsyncIterable<Buffer>;
  /** Bytes of the file itself read so far (compressed bytes for .gz), for progress. */
  fileBytesRead(): number;
  /** Whether the file is now shorter than `end`: it was truncated under the reader (copytruncate). */
  shrank(end: number): Promise<boolean>;
  /** Lets go of the file, read to its end or not. */
  close(): void;
}

/**
 * Streams an open file's content from `offset - lead` on (the `lead` bytes before the offset let the
 * reader take the content's mark); the handle is closed by close(). Plain files seek; a .gz is
 * decompressed from its start and the bytes before `offset - lead` are dropped.
 */
export function readFrom(file: OpenFile, offset: number, lead: number): OpenedSource {
  const { gzip } = file.fp;
  const start = offset - lead;
  const raw = file.handle.createReadStream({ start: gzip ? 0 : start, highWaterMark: 256 << 10, autoClose: false });
  let fileBytes = gzip ? 0 : start;
  raw.on('data', (c) => (fileBytes += c.length));
  const stream: Readable = gzip ? raw.pipe(createGunzip({ chunkSize: 256 << 10 })) : raw;
  if (gzip) raw.on('error', (err) => stream.destroy(err));
  return {
    data: gzip ? skipBytes(stream, start) : (stream as AsyncIterable<Buffer>),
    fileBytesRead: () => fileBytes,
    shrank: async (end) => !gzip && (await file.handle.stat()).size < end,
    close: () => {
      raw.destroy();
      stream.destroy();
      void file.handle.close().catch(() => {});
    },
  };
}

async function* skipBytes(stream: AsyncIterable<Buffer>, count: number): AsyncIterable<Buffer> {
  let left = count;
  for await (const chunk of stream) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}
