SELECT ip AS client_ip, failed_logins, ifNull(n_bursts, 0) AS bursts, users_tried, {{iso-seconds column=first_t}} AS first_failure,
       {{iso-seconds column=last_t}} AS last_failure,
       multiIf(n_bursts IS NOT NULL AND failed_logins >= :failures, 'burst, failures', n_bursts IS NOT NULL, 'burst', 'failures') AS listed_for
FROM (
  SELECT ifNull(client_ip, '') AS ip, count() AS failed_logins, ifNull(uniqExact(username), 0) AS users_tried, min(t) AS first_t, max(t) AS last_t
  FROM {{failed-logins}} WHERE client_ip IS NOT NULL GROUP BY ip
) AS t
ANY LEFT JOIN (
  SELECT client_ip AS ip, count() AS n_bursts FROM {{bursts}} GROUP BY ip
) AS b USING ip
WHERE (n_bursts IS NOT NULL OR failed_logins >= :failures)
  -- An IPv4 address (digits and three dots or more) or an IPv6 one (hex digits and colons): not a host name.
  AND ((match(ip, '^[0-9.]*$') AND match(ip, '[.].*[.].*[.]')) OR (match(ip, '^[0-9A-Fa-f:.]*$') AND position(ip, ':') > 0))
  -- :allow is a JSON array of lower-case addresses, none of which holds a quote.
  AND position(:allow, concat('"', lower(ip), '"')) = 0
ORDER BY failed_logins DESC, ip
