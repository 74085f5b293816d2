-- name: overview
-- title: Overview by format and server
-- description: Per log format and server: the time span covered, events, ok/failed/pending counts and the
-- description: failure rate, with the rejected lines and the sources that fed it.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
WITH {{hourly-window}},
ev AS (
  SELECT format, server, source_id, min(first_ts) AS first_ts, max(last_ts) AS last_ts, sum(events) AS events,
         sum(CASE outcome WHEN 'ok' THEN events ELSE 0 END) AS ok, sum(CASE outcome WHEN 'fail' THEN events ELSE 0 END) AS failed,
         sum(CASE outcome WHEN 'pending' THEN events ELSE 0 END) AS pending
  FROM r GROUP BY format, server, source_id
),
-- A source's rejects are counted with the server most of its events name.
home AS (
  SELECT source_id, format, server FROM (
    SELECT source_id, format, server, row_number() OVER (PARTITION BY source_id ORDER BY events DESC, server) AS rn FROM ev
  ) WHERE rn = 1
),
rj AS (
  SELECT r.source_id, count(*) AS rejects
  FROM rejects r JOIN sources s ON s.id = r.source_id
  WHERE coalesce(r.ts, s.first_seen) >= :since AND coalesce(r.ts, s.first_seen) < :until
  GROUP BY r.source_id
),
per_group AS (
  SELECT format, server, min(first_ts) AS first_ts, max(last_ts) AS last_ts, sum(events) AS events, sum(ok) AS ok,
         sum(failed) AS failed, sum(pending) AS pending, count(DISTINCT source_id) AS sources
  FROM ev GROUP BY format, server
),
rejects_per_group AS (
  SELECT coalesce(h.format, coalesce(s.format, '(unknown)')) AS format, coalesce(h.server, '') AS server,
         sum(rj.rejects) AS rejects, sum(h.source_id IS NULL) AS sources_without_events
  FROM rj JOIN sources s ON s.id = rj.source_id LEFT JOIN home h ON h.source_id = rj.source_id
  GROUP BY 1, 2
)
SELECT g.format, g.server, p.first_ts, p.last_ts, coalesce(p.events, 0) AS events, coalesce(p.ok, 0) AS ok,
       coalesce(p.failed, 0) AS failed, coalesce(p.pending, 0) AS pending,
       CASE WHEN coalesce(p.events, 0) = 0 THEN NULL ELSE round(100.0 * p.failed / p.events, 2) END AS fail_pct,
       coalesce(r.rejects, 0) AS rejects, coalesce(p.sources, 0) + coalesce(r.sources_without_events, 0) AS sources
FROM (SELECT format, server FROM per_group UNION SELECT format, server FROM rejects_per_group) AS g
LEFT JOIN per_group p ON p.format = g.format AND p.server = g.server
LEFT JOIN rejects_per_group r ON r.format = g.format AND r.server = g.server
ORDER BY g.format, g.server
