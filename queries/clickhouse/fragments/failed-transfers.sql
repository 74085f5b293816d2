-- Fragment (ClickHouse): the failed transfers in the window, one row per attempt (see
-- ../../fragments/failed-transfers.sql), as a subquery with every column of events.
(
  SELECT * FROM events
  WHERE kind = 'transfer' AND outcome = 'fail' AND ts >= :since AND ts < :until
    AND (source_id, line_no) NOT IN (SELECT source_id, line_no FROM {{transfer-copies}} WHERE outcome = 'fail')
)
