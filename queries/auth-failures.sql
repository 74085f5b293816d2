-- name: auth-failures
-- title: Failed logins per client address and per user name
-- description: Rows with by = 'client_ip' count the failed logins from one address, the distinct user
-- description: names it tried and when; by = 'username' count the failed logins for one name and the
-- description: addresses they came from. first_success_after is the first successful login from that
-- description: address (or for that name) at or after its first failure: a guessed password looks like this.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 50 : rows of each kind
WITH f AS MATERIALIZED (
  SELECT client_ip, username, ts FROM events
  WHERE outcome = 'fail' AND kind = 'login' AND ts >= :since AND ts < :until
),
by_client AS (
  SELECT 'client_ip' AS by, client_ip AS key, count(*) AS failed_logins, count(DISTINCT username) AS distinct_others,
         min(ts) AS first_failure, max(ts) AS last_failure
  FROM f WHERE client_ip IS NOT NULL GROUP BY client_ip
  ORDER BY failed_logins DESC, key LIMIT :limit
),
by_user AS (
  SELECT 'username' AS by, username AS key, count(*) AS failed_logins, count(DISTINCT client_ip) AS distinct_others,
         min(ts) AS first_failure, max(ts) AS last_failure
  FROM f WHERE username IS NOT NULL GROUP BY username
  ORDER BY failed_logins DESC, key LIMIT :limit
),
-- Successful logins in the window, read once through their own index, for first_success_after.
ok AS MATERIALIZED (
  SELECT client_ip, username, ts FROM events WHERE kind = 'login' AND outcome = 'ok' AND ts >= :since AND ts < :until
),
client_success AS (
  SELECT c.key, min(o.ts) AS first_success_after FROM by_client c JOIN ok o ON o.client_ip = c.key AND o.ts >= c.first_failure
  GROUP BY c.key
),
user_success AS (
  SELECT u.key, min(o.ts) AS first_success_after FROM by_user u JOIN ok o ON o.username = u.key AND o.ts >= u.first_failure
  GROUP BY u.key
)
SELECT * FROM (
  SELECT c.*, s.first_success_after FROM by_client c LEFT JOIN client_success s ON s.key = c.key
  UNION ALL
  SELECT u.*, s.first_success_after FROM by_user u LEFT JOIN user_success s ON s.key = u.key
)
ORDER BY by, failed_logins DESC, key
