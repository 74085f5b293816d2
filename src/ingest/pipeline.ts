import { tagEvent } from '../codes/tag.js';
import { anyFormatSniffs, decideFormat, detectFormat, SNIFF_LINES, worthWaiting } from '../formats/detect.js';
import { formatByName } from '../formats/index.js';
import { isFormatName, type FormatName, type SkipReason, type SourceFormatName, type TaggedEvent } from '../event.js';
import type { FormatDefinition, LineParser, ParserOptions } from '../formats/types.js';
import type { Line } from './lines.js';

/** What happened to one line: every line read ends as exactly one of these. */
export type LineOutcome =
  | { type: 'event'; line: Line; event: TaggedEvent; format: FormatName }
  | { type: 'skip'; line: Line; reason: SkipReason }
  | { type: 'reject'; line: Line; reason: string };

export interface SourceCounts {
  lines: number;
  events: number;
  skipped: number;
  rejected: number;
}

export interface SourceParserOptions extends ParserOptions {
  /** `auto` sniffs the first lines; a name forces that format. */
  format: 'auto' | SourceFormatName;
  maxLineBytes: number;
  /** Lines that restore a parser's header state when resuming mid-file (IIS `#Fields:`). */
  resumeLines?: string[];
}

/** Lines and text held while sniffing, blank or not: past either the format is decided with what was seen, so memory stays bounded. */
const HOLD_LIMIT = 4096;
const HOLD_CHARS = 4_000_000;

/**
 * Turns one source's lines into tagged events, skips and rejects, in line order. Pure: no I/O; the
 * caller feeds lines and receives outcomes. With `auto`, the first SNIFF_LINES non-blank lines are
 * held back until the format is known, then released in order.
 */
export class SourceParser {
  readonly counts: SourceCounts = { lines: 0, events: 0, skipped: 0, rejected: 0 };
  private format: FormatDefinition | null | undefined;
  private parser: LineParser | null = null;
  private eventFormat: FormatName | null = null;
  /** This run's events by their own format (a syslog mix holds several). */
  readonly eventsByFormat: Partial<Record<FormatName, number>> = {};
  private held: Line[] = [];
  private heldText = 0;
  private heldChars = 0;
  /** The first lines showed no format but are all syslog lines: waiting for one of a known program. */
  private waiting = false;

  constructor(
    private readonly options: SourceParserOptions,
    private readonly emit: (outcome: LineOutcome) => void,
  ) {
    if (options.format !== 'auto') this.decide(formatByName(options.format) ?? null);
  }

  /** The source's format once decided: a definition, `null` for unknown, `undefined` while sniffing. */
  get detected(): FormatDefinition | null | undefined {
    return this.format;
  }

  line(line: Line): void {
    this.counts.lines++;
    if (this.format === undefined) {
      // Blank and overlong lines end the same whatever the format: before any line to sniff they need not wait.
      if (this.held.length === 0 && (line.overlong || isBlank(line.text))) return this.process(line);
      this.held.push(line);
      this.heldChars += line.text.length;
      if (this.held.length >= HOLD_LIMIT || this.heldChars >= HOLD_CHARS) return this.decideFromHeld();
      if (line.text.length === 0 || line.overlong) return;
      if (this.waiting) {
        if (anyFormatSniffs(tidy(line.text))) this.decideFromHeld();
      } else if (++this.heldText >= SNIFF_LINES) {
        const texts = this.sniffable();
        if (detectFormat(texts) !== null || !worthWaiting(texts)) this.decideFromHeld();
        else this.waiting = true;
      }
      return;
    }
    this.process(line);
  }

  /** No more lines: decide with what was seen and release it. */
  end(): void {
    if (this.format === undefined) this.decideFromHeld();
  }

  /** Lines a resumed parser needs first (see SourceParserOptions.resumeLines). */
  resumeLines(): string[] {
    return this.parser?.resumeLines() ?? [];
  }

  formatCounters(): Record<string, number> {
    return this.parser?.counters() ?? {};
  }

  private sniffable(): string[] {
    return this.held.filter((l) => !l.overlong).map((l) => tidy(l.text));
  }

  private decideFromHeld(): void {
    this.decide(decideFormat(this.sniffable()));
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    for (const l of held) this.process(l);
  }

  private decide(format: FormatDefinition | null): void {
    this.format = format;
    if (!format) return;
    // A mix (syslog) names each event's format; a single format's events are its own.
    this.eventFormat = isFormatName(format.name) ? format.name : null;
    this.parser = format.createParser(this.options);
    for (const l of this.options.resumeLines ?? []) this.parser.parse(l);
  }

  private process(line: Line): void {
    if (line.overlong) return this.rejectLine(line, `line longer than ${this.options.maxLineBytes} bytes (${line.bytes} bytes)`);
    if (isBlank(line.text)) return this.skip(line, 'blank');
    if (!this.parser) return this.rejectLine(line, 'unknown format');
    const r = this.parser.parse(tidy(line.text));
    if (r.type === 'event') {
      this.counts.events++;
      const format = r.format ?? this.eventFormat!;
      this.eventsByFormat[format] = (this.eventsByFormat[format] ?? 0) + 1;
      this.emit({ type: 'event', line, event: tagEvent(r.event), format });
    } else if (r.type === 'skip') this.skip(line, r.reason);
    else this.rejectLine(line, r.reason);
  }

  private skip(line: Line, reason: SkipReason): void {
    this.counts.skipped++;
    this.emit({ type: 'skip', line, reason });
  }

  private rejectLine(line: Line, reason: string): void {
    this.counts.rejected++;
    this.emit({ type: 'reject', line, reason });
  }
}

/**
 * A line as its format's parser expects it: without the spaces or tabs an editor, a copy from a
 * terminal or a forwarding hop leaves at its end (no format ends a line with one), and without a
 * byte order mark that concatenating files (`cat a.log b.log`) put at its start.
 */
function tidy(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  if (last === 32 || last === 9) text = text.replace(/[ \t]+$/, '');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
