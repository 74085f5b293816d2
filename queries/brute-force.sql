-- name: brute-force
-- title: Brute-force bursts of failed logins
-- description: Runs of failed logins from one address, each within `window` minutes of the one before,
-- description: that reach `threshold` failures inside some `window`-minute span. One row per burst: its
-- description: start, end, failures, the most inside one window, and the user names tried.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: threshold (int) = 10 : failed logins within the window that make a burst
-- param: window (int) = 10 : window length in minutes
WITH {{bursts}}
-- minutes: tenths rounded half up in whole numbers, so every store (and version) rounds alike.
SELECT client_ip, strftime('%Y-%m-%dT%H:%M:%SZ', start_t, 'unixepoch') AS burst_start,
       strftime('%Y-%m-%dT%H:%M:%SZ', end_t, 'unixepoch') AS burst_end, failures, peak_in_window,
       ((end_t - start_t + 3) / 6) / 10.0 AS minutes, users_tried, usernames
FROM bursts
ORDER BY failures DESC, burst_start
