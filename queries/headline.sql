-- name: headline
-- title: Headline figures
-- description: One row for a window: events, failed events and the failure rate, failed logins, failed
-- description: transfers, bytes moved by transfers, rejected lines and the sources with events in it.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
WITH {{hourly-window}}, {{login-copies}}, {{transfer-copies}}
SELECT coalesce(sum(events), 0) AS events,
       coalesce(sum(CASE WHEN outcome = 'fail' THEN events ELSE 0 END), 0) AS failed,
       CASE WHEN sum(events) > 0 THEN round(100.0 * sum(CASE WHEN outcome = 'fail' THEN events ELSE 0 END) / sum(events), 2) END AS fail_pct,
       -- Failed logins once per attempt (failed-logins): the rollup's count less the copies.
       coalesce(sum(CASE WHEN kind = 'login' AND outcome = 'fail' THEN events ELSE 0 END), 0) - (SELECT count(*) FROM login_copies) AS failed_logins,
       -- Transfers once however many logs wrote them (transfer-copies): less the copies.
       coalesce(sum(CASE WHEN kind = 'transfer' AND outcome = 'fail' THEN events ELSE 0 END), 0)
         - (SELECT count(*) FROM transfer_copies WHERE outcome_code = 1) AS failed_transfers,
       coalesce(sum(CASE WHEN kind = 'transfer' THEN bytes ELSE 0 END), 0) - (SELECT coalesce(sum(bytes), 0) FROM transfer_copies) AS bytes,
       (SELECT count(*) FROM rejects rj JOIN sources s ON s.id = rj.source_id
         WHERE coalesce(rj.ts, s.first_seen) >= :since AND coalesce(rj.ts, s.first_seen) < :until) AS rejected,
       count(DISTINCT source_id) AS sources
FROM r
