-- name: reply-codes
-- title: Reply codes
-- description: Every FTP reply code logged, with its class, group and meaning (from the reference
-- description: documents; codes they do not list are classified by their digits).
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
SELECT e.reply_code AS code, e.reply_class AS class, c.name AS class_name, e.reply_group AS grp, g.name AS group_name,
       count(*) AS events, sum(e.outcome = 'fail') AS failed, coalesce(rc.meaning, '(not in the reference documents)') AS meaning
FROM events e
LEFT JOIN reply_codes rc ON rc.code = e.reply_code
LEFT JOIN reply_classes c ON c.class = e.reply_class
LEFT JOIN reply_groups g ON g.grp = e.reply_group
WHERE e.reply_code IS NOT NULL AND e.ts >= :since AND e.ts < :until
GROUP BY e.reply_code
ORDER BY events DESC, code
