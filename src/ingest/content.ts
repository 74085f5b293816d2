import { utf16Order } from './lines.js';

/**
 * What a file's first bytes say it is, before any line of it is read: a compressed file ftplog
 * cannot open itself, a file that is no text at all (an image or a program beside the logs), or text.
 */
export type HeadKind =
  | { kind: 'text' }
  /** A source ftplog cannot read: it fails, with how to read it. */
  | { kind: 'unreadable'; message: string }
  /** No log at all: left out with this one reason, not read line by line into rejects. */
  | { kind: 'not-a-log'; reason: string };

const starts = (head: Buffer, bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Compressions Node 20's zlib cannot undo, and the command that can. */
const COMPRESSED: Array<[number[], string, string]> = [
  [ascii('BZh'), 'bzip2', 'bzcat'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz', 'xzcat'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd', 'zstdcat'],
  [[0x1f, 0x9d], 'compress (.Z)', 'zcat'],
];

const BINARY: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [ascii('GIF8'), 'a GIF image'],
  [ascii('%PDF'), 'a PDF document'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
  [ascii('MZ'), 'a Windows executable'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
  [ascii('SQLite format 3\0'), 'an SQLite database'],
];

/** The kind of file whose (decompressed) content begins with `head`. */
export function headKind(head: Buffer): HeadKind {
  for (const [magic, name, tool] of COMPRESSED) {
    if (starts(head, magic)) {
      return { kind: 'unreadable', message: `${name}-compressed, which ftplog does not decompress: read it with ${tool} FILE | ftplog ingest -` };
    }
  }
  // UTF-16 text is read as text (see Utf16LineSplitter), though most of its bytes are NULs.
  if (utf16Order(head) !== null) return { kind: 'text' };
  for (const [magic, name] of BINARY) {
    if (starts(head, magic)) return { kind: 'not-a-log', reason: `not a log: ${name}` };
  }
  if (looksBinary(head)) return { kind: 'not-a-log', reason: 'not a log: binary data (control bytes in its first 4 KiB)' };
  return { kind: 'text' };
}

/**
 * Text logs hold no NUL and few control bytes; nearly every binary format holds many within its
 * first KiB. A run of NULs at the start is left aside: a file that copytruncate emptied under a
 * writer that does not append begins with a hole of them, and the log follows.
 */
function looksBinary(head: Buffer): boolean {
  let from = 0;
  while (from < head.length && head[from] === 0) from++;
  let control = 0;
  for (let i = from; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control * 20 > head.length - from;
}
