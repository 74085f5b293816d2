-- name: brute-force
-- title: Brute-force bursts of failed logins
-- description: Runs of failed logins from one address, each within `window` minutes of the one before,
-- description: that reach `threshold` failures inside some `window`-minute span. One row per burst: its
-- description: start, end, failures, the most inside one window, and the user names tried.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: threshold (int) = 10 : failed logins within the window that make a burst
-- param: window (int) = 10 : window length in minutes
WITH f AS (
  SELECT client_ip, username, ts_unix AS t FROM events
  -- Failed logins (kind_code = 1 AND outcome_code = 1, the stored numbers: their own index serves them).
  WHERE kind_code = 1 AND outcome_code = 1 AND client_ip IS NOT NULL AND ts_unix >= unixepoch(:since) AND ts_unix < unixepoch(:until)
),
marked AS (
  SELECT *,
         CASE WHEN t - lag(t) OVER (PARTITION BY client_ip ORDER BY t) < :window * 60 THEN 0 ELSE 1 END AS starts_run,
         count(*) OVER (PARTITION BY client_ip ORDER BY t RANGE BETWEEN CURRENT ROW AND :window * 60 - 1 FOLLOWING) AS in_window
  FROM f
),
runs AS (
  SELECT *, sum(starts_run) OVER (PARTITION BY client_ip ORDER BY t ROWS UNBOUNDED PRECEDING) AS run FROM marked
)
SELECT client_ip, strftime('%Y-%m-%dT%H:%M:%SZ', min(t), 'unixepoch') AS burst_start,
       strftime('%Y-%m-%dT%H:%M:%SZ', max(t), 'unixepoch') AS burst_end, count(*) AS failures, max(in_window) AS peak_in_window,
       round((max(t) - min(t)) / 60.0, 1) AS minutes, count(DISTINCT username) AS users_tried,
       group_concat(DISTINCT username) AS usernames
FROM runs
GROUP BY client_ip, run
HAVING max(in_window) >= :threshold
ORDER BY failures DESC, burst_start
