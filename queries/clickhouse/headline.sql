-- One pass over the window's events, each marked when it is a copy of a line counted already
-- (login-copies, transfer-copies: joined once, where scalar subqueries would each be run again for
-- every level of subquery around them while 18.16 analyses the query).
SELECT events, failed, if(events > 0, round(100.0 * failed / events, 2), NULL) AS fail_pct, failed_logins, failed_transfers, bytes,
       (SELECT count() FROM rejects ANY INNER JOIN (SELECT id AS source_id, first_seen FROM {{current-sources}}) AS s USING source_id
         WHERE ifNull(ts, first_seen) >= :since AND ifNull(ts, first_seen) < :until) AS rejected,
       sources
FROM (
  SELECT count() AS events, countIf(outcome = 'fail') AS failed,
         countIf(kind = 'login' AND outcome = 'fail' AND ifNull(copy, 0) = 0) AS failed_logins,
         countIf(kind = 'transfer' AND outcome = 'fail' AND ifNull(copy, 0) = 0) AS failed_transfers,
         toInt64(sumIf(ifNull(bytes, 0), kind = 'transfer' AND ifNull(copy, 0) = 0)) AS bytes, uniqExact(source_id) AS sources
  FROM (SELECT source_id, line_no, kind, outcome, bytes FROM events WHERE ts >= :since AND ts < :until) AS e
  ANY LEFT JOIN (
    SELECT source_id, line_no, 1 AS copy FROM {{login-copies}}
    UNION ALL
    SELECT source_id, line_no, 1 AS copy FROM {{transfer-copies}}
  ) AS c USING (source_id, line_no)
)
