-- Fragment (ClickHouse): a DateTime column as ftplog's time text, 2024-03-05T14:03:27Z (NULL stays NULL).
-- Use as: {{iso column=first_ts}}
concat(replaceOne(toString({column}), ' ', 'T'), 'Z')
