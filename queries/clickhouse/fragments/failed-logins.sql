-- Fragment (ClickHouse): the failed logins in the window, one row per attempt (see
-- ../../fragments/failed-logins.sql), as a subquery (source_id, line_no, client_ip, username, t).
-- The copies are left out by a join, not NOT IN: 18.16 runs an IN's subquery again for every level
-- of subquery around it while it analyses the query.
(
  SELECT source_id, line_no, client_ip, username, t FROM (
    SELECT source_id, line_no, client_ip, username, toUInt32(ts) AS t FROM events
    WHERE kind = 'login' AND outcome = 'fail' AND ts >= :since AND ts < :until
  ) AS f
  ANY LEFT JOIN (SELECT source_id, line_no, 1 AS is_copy FROM {{login-copies}}) AS c USING (source_id, line_no)
  WHERE ifNull(is_copy, 0) = 0
)
