/**
 * Splits a byte stream into lines with exact byte offsets, so an ingest can resume at the byte after
 * the last line it committed. Lines end at `\n` (at `\r` in a source whose first data has no `\n`);
 * a `\r` before the `\n` is dropped (CRLF files) and does not count toward the line's length, a
 * UTF-8 BOM at the very start of a source is dropped, invalid UTF-8 decodes to U+FFFD. A line longer than
 * the limit is not kept in memory: its first bytes are kept for the reject and the rest is counted
 * and thrown away, so a 50 MB line with no newline costs no more memory than a short one.
 */

export interface Line {
  /** The decoded line; for an overlong line, only its first REJECT_PREVIEW_BYTES. */
  text: string;
  /** 1-based line number in the source. */
  lineNo: number;
  /** Bytes in the line, without its line ending. */
  bytes: number;
  /** Offset just past the line's end (past its `\n`, or the end of the data for a last line without one). */
  endOffset: number;
  overlong: boolean;
}

export const REJECT_PREVIEW_BYTES = 1024;

/** Where a splitter stands in its source: the line number and byte offset of the last line handed out. */
abstract class Splitter {
  protected offset: number;
  protected lineNo: number;

  constructor(
    protected readonly maxLineBytes: number,
    protected readonly onLine: (line: Line) => void,
    start: { offset: number; lineNo: number },
  ) {
    this.offset = start.offset;
    this.lineNo = start.lineNo;
  }

  /** The offset just past the last line handed out: where a resumed read starts. */
  get position(): number {
    return this.offset;
  }
}

export class LineSplitter extends Splitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false;
  /** The byte that ends a line (10, or 13 in a CR-only source); 0 until the first line end. */
  private ending = 0;
  /** The data so far ends with the source's first CR, so the next byte decides the ending. */
  private crLast = false;
  /** The last byte held of the line being read, for the CR of an overlong line's CRLF. */
  private lastHeld = 0;

  constructor(maxLineBytes: number, onLine: (line: Line) => void, start: { offset: number; lineNo: number } = { offset: 0, lineNo: 0 }) {
    super(maxLineBytes, onLine, start);
  }

  push(chunk: Buffer): void {
    if (this.ending === 0 && !this.decideEnding(chunk)) return this.hold(chunk);
    const ending = this.ending;
    let from = 0;
    for (let nl = chunk.indexOf(ending, from); nl >= 0; nl = chunk.indexOf(ending, from)) {
      this.finishLine(chunk, from, nl, nl + 1);
      from = nl + 1;
    }
    if (from < chunk.length) this.hold(chunk.subarray(from));
  }

  /**
   * A source whose first line ends with a CR not followed by LF ends its lines with CR (classic Mac
   * OS, some Windows tools); any other with LF. Decided once, as a search for both on every line
   * would slow every other file. False while the chunk does not tell yet.
   */
  private decideEnding(chunk: Buffer): boolean {
    if (this.crLast) {
      this.ending = chunk.length === 0 || chunk[0] === 10 ? 10 : 13;
      if (this.ending === 13) this.endHeldAtCr();
      return true;
    }
    const lf = chunk.indexOf(10);
    const cr = chunk.indexOf(13);
    if (cr < 0 || (lf >= 0 && lf < cr)) {
      if (lf >= 0) this.ending = 10;
      return lf >= 0;
    }
    if (cr + 1 < chunk.length) {
      this.ending = chunk[cr + 1] === 10 ? 10 : 13;
      return true;
    }
    this.crLast = true;
    return false;
  }

  /** The held data ends with the CR that turned out to end the first line: that line ends there. */
  private endHeldAtCr(): void {
    this.carryBytes--;
    if (!this.overlong) {
      const last = this.carry.length - 1;
      this.carry[last] = this.carry[last]!.subarray(0, this.carry[last]!.length - 1);
    }
    this.finishLine(Buffer.alloc(0), 0, 0, 1);
  }

  /** Ends the stream: a last line without a newline is still a line. */
  end(): void {
    if (this.crLast && this.ending === 0) this.decideEnding(Buffer.alloc(0));
    if (this.carryBytes > 0) this.finishLine(Buffer.alloc(0), 0, 0, 0);
  }

  /**
   * Ends the stream but leaves a last line without a newline unread, for a file a server may still
   * be writing: the next run reads it whole. Returns its bytes so far. An overlong one is rejected
   * all the same: waiting cannot make it a line.
   */
  endLeavingUnfinished(): number {
    if (this.overlong) {
      this.end();
      return 0;
    }
    const held = this.carryBytes;
    this.carry = [];
    this.carryBytes = 0;
    return held;
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    this.carryBytes += piece.length;
    this.lastHeld = piece[piece.length - 1]!;
    if (this.overlong) return this.topUpPreview(piece);
    // Copy: the caller's chunk may be reused. Once too long, keep only what a reject preview needs.
    this.carry.push(Buffer.from(piece));
    // One byte past the limit may still be the CR of a CRLF.
    if (this.carryBytes > this.maxLineBytes + 1) {
      this.overlong = true;
      this.carry = [Buffer.concat(this.carry, Math.min(this.carryBytes, REJECT_PREVIEW_BYTES))];
    }
  }

  private topUpPreview(piece: Buffer): void {
    const have = this.carry[0]!.length;
    if (have < REJECT_PREVIEW_BYTES) this.carry[0] = Buffer.concat([this.carry[0]!, piece.subarray(0, REJECT_PREVIEW_BYTES - have)]);
  }

  private finishLine(chunk: Buffer, from: number, to: number, consumed: number): void {
    // A line within one chunk is decoded from the chunk in place: no Buffer object per line.
    let buf = chunk;
    let start = from;
    let end = to;
    let bytes = to - from;
    if (this.carryBytes > 0) {
      bytes += this.carryBytes;
      if (this.overlong) this.topUpPreview(chunk.subarray(from, to));
      buf = this.overlong ? this.carry[0]! : Buffer.concat([...this.carry, chunk.subarray(from, to)]);
      start = 0;
      end = buf.length;
    }
    const startOffset = this.offset;
    this.offset += bytes + (consumed > to ? 1 : 0);
    this.lineNo++;
    if (this.overlong ? (to > from ? chunk[to - 1] : this.lastHeld) === 13 && this.ending === 10 : end > start && buf[end - 1] === 13) {
      if (!this.overlong) end--;
      bytes--;
    }
    const overlong = this.overlong || bytes > this.maxLineBytes;
    this.carry = [];
    this.carryBytes = 0;
    this.overlong = false;
    if (overlong) end = Math.min(end, start + REJECT_PREVIEW_BYTES);
    // In a CR-only source, a LF after the CR (a CRLF among them) is no part of the next line.
    else if (this.ending === 13 && buf[start] === 10) start++;
    // A BOM holds no newline, so when a short line is no BOM these reads stop at its `\n` at the latest.
    if (startOffset === 0 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    this.onLine({ text: buf.toString('utf8', start, end), lineNo: this.lineNo, bytes, endOffset: this.offset, overlong });
  }
}

/**
 * LineSplitter for a UTF-16 source (a log saved by a Windows tool, with its byte order mark), with
 * the same lines and offsets in the file's own bytes: each UTF-16 code unit is two of them, so a
 * line's bytes are twice its length. Lines end at LF; a CR before it is dropped.
 */
export class Utf16LineSplitter extends Splitter {
  private pending = '';
  private pendingUnits = 0;
  private overlong = false;
  /** The last byte of a chunk of odd length: half a code unit, completed by the next chunk. */
  private half: Buffer | null = null;
  /** The last code unit held of the line being read (an overlong line's preview has not got it). */
  private lastHeld = 0;

  constructor(maxLineBytes: number, onLine: (line: Line) => void, start: { offset: number; lineNo: number }, private readonly bigEndian: boolean) {
    super(maxLineBytes, onLine, start);
  }

  push(chunk: Buffer): void {
    let buf = this.half ? Buffer.concat([this.half, chunk]) : chunk;
    this.half = null;
    if (buf.length % 2 === 1) {
      this.half = Buffer.from(buf.subarray(buf.length - 1));
      buf = buf.subarray(0, buf.length - 1);
    }
    // Node decodes little-endian only: a big-endian copy has its byte pairs swapped first.
    const text = (this.bigEndian ? Buffer.from(buf).swap16() : buf).toString('utf16le');
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      this.finishLine(text.slice(from, nl), true);
      from = nl + 1;
    }
    if (from < text.length) this.hold(text.slice(from));
  }

  end(): void {
    if (this.pendingUnits > 0) this.finishLine('', false);
  }

  endLeavingUnfinished(): number {
    if (this.overlong) {
      this.end();
      return 0;
    }
    const held = this.pendingUnits * 2 + (this.half ? 1 : 0);
    this.pending = '';
    this.pendingUnits = 0;
    this.half = null;
    return held;
  }

  private hold(piece: string): void {
    this.pendingUnits += piece.length;
    this.lastHeld = piece.charCodeAt(piece.length - 1);
    if (this.overlong) {
      if (this.pending.length < REJECT_PREVIEW_BYTES) this.pending += piece.slice(0, REJECT_PREVIEW_BYTES - this.pending.length);
      return;
    }
    this.pending += piece;
    // One unit past the limit may still be the CR of a CRLF.
    if (this.pendingUnits * 2 > this.maxLineBytes + 2) {
      this.overlong = true;
      this.pending = this.pending.slice(0, REJECT_PREVIEW_BYTES);
    }
  }

  private finishLine(piece: string, newline: boolean): void {
    let units = this.pendingUnits + piece.length;
    let text = this.overlong ? (this.pending + piece.slice(0, REJECT_PREVIEW_BYTES)).slice(0, REJECT_PREVIEW_BYTES) : this.pending + piece;
    const startOffset = this.offset;
    this.offset += (units + (newline ? 1 : 0)) * 2;
    this.lineNo++;
    if ((piece.length > 0 ? piece.charCodeAt(piece.length - 1) : this.lastHeld) === 13 && units > 0) {
      if (!this.overlong) text = text.slice(0, -1);
      units--;
    }
    const overlong = this.overlong || units * 2 > this.maxLineBytes;
    this.pending = '';
    this.pendingUnits = 0;
    this.lastHeld = 0;
    this.overlong = false;
    if (startOffset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.onLine({ text: overlong ? text.slice(0, REJECT_PREVIEW_BYTES) : text, lineNo: this.lineNo, bytes: units * 2, endOffset: this.offset, overlong });
  }
}

/** The byte order of a UTF-16 source by its byte order mark, or null for any other. */
export function utf16Order(head: Buffer): 'le' | 'be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'be';
  return null;
}
