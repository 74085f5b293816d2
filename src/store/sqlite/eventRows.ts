/**
 * The columns of `event_rows` in the order a batch carries a row's values (the `events` view
 * derives the rest from them, see schema.ts), and where each sits in a row.
 */
export const EVENT_COLUMNS = ['source_id', 'line_no', 'ts_unix', 'server', 'session', 'client_ip', 'username', 'command', 'path', 'bytes',
  'duration_ms', 'reply_code', 'win32_status', 'substatus', 'winsock_name', 'detail', 'flags', 'format_code', 'kind_code',
  'direction_code', 'outcome_code'] as const;

export type EventColumn = (typeof EVENT_COLUMNS)[number];

export const ROW_WIDTH = EVENT_COLUMNS.length;

export const AT = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, i])) as Record<EventColumn, number>;
