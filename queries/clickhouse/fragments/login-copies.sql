-- Fragment (ClickHouse): the failed logins in the window that are a second line about an attempt
-- counted already (see ../../fragments/login-copies.sql for which), as a subquery (source_id,
-- line_no, client_ip, username, t). 18.16 joins on equal keys only: each PAM or REPEAT line is joined
-- to the failed LOGINs by address (or, for PAM naming none, by user name), and the time is compared
-- after. The PAM and REPEAT lines, few, are the join's right side: the side ClickHouse holds in memory.
-- (A bound before the window is made a DateTime: 18.16 compares the time key with no signed number.)
(
  SELECT c_source AS source_id, c_line AS line_no, any(c_ip) AS client_ip, any(c_user) AS username, any(c_t) AS t
  FROM (
    SELECT k, toUInt32(ts) AS v_t FROM events
    ARRAY JOIN [concat('ip:', ifNull(client_ip, '')), concat('user:', ifNull(username, ''))] AS k
    WHERE kind = 'login' AND outcome = 'fail' AND command = 'LOGIN' AND ts >= toDateTime(greatest(:since, 5) - 5) AND ts < :until + 5
  ) AS v
  ALL INNER JOIN (
    SELECT source_id AS c_source, line_no AS c_line, client_ip AS c_ip, username AS c_user, toUInt32(ts) AS c_t,
           if(client_ip IS NOT NULL, concat('ip:', ifNull(client_ip, '')), concat('user:', ifNull(username, ''))) AS k,
           if(command = 'PAM', -1, -5) AS c_lo
    FROM events
    WHERE command IN ('PAM', 'REPEAT') AND kind = 'login' AND outcome = 'fail' AND ts >= :since AND ts < :until
      AND (client_ip IS NOT NULL OR (command = 'PAM' AND username IS NOT NULL))
  ) AS c USING k
  WHERE v_t >= c_t + c_lo AND v_t <= c_t + 5
  GROUP BY c_source, c_line
)
