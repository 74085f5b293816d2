SELECT reply_code, ifNull(rc_meaning, if(format = 'xferlog', 'incomplete transfer (xferlog status i)', 'transfer failed (no reply code logged)')) AS meaning,
       win32_status, winsock_name, direction, client_ip, username, path, errors, bytes, {{iso column=first}} AS first_ts, {{iso column=last}} AS last_ts
FROM (
  SELECT path, client_ip, username, reply_code, win32_status, winsock_name, direction, kind, format, ifNull(reply_code, -1) AS code,
         count() AS errors, toInt64(sum(ifNull(bytes, 0))) AS bytes, min(ts) AS first, max(ts) AS last
  FROM {{failed-transfers}}
  GROUP BY path, client_ip, username, reply_code, win32_status, winsock_name, direction, kind, format
) AS e
ANY LEFT JOIN (SELECT code, meaning AS rc_meaning FROM reply_codes) AS m USING code
-- SQLite puts NULL first when sorting up: so does NULLS FIRST.
ORDER BY errors DESC, last DESC, path ASC NULLS FIRST, client_ip ASC NULLS FIRST, username ASC NULLS FIRST, reply_code ASC NULLS FIRST,
         win32_status ASC NULLS FIRST, winsock_name ASC NULLS FIRST, direction ASC NULLS FIRST, kind, format
LIMIT :limit
