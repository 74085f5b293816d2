-- name: source-activity
-- title: Events per source
-- description: Each source with events in the window: its path as last read, format, the events and
-- description: failed events it holds in the window, and its first and last event time there.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
WITH {{hourly-window}}
SELECT s.id AS source_id, s.path, r.format, sum(r.events) AS events,
       sum(CASE WHEN r.outcome = 'fail' THEN r.events ELSE 0 END) AS failed, min(r.first_ts) AS first_ts, max(r.last_ts) AS last_ts
FROM r JOIN sources s ON s.id = r.source_id
GROUP BY s.id, s.path, r.format
ORDER BY s.path, s.id, r.format
