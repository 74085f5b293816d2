-- name: auth-failures
-- title: Failed logins per client address and per user name
-- description: Rows with by = 'client_ip' count the failed logins from one address, the distinct user
-- description: names it tried and when; by = 'username' count the failed logins for one name and the
-- description: addresses they came from. first_success_after is the first successful login from that
-- description: address (or for that name) at or after its first failure: a guessed password looks like this.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 50 : rows of each kind
-- Failed logins are counted once per attempt (failed-logins); kind_code = 1 is kind = 'login' and
-- outcome_code 0 is 'ok': the stored numbers, so successful logins are read through their own index.
WITH {{failed-logins}},
f AS MATERIALIZED (
  SELECT client_ip, username, t FROM failed_logins
),
by_client AS (
  SELECT 'client_ip' AS by, client_ip AS key, count(*) AS failed_logins, count(DISTINCT username) AS distinct_others,
         min(t) AS first_failure, max(t) AS last_failure
  FROM f WHERE client_ip IS NOT NULL GROUP BY client_ip
  ORDER BY failed_logins DESC, key LIMIT :limit
),
by_user AS (
  SELECT 'username' AS by, username AS key, count(*) AS failed_logins, count(DISTINCT client_ip) AS distinct_others,
         min(t) AS first_failure, max(t) AS last_failure
  FROM f WHERE username IS NOT NULL GROUP BY username
  ORDER BY failed_logins DESC, key LIMIT :limit
),
-- Successful logins in the window, read once through their own index, for first_success_after.
ok AS MATERIALIZED (
  SELECT client_ip, username, ts_unix AS t FROM events
  WHERE kind_code = 1 AND outcome_code = 0 AND ts_unix >= unixepoch(:since) AND ts_unix < unixepoch(:until)
),
client_success AS (
  SELECT c.key, min(o.t) AS first_success_after FROM by_client c JOIN ok o ON o.client_ip = c.key AND o.t >= c.first_failure
  GROUP BY c.key
),
user_success AS (
  SELECT u.key, min(o.t) AS first_success_after FROM by_user u JOIN ok o ON o.username = u.key AND o.t >= u.first_failure
  GROUP BY u.key
),
found AS (
  SELECT c.*, s.first_success_after FROM by_client c LEFT JOIN client_success s ON s.key = c.key
  UNION ALL
  SELECT u.*, s.first_success_after FROM by_user u LEFT JOIN user_success s ON s.key = u.key
)
-- Times are worked in seconds and shown as ts text.
SELECT by, key, failed_logins, distinct_others, strftime('%Y-%m-%dT%H:%M:%SZ', first_failure, 'unixepoch') AS first_failure,
       strftime('%Y-%m-%dT%H:%M:%SZ', last_failure, 'unixepoch') AS last_failure,
       strftime('%Y-%m-%dT%H:%M:%SZ', first_success_after, 'unixepoch') AS first_success_after
FROM found
ORDER BY by, failed_logins DESC, key
