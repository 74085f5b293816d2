import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Bytes of a file's head that identify it: enough to tell two rotated logs apart. */
export const HEAD_BYTES = 4096;

/** A file with its size when listed (for the progress total and for claiming files in groups); it is fingerprinted when opened. */
export type Input = { kind: 'file'; path: string; size: number } | { kind: 'stdin' } | { kind: 'missing'; path: string; message: string };

/**
 * Expands the command line: `-` is standard input, a directory stands for every file below it in
 * name order, anything that cannot be listed or found becomes a `missing` entry so the rest still
 * runs. Paths in `exclude` (the database itself: `ftplog ingest .` next to ftplog.db) are left out.
 */
export async function expandInputs(paths: string[], exclude: ReadonlySet<string> = new Set()): Promise<Input[]> {
  const out: Input[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ kind: 'stdin' });
      continue;
    }
    await expandPath(resolve(p), out, exclude);
  }
  return out;
}

async function expandPath(path: string, out: Input[], exclude: ReadonlySet<string>): Promise<void> {
  if (exclude.has(path)) return;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    out.push({ kind: 'missing', path, message: describe(err) });
    return;
  }
  if (info.isFile()) {
    out.push({ kind: 'file', path, size: info.size });
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
  for (const name of names) await expandPath(join(path, name), out, exclude);
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
  /** First HEAD_BYTES bytes (fewer for a small file). */
  head: Buffer;
  /** For .gz: sha256 of the whole compressed file, which is ingested once. */
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

/** Opens a file and takes its size, mtime and head; a gzip file (by its magic bytes) is hashed whole. */
export async function openFile(path: string): Promise<OpenFile> {
  const fh = await open(path, 'r');
  try {
    const info = await fh.stat();
    const head = Buffer.alloc(Math.min(info.size, HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const h = head.subarray(0, bytesRead);
    const gzip = h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b;
    let wholeHash: string | null = null;
    if (gzip) {
      const hash = createHash('sha256');
      for await (const chunk of fh.createReadStream({ start: 0, autoClose: false })) hash.update(chunk as Buffer);
      wholeHash = hash.digest('hex');
    }
    return { fp: { size: info.size, mtime: info.mtime, gzip, head: h, wholeHash }, handle: fh };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

export interface OpenedSource {
  /** Decompressed bytes from `offset` on. */
  data: AsyncIterable<Buffer>;
  /** Bytes of the file itself read so far (compressed bytes for .gz), for progress. */
  fileBytesRead(): number;
  /** Lets go of the file, read to its end or not. */
  close(): void;
}

/**
 * Streams an open file's content from an offset; the handle is closed at the end, or by close().
 * Plain files seek; a .gz is decompressed from its start and the first `offset` decompressed bytes
 * are dropped.
 */
export function readFrom(file: OpenFile, offset: number): OpenedSource {
  const { gzip } = file.fp;
  const raw = file.handle.createReadStream({ start: gzip ? 0 : offset, highWaterMark: 256 << 10 });
  let fileBytes = gzip ? 0 : offset;
  raw.on('data', (c) => (fileBytes += c.length));
  const stream: Readable = gzip ? raw.pipe(createGunzip({ chunkSize: 256 << 10 })) : raw;
  if (gzip) raw.on('error', (err) => stream.destroy(err));
  return {
    data: gzip ? skipBytes(stream, offset) : (stream as AsyncIterable<Buffer>),
    fileBytesRead: () => fileBytes,
    close: () => {
      raw.destroy();
      stream.destroy();
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
