-- Fragment (ClickHouse): the transfers in the window that a second log wrote too (see
-- ../../fragments/transfer-copies.sql for the rules: vsftpd's and ProFTPD's copies of xferlog
-- transfers, Pure-FTPd's copies of a transfer in a source with a smaller id), as a subquery
-- (source_id, line_no, client_ip, username, direction, outcome, bytes): joined on the equal parts,
-- the 2 s and the rest compared after. Only the xferlog transfers from addresses that vsftpd (or
-- ProFTPD) logged a transfer for are held for the join: none, where the server writes one log. Each
-- rule joins on keys of its own (the vsftpd rule's path, the Pure-FTPd rule's account), so each is a
-- SELECT of its own.
-- (A bound before the window is made a DateTime: 18.16 compares the time key with no signed number.)
(
  SELECT v_source AS source_id, v_line AS line_no, any(v_ip) AS client_ip, any(v_user) AS username, any(v_dir) AS direction,
         any(k_out) AS outcome, any(k_bytes) AS bytes
  FROM (
    SELECT source_id AS v_source, line_no AS v_line, client_ip AS v_ip, username AS v_user, direction AS v_dir, toUInt32(ts) AS v_t,
           ifNull(client_ip, '') AS k_ip, ifNull(bytes, -1) AS k_bytes, ifNull(direction, '') AS k_dir, outcome AS k_out,
           replaceAll(ifNull(path, ''), ' ', '_') AS k_path
    FROM events
    WHERE kind = 'transfer' AND format = 'vsftpd' AND ts >= :since AND ts < :until
      AND client_ip IS NOT NULL AND bytes IS NOT NULL AND direction IS NOT NULL AND path IS NOT NULL
  ) AS v
  ALL INNER JOIN (
    SELECT ifNull(client_ip, '') AS k_ip, ifNull(bytes, -1) AS k_bytes, ifNull(direction, '') AS k_dir, outcome AS k_out,
           ifNull(path, '') AS k_path, toUInt32(ts) AS x_t
    FROM events
    WHERE kind = 'transfer' AND format = 'xferlog' AND ts >= toDateTime(greatest(:since, 2) - 2) AND ts < :until + 2
      AND client_ip IS NOT NULL AND bytes IS NOT NULL AND direction IS NOT NULL AND path IS NOT NULL
      AND client_ip IN (SELECT client_ip FROM events WHERE kind = 'transfer' AND format = 'vsftpd' AND ts >= :since AND ts < :until)
  ) AS x USING (k_ip, k_bytes, k_dir, k_out, k_path)
  WHERE x_t >= v_t - 2 AND x_t <= v_t + 2
  GROUP BY v_source, v_line
  UNION ALL
  SELECT v_source AS source_id, v_line AS line_no, any(v_ip) AS client_ip, any(v_user) AS username, any(v_dir) AS direction,
         any(k_out) AS outcome, any(k_bytes) AS bytes
  FROM (
    SELECT source_id AS v_source, line_no AS v_line, client_ip AS v_ip, username AS v_user, direction AS v_dir, toUInt32(ts) AS v_t,
           server AS v_server, ifNull(client_ip, '') AS k_ip, ifNull(bytes, 0) AS k_bytes, ifNull(direction, '') AS k_dir, outcome AS k_out
    FROM events
    WHERE kind = 'transfer' AND format = 'proftpd' AND ts >= :since AND ts < :until AND client_ip IS NOT NULL AND direction IS NOT NULL
  ) AS v
  ALL INNER JOIN (
    SELECT ifNull(client_ip, '') AS k_ip, ifNull(bytes, 0) AS k_bytes, ifNull(direction, '') AS k_dir, outcome AS k_out, toUInt32(ts) AS x_t,
           server AS x_server
    FROM events
    WHERE kind = 'transfer' AND format = 'xferlog' AND ts >= toDateTime(greatest(:since, 2) - 2) AND ts < :until + 2
      AND client_ip IS NOT NULL AND direction IS NOT NULL
      AND client_ip IN (SELECT client_ip FROM events WHERE kind = 'transfer' AND format = 'proftpd' AND ts >= :since AND ts < :until)
  ) AS x USING (k_ip, k_bytes, k_dir, k_out)
  WHERE x_t >= v_t - 2 AND x_t <= v_t + 2 AND (isNull(x_server) OR isNull(v_server) OR x_server = v_server)
  GROUP BY v_source, v_line
  UNION ALL
  SELECT v_source AS source_id, v_line AS line_no, any(v_ip) AS client_ip, any(v_user) AS username, any(v_dir) AS direction,
         any(k_out) AS outcome, any(k_bytes) AS bytes
  FROM (
    SELECT source_id AS v_source, line_no AS v_line, client_ip AS v_ip, username AS v_user, direction AS v_dir, toUInt32(ts) AS v_t,
           server AS v_server, ifNull(client_ip, '') AS k_ip, ifNull(username, '') AS k_user, isNull(username) AS k_no_user,
           ifNull(bytes, -1) AS k_bytes, ifNull(direction, '') AS k_dir, outcome AS k_out
    FROM events
    WHERE kind = 'transfer' AND format = 'pure-ftpd' AND ts >= :since AND ts < :until
      AND client_ip IS NOT NULL AND bytes IS NOT NULL AND direction IS NOT NULL
  ) AS v
  ALL INNER JOIN (
    SELECT ifNull(client_ip, '') AS k_ip, ifNull(username, '') AS k_user, isNull(username) AS k_no_user, ifNull(bytes, -1) AS k_bytes,
           ifNull(direction, '') AS k_dir, outcome AS k_out, toUInt32(ts) AS x_t, source_id AS x_source, server AS x_server
    FROM events
    WHERE kind = 'transfer' AND format = 'pure-ftpd' AND ts >= toDateTime(greatest(:since, 2) - 2) AND ts < :until + 2
      AND client_ip IS NOT NULL AND bytes IS NOT NULL AND direction IS NOT NULL
  ) AS x USING (k_ip, k_user, k_no_user, k_bytes, k_dir, k_out)
  WHERE x_t >= v_t - 2 AND x_t <= v_t + 2 AND x_source < v_source AND (isNull(x_server) OR isNull(v_server) OR x_server = v_server)
  GROUP BY v_source, v_line
)
