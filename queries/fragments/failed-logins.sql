-- Fragment: the failed logins in the window, one row per attempt however many lines the logs spend
-- on it, as a CTE named failed_logins (id, client_ip, username, t). A failed login is an event with
-- kind 'login' and outcome 'fail' (vsftpd FAIL LOGIN, PAM authentication failure, IIS PASS with a
-- 4xx/5xx reply); a PAM line that is a copy of a FAIL LOGIN (see login-copies) is left out. The
-- reply lines of a protocol log (530 Login incorrect) are replies, not logins. Needs since and until.
-- Use as: WITH {{failed-logins}} SELECT … FROM failed_logins
{{login-copies}},
failed_logins AS (
  SELECT id, client_ip, username, ts_unix AS t FROM events
  WHERE kind_code = 1 AND outcome_code = 1 AND ts_unix >= unixepoch(:since) AND ts_unix < unixepoch(:until)
    AND id NOT IN (SELECT id FROM login_copies)
)
