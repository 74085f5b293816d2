import type { EventKind, FtpEvent, Outcome, SkipReason, FormatName, SourceFormatName } from '../event.js';

export type LineResult =
  /** `format`: the event's own format, when the source's is a mix (syslog); else the source's. */
  | { type: 'event'; event: FtpEvent; format?: FormatName }
  | { type: 'skip'; reason: SkipReason }
  | { type: 'reject'; reason: string };

export interface ParserOptions {
  /** IANA zone the local-time formats were written in. */
  tz: string;
  /** When the source was written (its mtime): syslog lines carry no year, this gives one. */
  referenceDate: Date;
  /** Overrides the inferred year of syslog lines. */
  year?: number;
  /** The source file's name (no folder), when it has one: IIS names its files by their day. */
  sourceName?: string;
}

/** Parses one source's lines in order; formats with headers (IIS) keep state between lines. */
export interface LineParser {
  parse(line: string): LineResult;
  /** Format-specific counts worth reporting (IIS: lines read with the default field list). */
  counters(): Record<string, number>;
  /** Lines that, fed first to a fresh parser, restore this one's header state (resuming mid-file). */
  resumeLines(): string[];
}

/** For formats with no header state. */
export function statelessParser(parse: (line: string) => LineResult): LineParser {
  return { parse, counters: () => ({}), resumeLines: () => [] };
}

/** Lines that must yield the given results, in order: the format's own executable documentation. */
export interface FormatSample {
  description: string;
  lines: string[];
  options?: Partial<ParserOptions>;
  /** `format`: the event's own format, for a mix (syslog). */
  yields: Array<{ event: Partial<FtpEvent>; format?: FormatName } | { skip: SkipReason } | { reject: string }>;
}

export interface FormatDefinition {
  name: SourceFormatName;
  description: string;
  /** True when a line looks like this format: detection scores the first lines of a source with it. */
  sniff(line: string): boolean;
  createParser(options: ParserOptions): LineParser;
  samples: FormatSample[];
}

/** A format of one server's log, whose events are its own (every format but the syslog mix). */
export type ServerFormat = FormatDefinition & {
  readonly name: FormatName;
  /** The syslog idents (lower-case) this server writes under: a syslog mix sends their lines here. */
  readonly syslogPrograms?: readonly string[];
};

export const SKIP = {
  blank: { type: 'skip', reason: 'blank' },
  comment: { type: 'skip', reason: 'comment' },
  directive: { type: 'skip', reason: 'directive' },
  otherProgram: { type: 'skip', reason: 'other-program' },
  /** A line of a message the line before began (a multi-line FTP reply journalctl printed as written). */
  continuation: { type: 'skip', reason: 'continuation' },
  /** A server's line about itself that carries no time and names no client. */
  status: { type: 'skip', reason: 'status' },
} as const satisfies Record<string, LineResult>;

/** An event with every optional column empty; parsers fill in what their line says. */
export function newEvent(ts: string, kind: EventKind, outcome: Outcome, command: string | null = null): FtpEvent {
  return {
    ts, server: null, session: null, clientIp: null, username: null, kind, command, direction: null, path: null,
    bytes: null, durationMs: null, replyCode: null, win32Status: null, substatus: null, outcome, detail: null, flags: null,
  };
}

/**
 * A table to look up keys read from log lines in: it has no prototype, so `constructor` or
 * `toString` name no entry (as they would in an object literal), and a lookup stays one property load.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** A logged value quoted in a reject reason, cut so a junk line cannot make the reason huge. */
export function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

/** A line's free text as an event's detail: cut at 200 characters. */
export function detailText(text: string): string {
  return text.length > 200 ? text.slice(0, 200) : text;
}

export function reject(reason: string): LineResult {
  return { type: 'reject', reason };
}

export function emit(event: FtpEvent): LineResult {
  return { type: 'event', event };
}
