-- name: top-users
-- title: Busiest user names
-- description: Per user name: connections, successful and failed logins, transfers, bytes uploaded (in) and
-- description: downloaded (out), and failures of any kind, busiest first (by bytes moved, failures or events: the sort parameter).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: limit (int) = 20 : rows
-- param: sort (bytes|failures|events) = bytes : what makes a row top: bytes moved, failures or events
WITH {{activity-window table=rollup_users column=username}}
SELECT * FROM totals
ORDER BY CASE :sort WHEN 'failures' THEN failures WHEN 'events' THEN events ELSE bytes_in + bytes_out END DESC, events DESC, username
LIMIT :limit
