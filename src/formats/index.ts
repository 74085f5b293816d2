import { filezilla } from './filezilla.js';
import { ftpd } from './ftpd.js';
import { iis } from './iis.js';
import { proftpd } from './proftpd.js';
import { pureftpd } from './pureftpd.js';
import { syslogMix } from './syslogMix.js';
import type { FormatDefinition } from './types.js';
import { vsftpd } from './vsftpd.js';
import { xferlog } from './xferlog.js';

/**
 * Every format ftplog reads; detection tries them in this order, and a tie goes to the first: a
 * syslog file is read as a mix even when its first lines are all one server's.
 */
export const FORMATS: readonly FormatDefinition[] = [syslogMix, pureftpd, iis, vsftpd, xferlog, proftpd, ftpd, filezilla];

export function formatByName(name: string): FormatDefinition | undefined {
  return FORMATS.find((f) => f.name === name);
}
