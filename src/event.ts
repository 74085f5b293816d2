/**
 * The event model every stage shares: what a parsed log line says happened. A leaf: it imports
 * nothing of the project, so parsers, tagging, stores and reports can all depend on it.
 *
 * The name lists are the closed sets of their columns; a store may number them by position (see
 * src/store/sqlite/eventCodes.ts), so append new names, never reorder.
 */
/** The server log an event was read from (`ftpd`: wu-ftpd's and the BSDs' ftpd). */
export const FORMAT_NAMES = ['xferlog', 'vsftpd', 'iis', 'proftpd', 'pure-ftpd', 'filezilla', 'ftpd'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** How a source is read: one server's log, or a syslog file whose lines are each read by their program's format. */
export const SOURCE_FORMAT_NAMES = [...FORMAT_NAMES, 'syslog'] as const;
export type SourceFormatName = (typeof SOURCE_FORMAT_NAMES)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** What a line says happened. `file` covers MKD/RMD/DELE/RENAME/CHMOD; `reply` a logged server response. */
export const KIND_NAMES = ['connect', 'login', 'transfer', 'file', 'command', 'reply', 'data-channel', 'disconnect', 'debug'] as const;
export type EventKind = (typeof KIND_NAMES)[number];

export const DIRECTION_NAMES = ['upload', 'download'] as const;
export type Direction = (typeof DIRECTION_NAMES)[number];

/** `pending`: a preliminary step (a 1xx reply, a USER awaiting its PASS) that is neither yet. */
export const OUTCOME_NAMES = ['ok', 'fail', 'pending'] as const;
export type Outcome = (typeof OUTCOME_NAMES)[number];

/** One log line's worth of FTP activity, as a parser sees it (before tagging). */
export interface FtpEvent {
  /** UTC, ISO 8601 to the second: `2024-03-05T14:03:27Z`. */
  ts: string;
  server: string | null;
  session: string | null;
  clientIp: string | null;
  username: string | null;
  kind: EventKind;
  command: string | null;
  direction: Direction | null;
  path: string | null;
  bytes: number | null;
  durationMs: number | null;
  replyCode: number | null;
  win32Status: number | null;
  substatus: number | null;
  outcome: Outcome;
  /** Free text the line carries beyond the columns: a refusal reason, a rename target, a reply text. */
  detail: string | null;
  /** Comma-separated remarks about the line: `invalid-ip`, `default-fields`, `ok-with-win32-error`. */
  flags: string | null;
}

/**
 * An event with what the code tables say about it: the columns a store keeps. (Reply class and
 * group follow from the code by its digits alone; stores derive them.)
 */
export interface TaggedEvent extends FtpEvent {
  /** The WSA* name when `win32Status` is a Winsock error. */
  winsockName: string | null;
}

/** `status`: a server's line about itself with no time (FileZilla's `Server online`). */
export type SkipReason = 'blank' | 'comment' | 'directive' | 'other-program' | 'continuation' | 'status';
