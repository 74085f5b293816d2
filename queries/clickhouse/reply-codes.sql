SELECT code, class, class_name, grp, group_name, events, failed, ifNull(rc_meaning, '(not in the reference documents)') AS meaning
FROM (
  SELECT code, class, class_name, grp, group_name, events, failed
  FROM (
    SELECT code, class, class_name, grp, events, failed
    FROM (
      SELECT assumeNotNull(reply_code) AS code, toInt64(intDiv(code, 100)) AS class, toInt64(intDiv(code, 10) % 10) AS grp, count() AS events,
             countIf(outcome = 'fail') AS failed
      FROM events WHERE ifNull(reply_code, 0) != 0 AND ts >= :since AND ts < :until GROUP BY code
    ) AS e
    ANY LEFT JOIN (SELECT class, name AS class_name FROM reply_classes) AS c USING class
  ) AS ec
  ANY LEFT JOIN (SELECT grp, name AS group_name FROM reply_groups) AS g USING grp
) AS ecg
ANY LEFT JOIN (SELECT code, meaning AS rc_meaning FROM reply_codes) AS m USING code
ORDER BY events DESC, code
