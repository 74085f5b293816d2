-- name: top-users
-- title: Busiest user names
-- description: Per user name: connections, successful and failed logins, transfers, bytes uploaded (in) and
-- description: downloaded (out), and failures of any kind, busiest first (by bytes moved, failures or events: the sort parameter).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 20 : rows
-- param: sort (bytes|failures|events) = bytes : what makes a row top: bytes moved, failures or events
WITH b AS (
  SELECT date(:since, '+86399 seconds') AS d_from, substr(:until, 1, 10) AS d_to
),
-- Whole days inside the window come from rollup_users; the partial days at its edges, and events a
-- source's rollup does not hold yet (sources.rolled_event_id < last_event_id), from events.
raw AS (
  SELECT e.* FROM events e, b WHERE e.ts >= :since AND e.ts < min(:until, b.d_from || 'T00:00:00Z')
  UNION ALL
  SELECT e.* FROM events e, b WHERE e.ts >= max(:since, b.d_from || 'T00:00:00Z', b.d_to || 'T00:00:00Z') AND e.ts < :until
  UNION ALL
  SELECT e.* FROM b CROSS JOIN sources s
  CROSS JOIN events e ON e.id > s.rolled_event_id AND e.id <= s.last_event_id AND +e.source_id = s.id
  WHERE s.rolled_event_id < s.last_event_id AND +e.ts >= b.d_from || 'T00:00:00Z' AND +e.ts < b.d_to || 'T00:00:00Z'
),
a AS (
  SELECT username, connections, logins, failed_logins, transfers, bytes_in, bytes_out, failures, events
  FROM rollup_users, b WHERE day >= b.d_from AND day < b.d_to
  UNION ALL
  SELECT username, sum(kind = 'connect'), sum(kind = 'login' AND outcome = 'ok'), sum(kind = 'login' AND outcome = 'fail'),
         sum(kind = 'transfer'), sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END),
         sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END), sum(outcome = 'fail'), count(*)
  FROM raw WHERE username IS NOT NULL GROUP BY username
)
SELECT username, sum(connections) AS connections, sum(logins) AS logins, sum(failed_logins) AS failed_logins,
       sum(transfers) AS transfers, sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out, sum(failures) AS failures,
       sum(events) AS events
FROM a
GROUP BY username
ORDER BY CASE :sort WHEN 'failures' THEN sum(failures) WHEN 'events' THEN sum(events) ELSE sum(bytes_in) + sum(bytes_out) END DESC,
         sum(events) DESC, username
LIMIT :limit
