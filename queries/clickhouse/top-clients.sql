SELECT client_ip, connections, logins, failed_logins, transfers, bytes_in, bytes_out, failures, events
FROM {{activity column=client_ip}}
ORDER BY multiIf(:sort = 'failures', failures, :sort = 'events', events, bytes_in + bytes_out) DESC, events DESC, client_ip
LIMIT :limit
