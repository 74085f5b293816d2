-- Fragment: the transfers in the window that a second log wrote too, as a CTE named transfer_copies
-- (id, client_ip, username, direction_code, outcome_code, bytes, t). vsftpd with dual_log_enable=YES
-- writes each transfer to xferlog and, at the same moment, to vsftpd.log. A vsftpd OK/FAIL
-- UPLOAD/DOWNLOAD is the copy of an xferlog transfer when the two are at most 2 s apart and have the
-- same client address, direction, outcome (xferlog c/i, vsftpd OK/FAIL), byte count and path (xferlog
-- writes a space in a path as _). The xferlog line is the transfer; the vsftpd line stays an event.
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
)
