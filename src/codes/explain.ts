import { classifyReply, REPLY_CLASSES, REPLY_GROUPS, type ReplyCodeInfo } from './replyCodes.js';
import { SEEDS, type Meaning, type SeedId } from './sources.js';
import { win32ByName, win32Status, type Win32Status } from './win32.js';
import { isWinsockNumber, winsockByName, winsockByNumber, type WinsockError } from './winsock.js';

/** Everything the tables know about one code or name; several parts can match one number (121). */
export interface Explanation {
  query: string;
  found: boolean;
  reply: (ReplyCodeInfo & { classDescription: string; groupDescription: string }) | null;
  winsock: WinsockError | null;
  /** A Win32 status that is not a Winsock error (those are under `winsock`). */
  win32: Win32Status | null;
  /** Why nothing matched; `null` when something did. */
  message: string | null;
}

export function explain(query: string): Explanation {
  const q = query.trim();
  const empty: Explanation = { query: q, found: false, reply: null, winsock: null, win32: null, message: null };
  if (/^\d{1,10}$/.test(q)) {
    const n = Number(q);
    const info = classifyReply(n);
    const reply = info
      ? { ...info, classDescription: REPLY_CLASSES[info.replyClass].description, groupDescription: REPLY_GROUPS[info.group].description }
      : null;
    const winsock = winsockByNumber(n) ?? null;
    const w32 = win32Status(n);
    const win32 = w32 && !w32.winsock ? w32 : null;
    const found = Boolean(reply || winsock || win32);
    return { ...empty, reply, winsock, win32, found, message: found ? null : notFoundNumber(n) };
  }
  const winsock = winsockByName(q) ?? null;
  const win32 = winsock ? null : (win32ByName(q) ?? null);
  const found = Boolean(winsock || win32);
  return { ...empty, winsock, win32, found, message: found ? null : `${q} is not a known Winsock or Win32 error name` };
}

function notFoundNumber(n: number): string {
  if (isWinsockNumber(n)) return `${n} is in the Winsock range but is not a known Winsock error`;
  return `${n} is not an FTP reply code (FTP replies are 100-699) and not a known Win32 or Winsock status`;
}

/** The reference documents by number, as the text rendering cites them: [1], [2]. */
const CITED = Object.keys(SEEDS) as SeedId[];

function cite(m: Meaning): string {
  return `${m.text}  [${m.sources.map((s) => CITED.indexOf(s) + 1).join(', ')}]`;
}

/** The explanation as JSON for users: each meaning names the documents it comes from by their titles. */
export function explanationJson(e: Explanation): string {
  return JSON.stringify(e, (key, value: unknown) =>
    key === 'sources' && Array.isArray(value) ? value.map((s: SeedId) => SEEDS[s].title) : value, 2);
}

/** Plain-text rendering for a terminal or a pipe. */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  if (e.reply) {
    const r = e.reply;
    out.push(`${r.code}  FTP reply code`);
    out.push(`  class ${r.replyClass}xx: ${r.className} - ${r.classDescription}`);
    out.push(`  group x${r.group}x: ${r.groupName} - ${r.groupDescription}`);
    if (r.meanings.length === 0) out.push('  meaning: not listed in either reference document; classified by its digits');
    for (const m of r.meanings) out.push(`  meaning: ${cite(m)}`);
  }
  if (e.winsock) {
    const w = e.winsock;
    if (out.length) out.push('');
    out.push(`${w.number ?? '(OS dependent)'}  ${w.name}  Winsock error`);
    for (const m of w.meanings) out.push(`  meaning: ${cite(m)}`);
    out.push(`  in practice: ${w.explanation}`);
  }
  if (e.win32) {
    if (out.length) out.push('');
    out.push(`${e.win32.number}  ${e.win32.name}  Win32 status (IIS sc-win32-status)`);
    out.push(`  meaning: ${e.win32.meaning}`);
  }
  if (!e.found) out.push(e.message ?? `${e.query}: unknown`);
  const cited = new Set([...(e.reply?.meanings ?? []), ...(e.winsock?.meanings ?? [])].flatMap((m) => m.sources));
  if (cited.size) out.push('', ...CITED.filter((s) => cited.has(s)).map((s) => `[${CITED.indexOf(s) + 1}] ${SEEDS[s].title}`));
  return out.join('\n') + '\n';
}
