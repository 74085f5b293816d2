SELECT source_id, path, format, events, failed, {{iso column=first}} AS first_ts, {{iso column=last}} AS last_ts
FROM (
  SELECT source_id, format, count() AS events, countIf(outcome = 'fail') AS failed, min(ts) AS first, max(ts) AS last
  FROM events WHERE ts >= :since AND ts < :until GROUP BY source_id, format
) AS e
ANY INNER JOIN (SELECT id AS source_id, path FROM {{current-sources}}) AS s USING source_id
ORDER BY path, source_id, format
