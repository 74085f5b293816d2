-- Fragment (ClickHouse): the failed logins in the window, one row per attempt (see
-- ../../fragments/failed-logins.sql), as a subquery (source_id, line_no, client_ip, username, t).
(
  SELECT source_id, line_no, client_ip, username, toUInt32(ts) AS t FROM events
  WHERE kind = 'login' AND outcome = 'fail' AND ts >= :since AND ts < :until
    AND (source_id, line_no) NOT IN (SELECT source_id, line_no FROM {{login-copies}})
)
