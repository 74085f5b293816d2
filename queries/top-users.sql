-- name: top-users
-- title: Busiest user names
-- description: Per user name: successful and failed logins, transfers, bytes uploaded (in) and downloaded
-- description: (out), failures of any kind and the client addresses used, busiest (most bytes) first.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 20 : rows
SELECT username, sum(kind = 'login' AND outcome = 'ok') AS logins, sum(kind = 'login' AND outcome = 'fail') AS failed_logins,
       sum(kind = 'transfer') AS transfers,
       sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END) AS bytes_in,
       sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END) AS bytes_out,
       sum(outcome = 'fail') AS failures, count(DISTINCT client_ip) AS clients, count(*) AS events
FROM events
WHERE username IS NOT NULL AND ts >= :since AND ts < :until
GROUP BY username
ORDER BY bytes_in + bytes_out DESC, events DESC, username
LIMIT :limit
