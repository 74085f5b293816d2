-- name: guessed-passwords
-- title: Brute-force bursts followed by a successful login
-- description: A burst of failed logins (as in brute-force) followed, at or after its start, by a successful
-- description: login from the same address or for one of the user names it tried: what a guessed password
-- description: looks like. One row per burst, with the first such login and what was moved after it in the
-- description: window by that address as that user (transfers and bytes).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: threshold (int) = 10 : failed logins within the window that make a burst
-- param: window (int) = 10 : window length in minutes
WITH {{bursts}}, {{transfer-copies}},
tried AS (
  SELECT DISTINCT client_ip, run, username FROM runs WHERE username IS NOT NULL
),
-- Successful logins (kind_code = 1 AND outcome_code = 0) in the window, through their own index.
ok AS MATERIALIZED (
  SELECT client_ip, username, ts_unix AS t FROM events
  WHERE kind_code = 1 AND outcome_code = 0 AND ts_unix >= unixepoch(:since) AND ts_unix < unixepoch(:until)
),
hits AS (
  SELECT b.client_ip, b.run, b.start_t, b.end_t, b.failures, o.client_ip AS login_client, o.username AS login_user, o.t AS login_t,
         row_number() OVER (PARTITION BY b.client_ip, b.run ORDER BY o.t, o.client_ip, o.username) AS nth
  FROM bursts b JOIN ok o ON o.t >= b.start_t
   AND (o.client_ip = b.client_ip
        OR o.username IN (SELECT t.username FROM tried t WHERE t.client_ip = b.client_ip AND t.run = b.run))
),
first_hits AS (
  SELECT * FROM hits WHERE nth = 1
),
-- kind_code = 2 is kind = 'transfer'; a transfer two logs wrote counts once (transfer-copies).
moved AS (
  SELECT h.client_ip, h.run, count(e.id) AS transfers_after, coalesce(sum(e.bytes), 0) AS bytes_after
  FROM first_hits h LEFT JOIN events e ON e.kind_code = 2 AND e.ts_unix >= h.login_t AND e.ts_unix < unixepoch(:until)
   AND e.client_ip = h.login_client AND (h.login_user IS NULL OR e.username = h.login_user)
   AND e.id NOT IN (SELECT id FROM transfer_copies)
  GROUP BY h.client_ip, h.run
)
SELECT h.client_ip, strftime('%Y-%m-%dT%H:%M:%SZ', h.start_t, 'unixepoch') AS burst_start,
       strftime('%Y-%m-%dT%H:%M:%SZ', h.end_t, 'unixepoch') AS burst_end, h.failures,
       strftime('%Y-%m-%dT%H:%M:%SZ', h.login_t, 'unixepoch') AS login_at, h.login_client, h.login_user,
       m.transfers_after, m.bytes_after
FROM first_hits h JOIN moved m ON m.client_ip = h.client_ip AND m.run = h.run
ORDER BY h.login_t, h.client_ip
