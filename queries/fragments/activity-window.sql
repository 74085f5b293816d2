-- Fragment: per-{column} activity totals in the window as a CTE named totals ({column},
-- connections, logins, failed_logins, transfers, bytes_in, bytes_out, failures, events), built on
-- helpers b, raw and a. Whole days come from the per-day rollup table; the partial
-- days at the window's edges, and events a source's rollup does not hold yet (past
-- sources.rolled_event_id), from events. Use as: WITH {{activity-window table=rollup_clients column=client_ip}}
b AS (
  SELECT d_from, d_to, unixepoch(:since) AS t_since, unixepoch(:until) AS t_until, unixepoch(d_from) AS t_from, unixepoch(d_to) AS t_to
  FROM (SELECT date(:since, '+86399 seconds') AS d_from, substr(:until, 1, 10) AS d_to)
),
raw AS (
  SELECT e.* FROM events e, b WHERE e.ts_unix >= b.t_since AND e.ts_unix < min(b.t_until, b.t_from)
  UNION ALL
  SELECT e.* FROM events e, b WHERE e.ts_unix >= max(b.t_since, b.t_from, b.t_to) AND e.ts_unix < b.t_until
  UNION ALL
  SELECT e.* FROM b CROSS JOIN sources s
  CROSS JOIN events e ON e.id > s.rolled_event_id AND e.id <= s.last_event_id AND +e.source_id = s.id
  WHERE s.rolled_event_id < s.last_event_id AND +e.ts_unix >= b.t_from AND +e.ts_unix < b.t_to
),
{{login-copies}},
{{transfer-copies}},
a AS (
  SELECT {column}, connections, logins, failed_logins, transfers, bytes_in, bytes_out, failures, events
  FROM {table}, b WHERE day >= b.d_from AND day < b.d_to
  UNION ALL
  -- Failed logins and transfers once per attempt (failed-logins, transfer-copies; direction_code 0 is
  -- upload, outcome_code 1 fail): a copy is taken off the logins or transfers and the failures, and its
  -- line stays among the events.
  SELECT {column}, 0, 0, -count(*), 0, 0, 0, -count(*), 0 FROM login_copies WHERE {column} IS NOT NULL GROUP BY {column}
  UNION ALL
  SELECT {column}, 0, 0, 0, -count(*), -sum(CASE WHEN direction_code = 0 THEN bytes ELSE 0 END),
         -sum(CASE WHEN direction_code = 1 THEN bytes ELSE 0 END), -sum(outcome_code = 1), 0
  FROM transfer_copies WHERE {column} IS NOT NULL GROUP BY {column}
  UNION ALL
  SELECT {column}, sum(kind = 'connect'), sum(kind = 'login' AND outcome = 'ok'), sum(kind = 'login' AND outcome = 'fail'),
         sum(kind = 'transfer'), sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END),
         sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END), sum(outcome = 'fail'), count(*)
  FROM raw WHERE {column} IS NOT NULL GROUP BY {column}
),
totals AS (
  SELECT {column}, sum(connections) AS connections, sum(logins) AS logins, sum(failed_logins) AS failed_logins,
         sum(transfers) AS transfers, sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out, sum(failures) AS failures,
         sum(events) AS events
  FROM a GROUP BY {column}
)
