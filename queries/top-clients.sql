-- name: top-clients
-- title: Busiest client addresses
-- description: Per client address: connections, successful and failed logins, transfers, bytes uploaded
-- description: (in) and downloaded (out), and failures of any kind, busiest first (by bytes moved, failures or events: the sort parameter).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 20 : rows
-- param: sort (bytes|failures|events) = bytes : what makes a row top: bytes moved, failures or events
WITH {{activity-window table=rollup_clients column=client_ip}}
SELECT * FROM totals
ORDER BY CASE :sort WHEN 'failures' THEN failures WHEN 'events' THEN events ELSE bytes_in + bytes_out END DESC, events DESC, client_ip
LIMIT :limit
