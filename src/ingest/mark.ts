import type { ContentMark } from '../store/index.js';
import { MARK_BYTES, sha256 } from './source.js';

/**
 * The last bytes of content a read passed through, enough to take a source's mark where its lines
 * end: that is at most a last unfinished line (at most `maxLineBytes`) before the end of what was read.
 */
export class ContentTail {
  private tail = Buffer.alloc(0);
  /** The offset just past the last byte pushed. */
  end: number;
  private readonly keep: number;

  /** `start`: the offset in the content of the first byte pushed. */
  constructor(start: number, maxLineBytes: number) {
    this.end = start;
    this.keep = MARK_BYTES + maxLineBytes + 1;
  }

  push(chunk: Buffer): void {
    this.end += chunk.length;
    // Copied: the tail outlives the chunk, whose buffer its producer may reuse.
    this.tail = chunk.length >= this.keep
      ? Buffer.from(chunk.subarray(chunk.length - this.keep))
      : Buffer.concat([this.tail.subarray(Math.max(0, this.tail.length + chunk.length - this.keep)), chunk]);
  }

  /** The mark of the content ending at `offset` (up to MARK_BYTES of it); null when none of it passed here. */
  markAt(offset: number): ContentMark | null {
    const tailStart = this.end - this.tail.length;
    const from = Math.max(tailStart, offset - MARK_BYTES);
    if (offset > this.end || offset <= from) return null;
    return { offset, len: offset - from, hash: sha256(this.tail.subarray(from - tailStart, offset - tailStart)) };
  }
}
