/**
 * The database layout. A database says it is ftplog's by its application_id, and which layout it has
 * by its user_version (db.ts checks both before anything reads it). The layout is version 2; a file of
 * an earlier version is brought up to it by the steps in MIGRATIONS, one from each version to the next.
 *
 * Indexes on events are not here: db.ts creates INDEXES after the tables.
 */
import { FORMAT_NAMES } from '../../event.js';

/** `PRAGMA application_id` of an ftplog database: 'ftpl' in ASCII. */
export const APPLICATION_ID = 0x6674706c;
export const SCHEMA_VERSION = 2;

/** The step from each earlier layout to the next: version 1 (0.1.0) had no server label on sources. */
export const MIGRATIONS: Readonly<Record<number, readonly string[]>> = {
  1: ['ALTER TABLE sources ADD COLUMN server TEXT'],
};

/** A per-day activity rollup keyed by one column (client address or user name); see src/store/rollup.ts. */
function activityTable(name: string, key: string): string {
  return `
  CREATE TABLE ${name} (
    day           TEXT NOT NULL,              -- 2024-03-05
    ${key.padEnd(13)} TEXT NOT NULL,
    connections   INTEGER NOT NULL,
    logins        INTEGER NOT NULL,
    failed_logins INTEGER NOT NULL,
    transfers     INTEGER NOT NULL,
    bytes_in      INTEGER NOT NULL,
    bytes_out     INTEGER NOT NULL,
    failures      INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    PRIMARY KEY (day, ${key})
  ) WITHOUT ROWID;
`;
}

/** The names (and reply class and group) events derives from its stored numbers: one place for the rules. */
const DERIVED = {
  format: `CASE format_code ${FORMAT_NAMES.map((name, code) => `WHEN ${code} THEN '${name}'`).join(' ')} END`,
  kind: `CASE kind_code WHEN 0 THEN 'connect' WHEN 1 THEN 'login' WHEN 2 THEN 'transfer'
                    WHEN 3 THEN 'file' WHEN 4 THEN 'command' WHEN 5 THEN 'reply' WHEN 6 THEN 'data-channel'
                    WHEN 7 THEN 'disconnect' WHEN 8 THEN 'debug' END`,
  direction: `CASE direction_code WHEN 0 THEN 'upload' WHEN 1 THEN 'download' END`,
  replyClass: 'CASE WHEN reply_code BETWEEN 100 AND 699 THEN reply_code / 100 END',
  replyGroup: 'CASE WHEN reply_code BETWEEN 100 AND 699 THEN reply_code / 10 % 10 END',
  outcome: `CASE outcome_code WHEN 0 THEN 'ok' WHEN 1 THEN 'fail' WHEN 2 THEN 'pending' END`,
};

/**
 * `event_rows` stores what a line says, the time as seconds since 1970, and numbers for its
 * closed-set columns (see eventCodes.ts); the `events` view (EVENTS_VIEW) puts the names, the ts text
 * and the reply class and group beside them. (SQLite computes every generated column of a row it
 * inserts, used or not: the names cost a tenth of a bulk load and a generated ts text a fifth; a view
 * computes them only when a query reads them. A CHECK of `x IN (a, b, c)` builds a temporary b-tree
 * of the list for every row inserted, so outcome_code's CHECK compares.)
 */
const EVENT_ROWS = `
  CREATE TABLE event_rows (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL,
    line_no       INTEGER NOT NULL,
    ts_unix       INTEGER NOT NULL,           -- seconds since 1970-01-01T00:00:00Z
    server        TEXT,
    session       TEXT,
    client_ip     TEXT,
    username      TEXT,
    command       TEXT,
    path          TEXT,
    bytes         INTEGER,
    duration_ms   INTEGER,
    reply_code    INTEGER,
    win32_status  INTEGER,
    substatus     INTEGER,
    winsock_name  TEXT,
    detail        TEXT,
    flags         TEXT,
    format_code   INTEGER NOT NULL,
    kind_code     INTEGER NOT NULL,
    direction_code INTEGER,
    outcome_code  INTEGER NOT NULL CHECK (outcome_code = 0 OR outcome_code = 1 OR outcome_code = 2)
  );
`;

/**
 * The view over event_rows. Its names grow when a format is added (codes are appended, never moved),
 * so an ingest re-creates it when the file's is older (db.ts): a view holds no data.
 */
export const EVENTS_VIEW = `
  CREATE VIEW events AS
  SELECT id, source_id, line_no, ${DERIVED.format} AS format,
    strftime('%Y-%m-%dT%H:%M:%SZ', ts_unix, 'unixepoch') AS ts, server, session, client_ip, username,
    ${DERIVED.kind} AS kind, command, ${DERIVED.direction} AS direction, path, bytes, duration_ms, reply_code,
    ${DERIVED.replyClass} AS reply_class, ${DERIVED.replyGroup} AS reply_group, win32_status, substatus, winsock_name,
    ${DERIVED.outcome} AS outcome, detail, flags, format_code, kind_code, direction_code, outcome_code, ts_unix
  FROM event_rows;
`;

/** Every table and view of SCHEMA_VERSION, for a new database. */
export const SCHEMA = `
  CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL,              -- absolute path, or '-' for standard input
    format        TEXT,                       -- detected or forced format; NULL when unknown
    gzip          INTEGER NOT NULL DEFAULT 0,
    size          INTEGER,                    -- file size when last read (compressed size for .gz)
    mtime         TEXT,
    head_hash     TEXT NOT NULL,              -- sha256 of the first head_len bytes of the content (decompressed for .gz)
    head_len      INTEGER NOT NULL,
    mark_offset   INTEGER NOT NULL DEFAULT 0, -- the mark_len bytes of content before this offset hash to mark_hash:
    mark_len      INTEGER NOT NULL DEFAULT 0, -- where the read part ends, so two files with the same head are told apart
    mark_hash     TEXT,
    gz_hash       TEXT,                       -- sha256 of the compressed file, once a .gz was read to its end
    bytes_read    INTEGER NOT NULL DEFAULT 0, -- resume offset (uncompressed bytes for .gz)
    lines_read    INTEGER NOT NULL DEFAULT 0,
    events        INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    resume_state  TEXT,                       -- JSON: lines that restore the parser's header state
    complete      INTEGER NOT NULL DEFAULT 0, -- .gz and stdin: read to the end (no more to come)
    error         TEXT,                       -- why reading stopped early, if it did
    last_event_id INTEGER NOT NULL DEFAULT 0, -- id of the source's newest event
    rolled_line   INTEGER NOT NULL DEFAULT 0, -- rollup_clients/rollup_users include the source up to this line
    rolled_event_id INTEGER NOT NULL DEFAULT 0, -- … and up to this event id
    first_seen    TEXT NOT NULL,
    last_read     TEXT NOT NULL,
    server        TEXT                        -- ingest --server: the server of its events whose log names none
  );
  CREATE INDEX sources_path ON sources(path);
  CREATE INDEX sources_head ON sources(head_hash);
  CREATE INDEX sources_gz ON sources(gz_hash);

${EVENT_ROWS}
${EVENTS_VIEW}
  CREATE TABLE rejects (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL,
    line_no       INTEGER NOT NULL,
    ts            TEXT,                       -- time of the last event before it in its source, if any
    reason        TEXT NOT NULL,
    raw           TEXT NOT NULL               -- the line, cut to 1 KiB
  );
  CREATE INDEX rejects_source ON rejects(source_id, line_no);

  -- Per-hour totals kept in step with events (src/store/rollup.ts); '' and 0 stand for NULL in keys.
  CREATE TABLE rollup_hourly (
    hour          TEXT NOT NULL,              -- 2024-03-05T14
    format        TEXT NOT NULL,
    server        TEXT NOT NULL,
    source_id     INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    command       TEXT NOT NULL,
    direction     TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    reply_code    INTEGER NOT NULL,
    events        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    first_ts      TEXT NOT NULL,
    last_ts       TEXT NOT NULL,
    PRIMARY KEY (hour, format, server, source_id, kind, command, direction, outcome, reply_code)
  ) WITHOUT ROWID;

  -- Per-day activity per client address and per user name, written every few tens of thousands of
  -- lines: sources.rolled_event_id says how far they include a source (src/store/rollup.ts).
${activityTable('rollup_clients', 'client_ip')}
${activityTable('rollup_users', 'username')}
  CREATE TABLE reply_codes (
    code            INTEGER PRIMARY KEY,
    class           INTEGER NOT NULL,
    class_name      TEXT NOT NULL,
    grp             INTEGER NOT NULL,
    group_name      TEXT NOT NULL,
    meaning         TEXT NOT NULL,            -- seed000's wording where it has one, else seed001's
    meaning_seed000 TEXT,
    meaning_seed001 TEXT
  );

  CREATE TABLE reply_classes (
    class           INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL
  );

  CREATE TABLE reply_groups (
    grp             INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL
  );

  CREATE TABLE winsock_errors (
    name            TEXT PRIMARY KEY,
    number          INTEGER,                  -- NULL for the OS-dependent WSA_* errors
    meaning         TEXT NOT NULL,
    meaning_seed000 TEXT,
    meaning_seed001 TEXT,
    explanation     TEXT NOT NULL
  );

  CREATE TABLE win32_statuses (
    number          INTEGER PRIMARY KEY,      -- every value sc-win32-status can JOIN to, Winsock included
    name            TEXT NOT NULL,
    meaning         TEXT NOT NULL,
    winsock         INTEGER NOT NULL
  );

  CREATE TABLE iis_substatus (
    substatus       INTEGER PRIMARY KEY,
    meaning         TEXT NOT NULL
  );
`;

/**
 * The indexes on events: the full index on time (reports read whole hours and days from the
 * rollups and only a window's edges from events, through it), and partial indexes on time over
 * the few rows reports drill into. Every key is a time, and a log is read in time order, so each
 * insert appends to them: keeping them up during a load costs less than building them after it.
 * (An index keyed by address or user name costs 1.5 s per 1M vsftpd lines kept up during a load,
 * a table scan to build after it; reports that look rows up by address read them by time instead.)
 * events_fail_ts also holds what transfer-errors groups failures by, so the report reads the rows
 * from it rather than from the table (0.75 s -> 0.5 s on 250k failures); failures are a few percent
 * of a log, so the wider entries cost a load little. The indexes are on event_rows, and a partial
 * one serves a query whose WHERE names its condition's stored codes (outcome_code = 1, not
 * outcome = 'fail': see eventCodes.ts).
 */
export const INDEXES: readonly string[] = [
  `CREATE INDEX IF NOT EXISTS events_ts ON event_rows(ts_unix)`,
  `CREATE INDEX IF NOT EXISTS events_fail_ts ON event_rows(ts_unix, kind_code, reply_code, path, client_ip, username, win32_status,
    winsock_name, direction_code, format_code, bytes) WHERE outcome_code = 1`,
  `CREATE INDEX IF NOT EXISTS events_win32 ON event_rows(ts_unix) WHERE win32_status <> 0`,
  `CREATE INDEX IF NOT EXISTS events_login_ok_ts ON event_rows(ts_unix) WHERE kind_code = 1 AND outcome_code = 0`,
  `CREATE INDEX IF NOT EXISTS events_login_fail_ts ON event_rows(ts_unix) WHERE kind_code = 1 AND outcome_code = 1`,
  // PAM's failed logins (the only rows with command 'PAM'), which reports pair with vsftpd's FAIL LOGIN
  // (queries/fragments/login-copies.sql): a few of a log's rows.
  `CREATE INDEX IF NOT EXISTS events_pam_ts ON event_rows(ts_unix, client_ip) WHERE command = 'PAM'`,
  // A server's summary of failed logins it logged one by one (command 'REPEAT'), paired the same way.
  `CREATE INDEX IF NOT EXISTS events_repeat_ts ON event_rows(ts_unix, client_ip) WHERE command = 'REPEAT'`,
  // vsftpd's and xferlog's transfers, which reports pair when vsftpd logs each to both
  // (queries/fragments/transfer-copies.sql).
  `CREATE INDEX IF NOT EXISTS events_vsftpd_transfer_ts ON event_rows(ts_unix) WHERE kind_code = 2 AND format_code = 1`,
  `CREATE INDEX IF NOT EXISTS events_xferlog_transfer_ts ON event_rows(ts_unix, client_ip) WHERE kind_code = 2 AND format_code = 0`,
  // ProFTPD's transfers (its ExtendedLog's), paired with its TransferLog's xferlog lines the same way,
  // and Pure-FTPd's, which reports pair across its syslog lines and its AltLog.
  `CREATE INDEX IF NOT EXISTS events_proftpd_transfer_ts ON event_rows(ts_unix) WHERE kind_code = 2 AND format_code = 3`,
  `CREATE INDEX IF NOT EXISTS events_pureftpd_transfer_ts ON event_rows(ts_unix, client_ip) WHERE kind_code = 2 AND format_code = 4`,
];
