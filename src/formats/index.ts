import { iis } from './iis.js';
import type { FormatDefinition } from './types.js';
import { vsftpd } from './vsftpd.js';
import { xferlog } from './xferlog.js';

/** Every format ftplog reads; detection tries them in this order. */
export const FORMATS: readonly FormatDefinition[] = [iis, vsftpd, xferlog];

export function formatByName(name: string): FormatDefinition | undefined {
  return FORMATS.find((f) => f.name === name);
}
