-- Fragment (ClickHouse): per-{column} activity totals in the window (see
-- ../../fragments/activity-window.sql), as a subquery ({column}, connections, logins, failed_logins,
-- transfers, bytes_in, bytes_out, failures, events), read from the events themselves: a failed login
-- or transfer that another line counts already is taken off (login-copies, transfer-copies).
-- Use as: FROM {{activity column=client_ip}}
(
  SELECT a_key AS {column}, sum(a_connections) AS connections, sum(a_logins) AS logins, sum(a_failed_logins) AS failed_logins,
         sum(a_transfers) AS transfers, sum(a_bytes_in) AS bytes_in, sum(a_bytes_out) AS bytes_out, sum(a_failures) AS failures,
         sum(a_events) AS events
  FROM (
    SELECT ifNull({column}, '') AS a_key, toInt64(countIf(kind = 'connect')) AS a_connections,
           toInt64(countIf(kind = 'login' AND outcome = 'ok')) AS a_logins, toInt64(countIf(kind = 'login' AND outcome = 'fail')) AS a_failed_logins,
           toInt64(countIf(kind = 'transfer')) AS a_transfers,
           toInt64(sumIf(ifNull(bytes, 0), kind = 'transfer' AND ifNull(direction, '') = 'upload')) AS a_bytes_in,
           toInt64(sumIf(ifNull(bytes, 0), kind = 'transfer' AND ifNull(direction, '') = 'download')) AS a_bytes_out,
           toInt64(countIf(outcome = 'fail')) AS a_failures, toInt64(count()) AS a_events
    FROM events WHERE {column} IS NOT NULL AND ts >= :since AND ts < :until GROUP BY a_key
    UNION ALL
    SELECT ifNull({column}, '') AS a_key, toInt64(0), toInt64(0), -toInt64(count()), toInt64(0), toInt64(0), toInt64(0), -toInt64(count()), toInt64(0)
    FROM {{login-copies}} WHERE {column} IS NOT NULL GROUP BY a_key
    UNION ALL
    SELECT ifNull({column}, '') AS a_key, toInt64(0), toInt64(0), toInt64(0), -toInt64(count()),
           -toInt64(sumIf(ifNull(bytes, 0), ifNull(direction, '') = 'upload')), -toInt64(sumIf(ifNull(bytes, 0), ifNull(direction, '') = 'download')),
           -toInt64(countIf(outcome = 'fail')), toInt64(0)
    FROM {{transfer-copies}} WHERE {column} IS NOT NULL GROUP BY a_key
  )
  GROUP BY a_key
)
