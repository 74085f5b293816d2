import { remember } from './remember.js';

/**
 * Sessions for logs that write no session id. A session starts at its connection line and takes the
 * client's later lines: those of a process it already wrote under when the log names real pids, else
 * the latest session of the address. Its key says when and from where it began:
 * `2024-03-05T14:03:20Z 203.0.113.9`.
 *
 * vsftpd is the hard case: one session writes under three processes (the pre-login child the
 * CONNECT, the privileged parent the LOGIN, the post-login child the transfers), and under
 * `isolate=YES` (the default) each session has a pid namespace of its own, so every session is pids
 * 1-3 again: a one-digit pid is taken for none. ProFTPD and Pure-FTPd (with its pid logged) write one
 * process per session.
 */

interface Session {
  key: string;
  ip: string;
}


export class ClientSessions {
  private readonly byIp = new Map<string, Session>();
  private readonly byPid = new Map<string, Session>();
  private second = '';
  private readonly startsThisSecond = new Map<string, number>();

  /** The session of a line at `ts` from `ip` written by `pid`; a CONNECT starts one. */
  of(ts: string, ip: string | null, pid: string | null, connect: boolean): string | null {
    // A one-digit pid is a namespace's (isolate=YES): the same in every session.
    const realPid = pid !== null && pid.length > 1 ? pid : null;
    if (ip === null) return realPid === null ? null : (this.byPid.get(realPid)?.key ?? null);
    let s: Session | undefined;
    if (!connect) {
      const mine = realPid === null ? undefined : this.byPid.get(realPid);
      s = mine !== undefined && mine.ip === ip ? mine : this.byIp.get(ip);
    }
    if (s === undefined) {
      // A CONNECT, or a line whose CONNECT was not read (an excerpt, or before where this read resumed).
      s = { key: this.keyFor(ts, ip), ip };
      remember(this.byIp, ip, s);
    }
    if (realPid !== null) remember(this.byPid, realPid, s);
    return s.key;
  }

  private keyFor(ts: string, ip: string): string {
    if (ts !== this.second) {
      this.second = ts;
      this.startsThisSecond.clear();
    }
    // Two sessions from one address in one second get #2, #3, … in the order they were logged.
    const n = (this.startsThisSecond.get(ip) ?? 0) + 1;
    this.startsThisSecond.set(ip, n);
    return n === 1 ? `${ts} ${ip}` : `${ts} ${ip} #${n}`;
  }
}
