-- Per format and server: the events' figures, and the rejects of each source counted with the
-- server most of its events name (as the SQLite text does), every key from either side kept.
SELECT g_format AS format, g_server AS server, {{iso column=p_first}} AS first_ts, {{iso column=p_last}} AS last_ts,
       ifNull(p_events, 0) AS events, ifNull(p_ok, 0) AS ok, ifNull(p_failed, 0) AS failed, ifNull(p_pending, 0) AS pending,
       if(ifNull(p_events, 0) = 0, NULL, round(100.0 * p_failed / p_events, 2)) AS fail_pct,
       ifNull(r_rejects, 0) AS rejects, ifNull(p_sources, 0) + ifNull(r_without, 0) AS sources
FROM (
  SELECT g_format, g_server, p_first, p_last, p_events, p_ok, p_failed, p_pending, p_sources
  FROM (
    SELECT g_format, g_server FROM (
      SELECT format AS g_format, ifNull(server, '') AS g_server FROM events WHERE ts >= :since AND ts < :until
      UNION ALL
      SELECT rg_format AS g_format, rg_server AS g_server FROM {{overview-rejects}}
    ) GROUP BY g_format, g_server
  ) AS g
  ANY LEFT JOIN (
    SELECT format AS g_format, ifNull(server, '') AS g_server, min(ts) AS p_first, max(ts) AS p_last, count() AS p_events,
           countIf(outcome = 'ok') AS p_ok, countIf(outcome = 'fail') AS p_failed, countIf(outcome = 'pending') AS p_pending,
           uniqExact(source_id) AS p_sources
    FROM events WHERE ts >= :since AND ts < :until GROUP BY g_format, g_server
  ) AS p USING (g_format, g_server)
) AS gp
ANY LEFT JOIN (
  SELECT rg_format AS g_format, rg_server AS g_server, r_rejects, r_without FROM {{overview-rejects}}
) AS r USING (g_format, g_server)
ORDER BY format, server
