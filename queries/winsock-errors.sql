-- name: winsock-errors
-- title: Winsock and Win32 errors
-- description: Non-zero OS error numbers (IIS sc-win32-status, or a Winsock number quoted in a reply) by
-- description: name and meaning, per server and client; on_success counts the lines that carried the
-- description: error on a successful reply.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 200 : rows
SELECT e.win32_status AS number, coalesce(w.name, '(unknown)') AS name, w.winsock, coalesce(w.meaning, '') AS meaning,
       e.server, e.client_ip, count(*) AS events, sum(e.outcome = 'ok') AS on_success, sum(e.outcome = 'fail') AS failed,
       strftime('%Y-%m-%dT%H:%M:%SZ', min(e.ts_unix), 'unixepoch') AS first_ts,
       strftime('%Y-%m-%dT%H:%M:%SZ', max(e.ts_unix), 'unixepoch') AS last_ts
FROM events e
LEFT JOIN win32_statuses w ON w.number = e.win32_status
WHERE e.win32_status <> 0 AND e.ts_unix >= unixepoch(:since) AND e.ts_unix < unixepoch(:until)
GROUP BY e.win32_status, e.server, e.client_ip
ORDER BY events DESC, number, e.server, e.client_ip
LIMIT :limit
