/**
 * Passwords a line may carry in clear: an FTP `PASS` command (vsftpd's protocol log, a server that
 * does not mask it, a pasted session) and vsftpd's `anon password "…"`. Lines that become events
 * never store them (each parser drops them); a line kept as a reject is stored as text, so this
 * masks them first, from the keyword to the line's end, since a password may hold spaces and quotes.
 */
const SECRET = /\b(PASS[ \t]+|anon password ")[^]*$/i;

/** The text with everything from a password keyword on replaced by `***`. */
export function maskSecrets(text: string): string {
  const m = SECRET.exec(text);
  return m ? text.slice(0, m.index) + m[1] + '***' : text;
}
