import type Database from 'better-sqlite3';
import { classifyReply, REPLY_CLASSES, REPLY_CODES, REPLY_GROUPS } from '../../codes/replyCodes.js';
import type { Meaning } from '../../codes/sources.js';
import { SUBSTATUSES } from '../../codes/substatus.js';
import { win32Status, WIN32_STATUSES } from '../../codes/win32.js';
import { WINSOCK_ERRORS } from '../../codes/winsock.js';

function wording(meanings: Meaning[], seed: 'seed000' | 'seed001'): string | null {
  return meanings.find((m) => m.sources.includes(seed))?.text ?? null;
}

/**
 * Rewrites the reference tables from src/codes/, so users can JOIN codes to meanings in their own
 * SQL and a newer ftplog's tables replace an older one's. One transaction; a few hundred rows.
 */
export function writeReferenceTables(db: Database.Database): void {
  db.transaction(() => {
    for (const t of ['reply_codes', 'reply_classes', 'reply_groups', 'winsock_errors', 'win32_statuses', 'iis_substatus']) {
      db.exec(`DELETE FROM ${t}`);
    }
    const cls = db.prepare('INSERT INTO reply_classes VALUES (?, ?, ?)');
    for (const [k, c] of Object.entries(REPLY_CLASSES)) cls.run(Number(k), c.name, c.description);
    const grp = db.prepare('INSERT INTO reply_groups VALUES (?, ?, ?)');
    for (const [k, g] of Object.entries(REPLY_GROUPS)) grp.run(Number(k), g.name, g.description);
    const reply = db.prepare('INSERT INTO reply_codes VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [code, meanings] of REPLY_CODES) {
      const c = classifyReply(code)!;
      const s0 = wording(meanings, 'seed000');
      const s1 = wording(meanings, 'seed001');
      reply.run(code, c.replyClass, c.className, c.group, c.groupName, s0 ?? s1, s0, s1);
    }
    const ws = db.prepare('INSERT INTO winsock_errors VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of WINSOCK_ERRORS) {
      const s0 = wording(e.meanings, 'seed000');
      const s1 = wording(e.meanings, 'seed001');
      ws.run(e.name, e.number, s0 ?? s1, s0, s1, e.explanation);
    }
    const w32 = db.prepare('INSERT INTO win32_statuses VALUES (?, ?, ?, ?)');
    for (const s of WIN32_STATUSES) w32.run(s.number, s.name, s.meaning, 0);
    for (const e of WINSOCK_ERRORS) {
      const s = e.number === null ? undefined : win32Status(e.number);
      if (s) w32.run(s.number, s.name, s.meaning, 1);
    }
    const sub = db.prepare('INSERT INTO iis_substatus VALUES (?, ?)');
    for (const [n, meaning] of SUBSTATUSES) sub.run(n, meaning);
  }).immediate();
}
