-- Fragment (ClickHouse): the failed transfers in the window, one row per attempt (see
-- ../../fragments/failed-transfers.sql), as a subquery with every column of events. The copies are
-- left out by a join (see failed-logins for why not NOT IN).
(
  SELECT * FROM (SELECT * FROM events WHERE kind = 'transfer' AND outcome = 'fail' AND ts >= :since AND ts < :until) AS f
  ANY LEFT JOIN (SELECT source_id, line_no, 1 AS is_copy FROM {{transfer-copies}} WHERE outcome = 'fail') AS c USING (source_id, line_no)
  WHERE ifNull(is_copy, 0) = 0
)
