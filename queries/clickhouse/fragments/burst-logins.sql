-- Fragment (ClickHouse) of guessed-passwords: each burst (see bursts) with the earliest successful
-- login at or after its start from its address or for a user name it tried (ties: the address, then
-- the user name, NULLs first as SQLite sorts them), as a subquery (b_ip, run, start_t, end_t,
-- failures, login_t, login_client, login_user). 18.16 joins on equal keys only: bursts and logins
-- meet on keys ip:… and user:…, and the time is compared after; the bursts, few, are the right side.
(
  SELECT b_ip, run, start_t, end_t, failures, login_t, login_client, login_user
  FROM (
    SELECT k, toUInt32(ts) AS login_t, client_ip AS login_client, username AS login_user FROM events
    ARRAY JOIN [concat('ip:', ifNull(client_ip, '')), concat('user:', ifNull(username, ''))] AS k
    WHERE kind = 'login' AND outcome = 'ok' AND ts >= :since AND ts < :until
      AND ((k LIKE 'ip:%' AND client_ip IS NOT NULL) OR (k LIKE 'user:%' AND username IS NOT NULL))
  ) AS o
  ALL INNER JOIN (
    SELECT client_ip AS b_ip, run, start_t, end_t, failures, k FROM {{bursts}}
    ARRAY JOIN arrayConcat([concat('ip:', client_ip)], arrayMap(u -> concat('user:', u), tried)) AS k
  ) AS b USING k
  WHERE login_t >= start_t
  ORDER BY b_ip, run, login_t, isNotNull(login_client), login_client, isNotNull(login_user), login_user
  LIMIT 1 BY b_ip, run
)
