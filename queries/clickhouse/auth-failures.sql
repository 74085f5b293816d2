-- The failed logins by address and by user name, each joined to the successful logins with the same
-- key at or after its first failure (18.16 joins on equal keys only: the time is compared after).
SELECT by, key, failed_logins, distinct_others, {{iso-seconds column=first_t}} AS first_failure, {{iso-seconds column=last_t}} AS last_failure,
       {{iso-seconds column=ok_t}} AS first_success_after
FROM (
  SELECT by, key, failed_logins, distinct_others, first_t, last_t, ok_t
  FROM (
    SELECT * FROM (
      SELECT 'client_ip' AS by, ifNull(client_ip, '') AS key, count() AS failed_logins, ifNull(uniqExact(username), 0) AS distinct_others,
             min(t) AS first_t, max(t) AS last_t
      FROM {{failed-logins}} WHERE client_ip IS NOT NULL GROUP BY key ORDER BY failed_logins DESC, key LIMIT :limit
    )
    UNION ALL
    SELECT * FROM (
      SELECT 'username' AS by, ifNull(username, '') AS key, count() AS failed_logins, ifNull(uniqExact(client_ip), 0) AS distinct_others,
             min(t) AS first_t, max(t) AS last_t
      FROM {{failed-logins}} WHERE username IS NOT NULL GROUP BY key ORDER BY failed_logins DESC, key LIMIT :limit
    )
  ) AS f
  ANY LEFT JOIN (
    SELECT by, key, min(o_t) AS ok_t
    FROM (
      SELECT by, key, min(t) AS first_t FROM (
        SELECT 'client_ip' AS by, ifNull(client_ip, '') AS key, t FROM {{failed-logins}} WHERE client_ip IS NOT NULL
        UNION ALL
        SELECT 'username' AS by, ifNull(username, '') AS key, t FROM {{failed-logins}} WHERE username IS NOT NULL
      ) GROUP BY by, key
    ) AS first
    ALL INNER JOIN (
      SELECT by, key, toUInt32(ts) AS o_t FROM events
      ARRAY JOIN ['client_ip', 'username'] AS by, [ifNull(client_ip, ''), ifNull(username, '')] AS key
      WHERE kind = 'login' AND outcome = 'ok' AND ts >= :since AND ts < :until
        AND ((by = 'client_ip' AND client_ip IS NOT NULL) OR (by = 'username' AND username IS NOT NULL))
    ) AS ok USING (by, key)
    WHERE o_t >= first_t
    GROUP BY by, key
  ) AS s USING (by, key)
)
ORDER BY by, failed_logins DESC, key
