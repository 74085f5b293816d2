-- Fragment: the failed logins in the window that are a second line about an attempt counted
-- already, as a CTE named login_copies (id, client_ip, username, t).
-- PAM: vsftpd (and ProFTPD) authenticate through PAM, which writes "authentication failure" (stored
-- with command 'PAM'), and then the server writes its own failed login for the same client, after
-- PAM's fail delay: a PAM failure with a failed LOGIN from the same address (or, when PAM names none,
-- as pam_listfile does, for the same user name) from a second before it to five seconds after it is
-- that attempt's copy. A PAM failure without one (only auth.log was read) is an attempt of its own.
-- REPEAT: a server's summary of failures it also logged one by one (ProFTPD's "Maximum login
-- attempts exceeded" and root refusal, Pure-FTPd's "Too many authentication failures", wu-ftpd's
-- "repeated login failures", FreeBSD's first copy of a bad password): with a failed LOGIN from the
-- same address within five seconds either side it is that attempt's copy; alone, an attempt.
-- Needs since and until.
-- Use as: WITH {{login-copies}} … (SELECT count(*) FROM login_copies)
login_copies AS MATERIALIZED (
  -- Only these have command 'PAM' or 'REPEAT', read through their own indexes: the + keeps SQLite from reading every
  -- failed login through theirs instead (kind_code = 1 AND outcome_code = 1 is a failed login).
  SELECT p.id, p.client_ip, p.username, p.ts_unix AS t FROM events p
  WHERE p.command = 'PAM' AND +p.kind_code = 1 AND +p.outcome_code = 1 AND p.ts_unix >= unixepoch(:since) AND p.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM events v
      WHERE v.kind_code = 1 AND v.outcome_code = 1 AND v.ts_unix BETWEEN p.ts_unix - 1 AND p.ts_unix + 5
        AND v.command = 'LOGIN' AND (v.client_ip = p.client_ip OR (p.client_ip IS NULL AND v.username = p.username))
    )
  UNION ALL
  SELECT r.id, r.client_ip, r.username, r.ts_unix AS t FROM events r
  WHERE r.command = 'REPEAT' AND +r.kind_code = 1 AND +r.outcome_code = 1 AND r.ts_unix >= unixepoch(:since) AND r.ts_unix < unixepoch(:until)
    AND EXISTS (
      SELECT 1 FROM events v
      WHERE v.kind_code = 1 AND v.outcome_code = 1 AND v.ts_unix BETWEEN r.ts_unix - 5 AND r.ts_unix + 5
        AND v.command = 'LOGIN' AND v.client_ip = r.client_ip
    )
)
