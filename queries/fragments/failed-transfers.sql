-- Fragment: the failed transfers in the window, one row per attempt, as a CTE named failed_transfers
-- (every column of events). A failed transfer is an event with kind 'transfer' and outcome 'fail':
-- xferlog's incomplete transfers (status i), vsftpd FAIL UPLOAD/DOWNLOAD, IIS RETR/STOR/APPE with a
-- 4xx/5xx reply. The other lines a log spends on the same attempt are not transfers: vsftpd's 426
-- response of its protocol log is a reply, IIS's DataChannelClosed with an OS error a data-channel
-- event; a vsftpd line that is a copy of an xferlog one (see transfer-copies) is left out. Needs since
-- and until. Use as: WITH {{failed-transfers}} SELECT … FROM failed_transfers
{{transfer-copies}},
failed_transfers AS (
  -- kind_code = 2 is kind = 'transfer', outcome_code = 1 is 'fail': the stored numbers, so the failures' own index serves it.
  SELECT * FROM events WHERE outcome_code = 1 AND kind_code = 2 AND ts_unix >= unixepoch(:since) AND ts_unix < unixepoch(:until)
    AND id NOT IN (SELECT id FROM transfer_copies WHERE outcome_code = 1)
)
