SELECT events, failed, if(events > 0, round(100.0 * failed / events, 2), NULL) AS fail_pct,
       failed_login_lines - (SELECT count() FROM {{login-copies}}) AS failed_logins,
       failed_transfer_lines - (SELECT count() FROM {{transfer-copies}} WHERE outcome = 'fail') AS failed_transfers,
       transfer_bytes - (SELECT ifNull(sum(bytes), 0) FROM {{transfer-copies}}) AS bytes,
       (SELECT count() FROM rejects ANY INNER JOIN (SELECT id AS source_id, first_seen FROM {{current-sources}}) AS s USING source_id
         WHERE ifNull(ts, first_seen) >= :since AND ifNull(ts, first_seen) < :until) AS rejected,
       sources
FROM (
  SELECT count() AS events, countIf(outcome = 'fail') AS failed, countIf(kind = 'login' AND outcome = 'fail') AS failed_login_lines,
         countIf(kind = 'transfer' AND outcome = 'fail') AS failed_transfer_lines, toInt64(sumIf(ifNull(bytes, 0), kind = 'transfer')) AS transfer_bytes,
         uniqExact(source_id) AS sources
  FROM events WHERE ts >= :since AND ts < :until
)
