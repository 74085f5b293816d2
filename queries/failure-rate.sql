-- name: failure-rate
-- title: Failure rate per day or hour
-- description: Events and failed events per period, the failure rate, failures with a 4xx and a 5xx reply,
-- description: and the command that failed most in the period.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: bucket (day|hour) = day : period length
WITH b AS (
  SELECT CASE :bucket WHEN 'hour' THEN substr(ts, 1, 13) || ':00Z' ELSE substr(ts, 1, 10) END AS period,
         outcome, reply_class, command
  FROM events
  WHERE ts >= :since AND ts < :until
),
cmd AS (
  SELECT period, command, count(*) AS n,
         row_number() OVER (PARTITION BY period ORDER BY count(*) DESC, command) AS rn
  FROM b WHERE outcome = 'fail' AND command IS NOT NULL
  GROUP BY period, command
)
SELECT b.period, count(*) AS events, sum(b.outcome = 'fail') AS failed,
       round(100.0 * sum(b.outcome = 'fail') / count(*), 2) AS fail_pct,
       sum(b.outcome = 'fail' AND b.reply_class = 4) AS failed_4xx,
       sum(b.outcome = 'fail' AND b.reply_class = 5) AS failed_5xx,
       c.command AS top_failing_command, c.n AS top_failing_count
FROM b LEFT JOIN cmd c ON c.period = b.period AND c.rn = 1
GROUP BY b.period
ORDER BY b.period
