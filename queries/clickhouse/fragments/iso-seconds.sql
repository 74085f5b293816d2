-- Fragment (ClickHouse): seconds since 1970 (a UInt32 column) as ftplog's time text, 2024-03-05T14:03:27Z.
-- Use as: {{iso-seconds column=start_t}}
concat(replaceOne(toString(toDateTime({column}, 'UTC')), ' ', 'T'), 'Z')
