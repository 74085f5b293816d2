SELECT period, events, failed, round(100.0 * failed / events, 2) AS fail_pct, failed_4xx, failed_5xx, top_failing_command, top_failing_count
FROM (
  SELECT if(:bucket = 'hour', concat(replaceOne(substring(toString(ts), 1, 13), ' ', 'T'), ':00Z'), substring(toString(ts), 1, 10)) AS period,
         count() AS events, countIf(outcome = 'fail') AS failed,
         countIf(outcome = 'fail' AND ifNull(reply_code, 0) >= 400 AND ifNull(reply_code, 0) <= 499) AS failed_4xx,
         countIf(outcome = 'fail' AND ifNull(reply_code, 0) >= 500 AND ifNull(reply_code, 0) <= 599) AS failed_5xx
  FROM events WHERE ts >= :since AND ts < :until GROUP BY period
) AS p
ANY LEFT JOIN (
  -- LIMIT 1 BY: each period's most frequent failing command (ties by name), as row_number() = 1 would.
  SELECT period, command AS top_failing_command, n AS top_failing_count FROM (
    SELECT if(:bucket = 'hour', concat(replaceOne(substring(toString(ts), 1, 13), ' ', 'T'), ':00Z'), substring(toString(ts), 1, 10)) AS period,
           ifNull(command, '') AS command, count() AS n
    FROM events WHERE outcome = 'fail' AND ifNull(command, '') != '' AND ts >= :since AND ts < :until
    GROUP BY period, command ORDER BY period, n DESC, command LIMIT 1 BY period
  )
) AS c USING period
ORDER BY period
