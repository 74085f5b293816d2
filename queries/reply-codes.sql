-- name: reply-codes
-- title: Reply codes
-- description: Every FTP reply code logged, with its class, group and meaning (from the reference
-- description: documents; codes they do not list are classified by their digits).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
WITH {{hourly-window}}
SELECT r.reply_code AS code, r.reply_code / 100 AS class, c.name AS class_name, (r.reply_code / 10) % 10 AS grp, g.name AS group_name,
       sum(r.events) AS events, sum(CASE WHEN r.outcome = 'fail' THEN r.events ELSE 0 END) AS failed,
       coalesce(rc.meaning, '(not in the reference documents)') AS meaning
FROM r
LEFT JOIN reply_codes rc ON rc.code = r.reply_code
LEFT JOIN reply_classes c ON c.class = r.reply_code / 100
LEFT JOIN reply_groups g ON g.grp = (r.reply_code / 10) % 10
WHERE r.reply_code <> 0
GROUP BY r.reply_code
ORDER BY events DESC, code
