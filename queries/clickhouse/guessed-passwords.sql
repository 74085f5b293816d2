-- Each burst's first successful login after it (burst-logins), and the transfers by that login's
-- address (and user, when it names one) from then to the window's end, a transfer two logs wrote counted once.
SELECT b_ip AS client_ip, {{iso-seconds column=start_t}} AS burst_start, {{iso-seconds column=end_t}} AS burst_end, failures,
       {{iso-seconds column=login_t}} AS login_at, login_client, login_user, ifNull(m_transfers, 0) AS transfers_after, ifNull(m_bytes, 0) AS bytes_after
FROM {{burst-logins}} AS h
ANY LEFT JOIN (
  SELECT b_ip, run, count() AS m_transfers, toInt64(sum(ifNull(bytes, 0))) AS m_bytes
  FROM (
    SELECT e_ip, e_user, bytes, e_t FROM (
      SELECT source_id, line_no, ifNull(client_ip, '') AS e_ip, username AS e_user, bytes, toUInt32(ts) AS e_t FROM events
      WHERE kind = 'transfer' AND client_ip IS NOT NULL AND ts >= :since AND ts < :until
    ) AS t
    ANY LEFT JOIN (SELECT source_id, line_no, 1 AS is_copy FROM {{transfer-copies}}) AS c USING (source_id, line_no)
    WHERE ifNull(is_copy, 0) = 0
  ) AS e
  ALL INNER JOIN (
    SELECT b_ip, run, login_t AS m_login_t, ifNull(login_client, '') AS e_ip, login_user AS m_user
    FROM {{burst-logins}} WHERE login_client IS NOT NULL
  ) AS l USING e_ip
  WHERE e_t >= m_login_t AND (m_user IS NULL OR e_user = m_user)
  GROUP BY b_ip, run
) AS m USING (b_ip, run)
ORDER BY login_t, client_ip
