-- Fragment (ClickHouse) of overview: the window's rejects per format and server (rg_format,
-- rg_server, r_rejects, r_without): a source's rejects go with the format and server most of its
-- events in the window name (ties: the first server by name), or with the source's own format and no
-- server when it has none there (r_without counts those sources).
(
  SELECT ifNull(h_format, ifNull(s_format, '(unknown)')) AS rg_format, ifNull(h_server, '') AS rg_server, sum(rj) AS r_rejects,
         countIf(h_format IS NULL) AS r_without
  FROM (
    SELECT source_id, rj, s_format FROM (
      SELECT source_id, count() AS rj, any(src_format) AS s_format
      FROM rejects ANY INNER JOIN (SELECT id AS source_id, format AS src_format, first_seen FROM {{current-sources}}) AS s USING source_id
      WHERE ifNull(ts, first_seen) >= :since AND ifNull(ts, first_seen) < :until
      GROUP BY source_id
    )
  ) AS j
  ANY LEFT JOIN (
    SELECT source_id, format AS h_format, server AS h_server FROM (
      SELECT source_id, format, ifNull(server, '') AS server, count() AS n FROM events WHERE ts >= :since AND ts < :until
      GROUP BY source_id, format, server ORDER BY source_id, n DESC, server LIMIT 1 BY source_id
    )
  ) AS h USING source_id
  GROUP BY rg_format, rg_server
)
