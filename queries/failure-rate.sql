-- name: failure-rate
-- title: Failure rate per day or hour
-- description: Events and failed events per period, the failure rate, failures with a 4xx and a 5xx reply,
-- description: and the command that failed most in the period.
-- param: since (time) = 1970-01-01 : only events at or after this time
-- param: until (time) = 9999-12-31 : only events before this time
-- param: bucket (day|hour) = day : period length
WITH {{hourly-window}},
per AS (
  SELECT CASE :bucket WHEN 'hour' THEN hour || ':00Z' ELSE substr(hour, 1, 10) END AS period, outcome, reply_code, command, events
  FROM r
),
cmd AS (
  SELECT period, command, sum(events) AS n, row_number() OVER (PARTITION BY period ORDER BY sum(events) DESC, command) AS rn
  FROM per WHERE outcome = 'fail' AND command <> ''
  GROUP BY period, command
)
SELECT p.period, sum(p.events) AS events, sum(CASE WHEN p.outcome = 'fail' THEN p.events ELSE 0 END) AS failed,
       round(100.0 * sum(CASE WHEN p.outcome = 'fail' THEN p.events ELSE 0 END) / sum(p.events), 2) AS fail_pct,
       sum(CASE WHEN p.outcome = 'fail' AND p.reply_code BETWEEN 400 AND 499 THEN p.events ELSE 0 END) AS failed_4xx,
       sum(CASE WHEN p.outcome = 'fail' AND p.reply_code BETWEEN 500 AND 599 THEN p.events ELSE 0 END) AS failed_5xx,
       c.command AS top_failing_command, c.n AS top_failing_count
FROM per p LEFT JOIN cmd c ON c.period = p.period AND c.rn = 1
GROUP BY p.period
ORDER BY p.period
