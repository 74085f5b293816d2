-- name: top-clients
-- title: Busiest client addresses
-- description: Per client address: connections, successful and failed logins, transfers, bytes uploaded
-- description: (in) and downloaded (out), and failures of any kind, busiest (most bytes) first.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 20 : rows
SELECT client_ip, sum(kind = 'connect') AS connections, sum(kind = 'login' AND outcome = 'ok') AS logins,
       sum(kind = 'login' AND outcome = 'fail') AS failed_logins, sum(kind = 'transfer') AS transfers,
       sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END) AS bytes_in,
       sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END) AS bytes_out,
       sum(outcome = 'fail') AS failures, count(*) AS events
FROM events
WHERE client_ip IS NOT NULL AND ts >= :since AND ts < :until
GROUP BY client_ip
ORDER BY bytes_in + bytes_out DESC, events DESC, client_ip
LIMIT :limit
