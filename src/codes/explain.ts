import { classifyReply, REPLY_CLASSES, REPLY_GROUPS, type ReplyCodeInfo } from './replyCodes.js';
import { SEEDS, type Meaning, type SeedId } from './sources.js';
import { substatusMeaning } from './substatus.js';
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
  /** An IIS FTP `sc-substatus`. */
  substatus: { number: number; meaning: string } | null;
  /** Set when the query was IIS's three numbers of one line: `sc-status sc-win32-status sc-substatus`. */
  triple: { status: number; win32: number; substatus: number } | null;
  /** Why nothing matched; `null` when something did. */
  message: string | null;
}

/**
 * Explains one code or name, or IIS's three numbers of one line (`530/1326/41`, `530 1326 41`):
 * the reply code, the Win32 status and the FTP substatus together.
 */
export function explain(query: string): Explanation {
  const q = query.trim();
  const empty: Explanation = { query: q, found: false, reply: null, winsock: null, win32: null, substatus: null, triple: null, message: null };
  const three = /^(\d{3})[/ ,]+(\d{1,10})[/ ,]+(\d{1,3})$/.exec(q);
  if (three) {
    const [status, win32, sub] = [Number(three[1]), Number(three[2]), Number(three[3])];
    const reply = replyInfo(status);
    const winsock = winsockByNumber(win32) ?? null;
    const w32 = win32Status(win32);
    const substatus = substatusOf(sub);
    const unknown = [reply ? null : `${status} is not an FTP reply code`, winsock || w32 || win32 === 0 ? null : `${win32} is not a known Win32 status`,
      substatus ? null : `${sub} is not an IIS FTP substatus`].filter((m) => m !== null);
    return {
      ...empty, reply, winsock, win32: w32 && !w32.winsock ? w32 : null, substatus, triple: { status, win32, substatus: sub },
      found: unknown.length === 0, message: unknown.length ? unknown.join('; ') : null,
    };
  }
  if (/^\d{1,10}$/.test(q)) {
    const n = Number(q);
    const reply = replyInfo(n);
    const winsock = winsockByNumber(n) ?? null;
    const w32 = win32Status(n);
    const win32 = w32 && !w32.winsock ? w32 : null;
    const substatus = substatusOf(n);
    const found = Boolean(reply || winsock || win32 || substatus);
    return { ...empty, reply, winsock, win32, substatus, found, message: found ? null : notFoundNumber(n) };
  }
  const winsock = winsockByName(q) ?? null;
  const win32 = winsock ? null : (win32ByName(q) ?? null);
  const found = Boolean(winsock || win32);
  return { ...empty, winsock, win32, found, message: found ? null : `${q} is not a known Winsock or Win32 error name` };
}

function replyInfo(n: number): Explanation['reply'] {
  const info = classifyReply(n);
  return info ? { ...info, classDescription: REPLY_CLASSES[info.replyClass].description, groupDescription: REPLY_GROUPS[info.group].description } : null;
}

function substatusOf(n: number): Explanation['substatus'] {
  const meaning = substatusMeaning(n);
  return meaning === undefined ? null : { number: n, meaning };
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
  if (e.triple) out.push(`${e.triple.status} ${e.triple.win32} ${e.triple.substatus}  as IIS writes them in one line: sc-status sc-win32-status sc-substatus`, '');
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
  if (e.triple && e.triple.win32 === 0) {
    if (out.length) out.push('');
    out.push('0  Win32 status: no operating-system error');
  }
  if (e.substatus) {
    if (out.length) out.push('');
    out.push(`${e.substatus.number}  IIS FTP substatus (sc-substatus)`);
    out.push(`  meaning: ${e.substatus.meaning}`);
  }
  if (!e.found) out.push(e.message ?? `${e.query}: unknown`);
  const cited = new Set([...(e.reply?.meanings ?? []), ...(e.winsock?.meanings ?? [])].flatMap((m) => m.sources));
  if (cited.size) out.push('', ...CITED.filter((s) => cited.has(s)).map((s) => `[${CITED.indexOf(s) + 1}] ${SEEDS[s].title}`));
  return out.join('\n') + '\n';
}
