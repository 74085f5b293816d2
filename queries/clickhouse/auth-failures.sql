-- The failed logins and the successful ones by address and by user name in one pass: per key, the
-- failures' figures, and the successful logins' times at or after its first failure (an array per key
-- of its successes, filtered with the key's own first failure: no join, no array captured per element).
SELECT by, key, failed_logins, distinct_others, {{iso-seconds column=first_t}} AS first_failure, {{iso-seconds column=last_t}} AS last_failure,
       if(empty(after), NULL, {{iso-seconds column=ok_min}}) AS first_success_after
FROM (
  SELECT by, key, failed_logins, distinct_others, first_t, last_t, arrayFilter(x -> x >= first_t, ok_ts) AS after, arrayReduce('min', after) AS ok_min
  FROM (
    SELECT by, key, countIf(failed) AS failed_logins, uniqExactIf(other, failed AND other != '') AS distinct_others,
           minIf(t, failed) AS first_t, maxIf(t, failed) AS last_t, groupArrayIf(t, NOT failed) AS ok_ts
    FROM (
      SELECT by, key, other, t, 1 AS failed FROM {{failed-logins}}
      ARRAY JOIN ['client_ip', 'username'] AS by, [ifNull(client_ip, ''), ifNull(username, '')] AS key, [ifNull(username, ''), ifNull(client_ip, '')] AS other
      WHERE key != '' AND ((by = 'client_ip' AND client_ip IS NOT NULL) OR (by = 'username' AND username IS NOT NULL))
      UNION ALL
      SELECT by, key, '' AS other, toUInt32(ts) AS t, 0 AS failed FROM events
      ARRAY JOIN ['client_ip', 'username'] AS by, [ifNull(client_ip, ''), ifNull(username, '')] AS key
      WHERE kind = 'login' AND outcome = 'ok' AND ts >= :since AND ts < :until
        AND ((by = 'client_ip' AND client_ip IS NOT NULL) OR (by = 'username' AND username IS NOT NULL))
    )
    GROUP BY by, key
    HAVING failed_logins > 0
    ORDER BY by, failed_logins DESC, key
    LIMIT :limit BY by
  )
)
ORDER BY by, failed_logins DESC, key
