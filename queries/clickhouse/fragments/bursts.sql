-- Fragment (ClickHouse): the bursts of failed logins (see ../../fragments/bursts.sql), as a subquery
-- (client_ip, run, start_t, end_t, failures, peak_in_window, users_tried, usernames, tried). 18.16
-- has no window functions: each address's failures are one sorted array; a run starts where the gap
-- to the one before is :window minutes or more (a running sum of those starts numbers the runs), and
-- the failures within :window minutes from each one are #{x < t + w} - #{x < t}, read off one sort of
-- the times merged with markers. No lambda captures an array (that copies it per element).
(
  SELECT client_ip, run, min(t) AS start_t, max(t) AS end_t, count() AS failures, max(in_window) AS peak_in_window,
         ifNull(uniqExact(username), 0) AS users_tried, nullIf(arrayStringConcat(arraySort(groupUniqArray(username)), ','), '') AS usernames,
         groupUniqArray(username) AS tried
  FROM (
    SELECT client_ip, e.1 AS t, e.2 AS username, e.3 AS run, e.4 AS in_window
    FROM (
      SELECT client_ip, ts, us,
        arrayCumSum(arrayMap((x, p) -> if(x - p < :window * 60, 0, 1), ts, arrayPushFront(arrayPopBack(ts), toUInt32(0)))) AS runs,
        arraySort(arrayConcat(arrayMap(x -> (toUInt64(x + :window * 60), 0), ts), arrayMap(x -> (toUInt64(x), 1), ts))) AS m_end,
        arraySort(arrayConcat(arrayMap(x -> (x, 0), ts), arrayMap(x -> (x, 1), ts))) AS m_start,
        arrayFilter((c, p) -> p.2 = 0, arrayCumSum(arrayMap(p -> p.2, m_end)), m_end) AS below_end,
        arrayFilter((c, p) -> p.2 = 0, arrayCumSum(arrayMap(p -> p.2, m_start)), m_start) AS below_start,
        arrayMap((a, b) -> a - b, below_end, below_start) AS in_win
      FROM (
        SELECT ip AS client_ip, arrayMap(x -> x.1, pairs) AS ts, arrayMap(x -> x.2, pairs) AS us
        FROM (SELECT ifNull(client_ip, '') AS ip, arraySort(groupArray((t, username))) AS pairs
              FROM {{failed-logins}} WHERE client_ip IS NOT NULL GROUP BY ip)
      )
    )
    ARRAY JOIN arrayMap((a, b, c, d) -> (a, b, c, d), ts, us, runs, in_win) AS e
  )
  GROUP BY client_ip, run
  HAVING max(in_window) >= :threshold
)
