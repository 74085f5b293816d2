-- name: ban-list
-- title: Addresses to ban
-- description: The addresses of the window's brute-force bursts (see brute-force) and those whose failed
-- description: logins reach `failures`, one row each with the evidence: failed logins, bursts, user
-- description: names tried, first and last failure. Host names are left out (a firewall takes
-- description: addresses), and so is every address in the `allow` file. `--format plain` prints the
-- description: addresses alone, one a line, for `ipset`, fail2ban or an nginx deny list.
-- param: since (time) = 24h : only failed logins at or after this time
-- param: until (time) = now : only failed logins before this time
-- param: threshold (int) = 10 : failed logins within the window that make a burst
-- param: window (int) = 10 : burst window length in minutes
-- param: failures (int) = 20 : failed logins in the whole window that list an address without a burst
-- param: allow (addresses) = : a file of addresses never to list, one a line (# for comments)
WITH {{bursts}},
totals AS (
  SELECT client_ip, count(*) AS failed_logins, count(DISTINCT username) AS users_tried, min(t) AS first_t, max(t) AS last_t
  FROM f GROUP BY client_ip
),
burst_counts AS (
  SELECT client_ip, count(*) AS bursts FROM bursts GROUP BY client_ip
)
SELECT t.client_ip, t.failed_logins, coalesce(b.bursts, 0) AS bursts, t.users_tried,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.first_t, 'unixepoch') AS first_failure,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.last_t, 'unixepoch') AS last_failure,
       CASE WHEN b.bursts IS NOT NULL AND t.failed_logins >= :failures THEN 'burst, failures'
            WHEN b.bursts IS NOT NULL THEN 'burst' ELSE 'failures' END AS listed_for
FROM totals t LEFT JOIN burst_counts b ON b.client_ip = t.client_ip
WHERE (b.bursts IS NOT NULL OR t.failed_logins >= :failures)
  -- An IPv4 address (digits and dots) or an IPv6 one (hex digits and colons): not a host name.
  AND ((t.client_ip NOT GLOB '*[^0-9.]*' AND t.client_ip GLOB '*.*.*.*') OR (t.client_ip NOT GLOB '*[^0-9A-Fa-f:.]*' AND t.client_ip GLOB '*:*'))
  AND lower(t.client_ip) NOT IN (SELECT value FROM json_each(:allow))
ORDER BY t.failed_logins DESC, t.client_ip
