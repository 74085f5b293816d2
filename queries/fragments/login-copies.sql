-- Fragment: the failed logins in the window that are a second line about an attempt counted
-- already, as a CTE named login_copies (id, client_ip, username, t). vsftpd authenticates through
-- PAM, which writes "authentication failure" (stored with command 'PAM'), and then vsftpd writes its
-- own FAIL LOGIN for the same client, after PAM's fail delay: a PAM failure with a FAIL LOGIN from
-- the same address (or, when PAM names none, as pam_listfile does, for the same user name) from a
-- second before it to five seconds after it is that attempt's copy. A PAM failure without one (only
-- auth.log was read) is an attempt of its own. Needs since and until.
-- Use as: WITH {{login-copies}} … (SELECT count(*) FROM login_copies)
login_copies AS MATERIALIZED (
  -- Only PAM failures have command 'PAM', read through their own index: the + keeps SQLite from reading every
  -- failed login through theirs instead (kind_code = 1 AND outcome_code = 1 is a failed login).
  SELECT p.id, p.client_ip, p.username, p.ts_unix AS t FROM events p
  WHERE p.command = 'PAM' AND +p.kind_code = 1 AND +p.outcome_code = 1 AND p.ts_unix >= unixepoch(:since) AND p.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM events v
      WHERE v.kind_code = 1 AND v.outcome_code = 1 AND v.ts_unix BETWEEN p.ts_unix - 1 AND p.ts_unix + 5
        AND v.command = 'LOGIN' AND (v.client_ip = p.client_ip OR (p.client_ip IS NULL AND v.username = p.username))
    )
)
