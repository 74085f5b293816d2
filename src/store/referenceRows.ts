import { classifyReply, REPLY_CLASSES, REPLY_CODES, REPLY_GROUPS } from '../codes/replyCodes.js';
import type { Meaning } from '../codes/sources.js';
import { SUBSTATUSES } from '../codes/substatus.js';
import { win32Status, WIN32_STATUSES } from '../codes/win32.js';
import { WINSOCK_ERRORS } from '../codes/winsock.js';

function wording(meanings: Meaning[], seed: 'seed000' | 'seed001'): string | null {
  return meanings.find((m) => m.sources.includes(seed))?.text ?? null;
}

export type ReferenceTable = 'reply_codes' | 'reply_classes' | 'reply_groups' | 'winsock_errors' | 'win32_statuses' | 'iis_substatus';

/**
 * The reference tables' rows from src/codes/, in each table's column order (see each store's
 * schema), so users can JOIN codes to meanings in their own SQL whichever store holds the events.
 */
export function referenceRows(): Record<ReferenceTable, unknown[][]> {
  const w32 = WIN32_STATUSES.map((s) => [s.number, s.name, s.meaning, 0]);
  for (const e of WINSOCK_ERRORS) {
    const s = e.number === null ? undefined : win32Status(e.number);
    if (s) w32.push([s.number, s.name, s.meaning, 1]);
  }
  return {
    reply_classes: Object.entries(REPLY_CLASSES).map(([k, c]) => [Number(k), c.name, c.description]),
    reply_groups: Object.entries(REPLY_GROUPS).map(([k, g]) => [Number(k), g.name, g.description]),
    reply_codes: [...REPLY_CODES].map(([code, meanings]) => {
      const c = classifyReply(code)!;
      const s0 = wording(meanings, 'seed000');
      const s1 = wording(meanings, 'seed001');
      return [code, c.replyClass, c.className, c.group, c.groupName, s0 ?? s1, s0, s1];
    }),
    winsock_errors: WINSOCK_ERRORS.map((e) => {
      const s0 = wording(e.meanings, 'seed000');
      const s1 = wording(e.meanings, 'seed001');
      return [e.name, e.number, s0 ?? s1, s0, s1, e.explanation];
    }),
    win32_statuses: w32,
    iis_substatus: [...SUBSTATUSES].map(([n, meaning]) => [n, meaning]),
  };
}
