-- name: transfer-errors
-- title: Failed and incomplete transfers
-- description: Failed or incomplete uploads and downloads, one per attempt (xferlog incomplete transfers,
-- description: vsftpd FAIL UPLOAD/DOWNLOAD, IIS 425/426/451/550/552/553 on RETR/STOR), grouped by reply code,
-- description: OS error, client, user and path. Their sum is the headline's failed transfers.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 200 : rows
WITH {{failed-transfers}}
SELECT e.reply_code,
       coalesce(rc.meaning,
         CASE WHEN e.format = 'xferlog' THEN 'incomplete transfer (xferlog status i)' ELSE 'transfer failed (no reply code logged)' END) AS meaning,
       e.win32_status, e.winsock_name, e.direction, e.client_ip, e.username, e.path,
       count(*) AS errors, sum(coalesce(e.bytes, 0)) AS bytes, strftime('%Y-%m-%dT%H:%M:%SZ', min(e.ts_unix), 'unixepoch') AS first_ts,
       strftime('%Y-%m-%dT%H:%M:%SZ', max(e.ts_unix), 'unixepoch') AS last_ts
FROM failed_transfers e
LEFT JOIN reply_codes rc ON rc.code = e.reply_code
-- Most groups are one failure each: path first lets the sort tell two apart at its first column
-- (a third faster on 250k failures), and the keys after errors and time make the order, and so
-- what a limit cuts, the same every run.
GROUP BY e.path, e.client_ip, e.username, e.reply_code, e.win32_status, e.winsock_name, e.direction, e.kind, e.format
ORDER BY errors DESC, last_ts DESC, e.path, e.client_ip, e.username, e.reply_code, e.win32_status, e.winsock_name,
         e.direction, e.kind, e.format
LIMIT :limit
