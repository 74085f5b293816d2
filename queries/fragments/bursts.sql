-- Fragment: the window's failed logins (see failed-logins) from known addresses as f (client_ip, username, t), marked
-- with their runs (runs: f plus run, a number per address; a run is failed logins each within
-- :window minutes of the one before) and bursts (one row per run that reaches :threshold failures
-- inside some :window-minute span: client_ip, run, start_t, end_t, failures, peak_in_window,
-- users_tried, usernames). Needs since, until, threshold and window parameters.
-- Use as: WITH {{bursts}} SELECT … FROM bursts
{{failed-logins}},
f AS (
  SELECT client_ip, username, t FROM failed_logins WHERE client_ip IS NOT NULL
),
marked AS (
  SELECT *,
         CASE WHEN t - lag(t) OVER (PARTITION BY client_ip ORDER BY t) < :window * 60 THEN 0 ELSE 1 END AS starts_run,
         count(*) OVER (PARTITION BY client_ip ORDER BY t RANGE BETWEEN CURRENT ROW AND :window * 60 - 1 FOLLOWING) AS in_window
  FROM f
),
runs AS (
  SELECT *, sum(starts_run) OVER (PARTITION BY client_ip ORDER BY t ROWS UNBOUNDED PRECEDING) AS run FROM marked
),
bursts AS (
  SELECT client_ip, run, min(t) AS start_t, max(t) AS end_t, count(*) AS failures, max(in_window) AS peak_in_window,
         count(DISTINCT username) AS users_tried, group_concat(DISTINCT username ORDER BY username) AS usernames
  FROM runs
  GROUP BY client_ip, run
  HAVING max(in_window) >= :threshold
)
