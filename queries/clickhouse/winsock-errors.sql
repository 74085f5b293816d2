SELECT number, ifNull(w_name, '(unknown)') AS name, w_winsock AS winsock, ifNull(w_meaning, '') AS meaning, server, client_ip, events, on_success,
       failed, {{iso column=first}} AS first_ts, {{iso column=last}} AS last_ts
FROM (
  SELECT assumeNotNull(win32_status) AS number, server, client_ip, count() AS events, countIf(outcome = 'ok') AS on_success,
         countIf(outcome = 'fail') AS failed, min(ts) AS first, max(ts) AS last
  FROM events WHERE ifNull(win32_status, 0) != 0 AND ts >= :since AND ts < :until
  GROUP BY number, server, client_ip
) AS e
ANY LEFT JOIN (SELECT number, name AS w_name, winsock AS w_winsock, meaning AS w_meaning FROM win32_statuses) AS w USING number
ORDER BY events DESC, number, server ASC NULLS FIRST, client_ip ASC NULLS FIRST
LIMIT :limit
