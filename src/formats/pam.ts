import { detailText, newEvent } from './types.js';
import { normalizeIp } from './net.js';
import type { FtpEvent } from '../event.js';

/**
 * PAM's lines for an FTP service (linux-pam's `pam_syslog`: `<module>(<service>:<type>): <text>`,
 * written under the daemon's own tag), in their forms: `pam_unix(vsftpd:auth): authentication failure;
 * logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.51.100.4  user=bob`, the old `(pam_unix)
 * authentication failure; …` (after `vsftpd:` or as the tag `vsftpd(pam_unix)[pid]:`), and
 * pam_listfile's `Refused user bob for service vsftpd` (no address). Each is a failed login;
 * pam_unix's `N more authentication failures` sums up ones already written and is none.
 */
const PAM_FAILURE = /^(?:\(pam_\w+\) |pam_\w+\([\w-]+:\w+\): )?authentication failure; /;
const PAM_REFUSED = /^pam_listfile\([\w-]+:\w+\): Refused user (.*) for service \S+$/;

/** A PAM message (`body`, after the tag) as an event at `ts`: a failed login with its parties, or a debug line. */
export function pamEvent(body: string, ts: string): FtpEvent {
  const refused = PAM_REFUSED.exec(body);
  const failure = refused !== null || PAM_FAILURE.test(body);
  const e = newEvent(ts, failure ? 'login' : 'debug', failure ? 'fail' : 'ok');
  // Its own command: the same attempt usually has the server's own failed login too, and reports count it once (queries/fragments/login-copies.sql).
  e.command = failure ? 'PAM' : null;
  const who = refused ? { rhost: null, user: refused[1]! } : failure ? pamParties(body) : null;
  e.clientIp = who?.rhost ? normalizeIp(who.rhost) : null;
  e.username = who?.user || null;
  e.detail = refused ? 'refused by pam_listfile' : failure ? 'authentication failure' : detailText(body);
  return e;
}

/** The FTP service a PAM message at `at` is for (`pam_unix(proftpd:auth): …` → `proftpd`), or null. */
export function pamService(line: string, at: number): string | null {
  PAM_PREFIX.lastIndex = at;
  const m = PAM_PREFIX.exec(line);
  return m ? m[1]! : null;
}
const PAM_PREFIX = /pam_\w+\(([\w-]+):\w+\): /y;

/**
 * pam_unix writes `… ruser=<R> rhost=<H>  user=<U>` (pam_sss one space before `user=`), and R and U
 * are the client's USER text, which may itself hold ` rhost=`: the address is the one space-free value
 * between a ` rhost=` and a `  user=` (or the line's end) that leaves R equal to U (as vsftpd and ProFTPD pass them) or R empty. When the text
 * leaves more than one such split, or none, the address is unknown.
 */
function pamParties(body: string): { rhost: string | null; user: string | null } | null {
  const start = body.indexOf('ruser=');
  if (start < 0) return null;
  const fields = body.slice(start + 6);
  let found: { rhost: string; user: string } | null = null;
  for (let i = fields.indexOf(' rhost='); i >= 0; i = fields.indexOf(' rhost=', i + 1)) {
    const ruser = fields.slice(0, i);
    const end = fields.indexOf(' ', i + 7);
    const rhost = fields.slice(i + 7, end < 0 ? fields.length : end);
    // Without a known user pam_unix writes no `  user=`: then R is the name.
    const user = end < 0 ? (ruser.includes(' user=') ? null : ruser) : userAt(fields, end);
    if (user === null || (ruser !== '' && ruser !== user)) continue;
    if (found) return { rhost: null, user: found.user === user ? user : null };
    found = { rhost, user };
  }
  return found && { rhost: found.rhost || null, user: found.user };
}

/** The name in `  user=<U>` (pam_unix) or ` user=<U>` (pam_sss) at `at`, to the line's end. */
function userAt(fields: string, at: number): string | null {
  if (fields.startsWith('  user=', at)) return fields.slice(at + 7);
  return fields.startsWith(' user=', at) ? fields.slice(at + 6) : null;
}

