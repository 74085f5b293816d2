SELECT username, connections, logins, failed_logins, transfers, bytes_in, bytes_out, failures, events
FROM {{activity column=username}}
ORDER BY multiIf(:sort = 'failures', failures, :sort = 'events', events, bytes_in + bytes_out) DESC, events DESC, username
LIMIT :limit
