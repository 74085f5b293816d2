-- Fragment: the window's events in the shape of rollup_hourly, as a CTE named r (with a helper b).
-- Whole hours inside [:since, :until) come from rollup_hourly; the partial hours at its edges from
-- events, so sums over r are exact for any window. Use as: WITH {{hourly-window}} SELECT … FROM r
b AS (
  SELECT h_from, h_to, unixepoch(:since) AS t_since, unixepoch(:until) AS t_until, unixepoch(h_from || ':00:00Z') AS t_from,
         unixepoch(h_to || ':00:00Z') AS t_to
  FROM (SELECT strftime('%Y-%m-%dT%H', :since, '+3599 seconds') AS h_from, substr(:until, 1, 13) AS h_to)
),
r AS (
  SELECT hour, format, server, source_id, kind, command, direction, outcome, reply_code, events, bytes, first_ts, last_ts
  FROM rollup_hourly, b WHERE hour >= b.h_from AND hour < b.h_to
  UNION ALL
  SELECT substr(ts, 1, 13), format, coalesce(server, ''), source_id, kind, coalesce(command, ''), coalesce(direction, ''),
         outcome, coalesce(reply_code, 0), 1, coalesce(bytes, 0), ts, ts
  FROM events, b WHERE ts_unix >= b.t_since AND ts_unix < min(b.t_until, b.t_from)
  UNION ALL
  SELECT substr(ts, 1, 13), format, coalesce(server, ''), source_id, kind, coalesce(command, ''), coalesce(direction, ''),
         outcome, coalesce(reply_code, 0), 1, coalesce(bytes, 0), ts, ts
  FROM events, b WHERE ts_unix >= max(b.t_since, b.t_from, b.t_to) AND ts_unix < b.t_until
)
