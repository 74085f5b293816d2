-- Fragment: the transfers in the window that a second log wrote too, as a CTE named transfer_copies
-- (id, client_ip, username, direction_code, outcome_code, bytes, t). Two servers write a transfer
-- twice, at the same moment:
-- - vsftpd with dual_log_enable=YES, to xferlog and to vsftpd.log. A vsftpd OK/FAIL UPLOAD/DOWNLOAD
--   is the copy of an xferlog transfer when the two are at most 2 s apart and have the same client
--   address, direction, outcome (xferlog c/i, vsftpd OK/FAIL), byte count and path (xferlog writes a
--   space in a path as _). The xferlog line is the transfer; the vsftpd line stays an event.
-- - ProFTPD, to its TransferLog (xferlog) and its ExtendedLog. A ProFTPD transfer (only its
--   ExtendedLog has them) is the copy of an xferlog transfer when the two are at most 2 s apart and
--   have the same client, direction, outcome and byte count (none counts as 0), and the same server
--   where both name one (`--server`): the ExtendedLog's path is the command's argument as typed, its
--   user the account where xferlog may name an e-mail.
-- - Pure-FTPd, to syslog and to its AltLog (stats, clf, w3c), whose paths differ in form. A Pure-FTPd
--   transfer is the copy of one in a source read before it (a smaller source id) when the two are at
--   most 2 s apart and have the same client, account, direction, outcome and byte count, and the same
--   server where both name one (two servers' syslogs never pair; an AltLog names none).
-- Each rule is a SELECT of its own: SQLite uses a partial index only for a query that names its
-- condition (the format's code), and one SELECT over the three formats would read the whole window.
-- Needs since and until. Use as: WITH {{transfer-copies}} … (SELECT count(*) FROM transfer_copies)
transfer_copies AS MATERIALIZED (
  -- kind_code = 2 is a transfer, format_code 1 vsftpd and 0 xferlog: each side through its own partial index.
  SELECT v.id, v.client_ip, v.username, v.direction_code, v.outcome_code, v.bytes, v.ts_unix AS t FROM event_rows v
  WHERE v.kind_code = 2 AND v.format_code = 1 AND v.ts_unix >= unixepoch(:since) AND v.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM event_rows x
      WHERE x.kind_code = 2 AND x.format_code = 0 AND x.ts_unix IN (v.ts_unix - 2, v.ts_unix - 1, v.ts_unix, v.ts_unix + 1, v.ts_unix + 2)
        AND x.client_ip = v.client_ip AND +x.bytes = v.bytes AND +x.direction_code = v.direction_code
        AND +x.outcome_code = v.outcome_code AND +x.path = replace(v.path, ' ', '_')
    )
  UNION ALL
  -- format_code 3 is proftpd: its transfers through their own partial index, each probing xferlog's by time and address.
  SELECT v.id, v.client_ip, v.username, v.direction_code, v.outcome_code, v.bytes, v.ts_unix AS t FROM event_rows v
  WHERE v.kind_code = 2 AND v.format_code = 3 AND v.ts_unix >= unixepoch(:since) AND v.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM event_rows x
      WHERE x.kind_code = 2 AND x.format_code = 0 AND x.ts_unix IN (v.ts_unix - 2, v.ts_unix - 1, v.ts_unix, v.ts_unix + 1, v.ts_unix + 2)
        AND x.client_ip = v.client_ip AND coalesce(+x.bytes, 0) = coalesce(v.bytes, 0) AND +x.direction_code = v.direction_code
        AND +x.outcome_code = v.outcome_code AND (x.server IS NULL OR v.server IS NULL OR x.server = v.server)
    )
  UNION ALL
  -- format_code 4 is pure-ftpd: its transfers through their own partial index.
  SELECT v.id, v.client_ip, v.username, v.direction_code, v.outcome_code, v.bytes, v.ts_unix AS t FROM event_rows v
  WHERE v.kind_code = 2 AND v.format_code = 4 AND v.ts_unix >= unixepoch(:since) AND v.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM event_rows x
      WHERE x.kind_code = 2 AND x.format_code = 4 AND x.ts_unix IN (v.ts_unix - 2, v.ts_unix - 1, v.ts_unix, v.ts_unix + 1, v.ts_unix + 2)
        AND x.client_ip = v.client_ip AND +x.source_id < v.source_id AND +x.bytes = v.bytes AND +x.direction_code = v.direction_code
        AND +x.outcome_code = v.outcome_code AND +x.username IS v.username
        AND (x.server IS NULL OR v.server IS NULL OR x.server = v.server)
    )
)
