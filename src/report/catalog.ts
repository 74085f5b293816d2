import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a parameter's value is checked: a time, a whole number, one of a list, or any text. */
export type ParamType = { kind: 'time' } | { kind: 'int' } | { kind: 'text' } | { kind: 'choice'; choices: string[] };

export interface ReportParam {
  name: string;
  type: ParamType;
  default: string;
  description: string;
}

export interface Report {
  name: string;
  title: string;
  description: string;
  params: ReportParam[];
  sql: string;
  file: string;
}

/** A report file whose header or body cannot be used. */
export class ReportDefinitionError extends Error {
  override name = 'ReportDefinitionError';
}

export const BUILT_IN_QUERIES = fileURLToPath(new URL('../../queries/', import.meta.url));

const HEADER = /^--\s*(name|title|description|param):\s*(.*)$/;
const PARAM = /^([a-z_][a-z0-9_]*)\s*(?:\(([^)]*)\))?\s*=\s*(\S*)\s*(?::\s*(.*))?$/;

/**
 * Reads a report file: a comment header (`-- name:`, `-- title:`, `-- description:`, one
 * `-- param: name (type) = default : text` per parameter) and then one SELECT using the
 * parameters as `:name`.
 */
export function parseReport(text: string, file: string): Report {
  const fields: Record<string, string> = {};
  const params: ReportParam[] = [];
  const lines = text.split(/\r?\n/);
  let body = 0;
  for (; body < lines.length; body++) {
    const line = lines[body]!.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const m = HEADER.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'param') params.push(parseParam(value, file, body + 1));
    else if (key === 'description' && fields.description) fields.description += ' ' + value.trim();
    else fields[key] = value.trim();
  }
  const name = fields.name ?? basename(file, '.sql');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new ReportDefinitionError(`${file}: report name '${name}' must be lower-case letters, digits and dashes`);
  const sql = lines.slice(body).join('\n').trim().replace(/;\s*$/, '');
  if (!sql) throw new ReportDefinitionError(`${file}: no SELECT after the header`);
  for (const used of new Set([...sql.matchAll(/(?<![:\w]):([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))) {
    if (!params.some((p) => p.name === used)) throw new ReportDefinitionError(`${file}: :${used} is used but has no '-- param: ${used} = …' line`);
  }
  return { name, title: fields.title ?? name, description: fields.description ?? '', params, sql, file };
}

function parseParam(text: string, file: string, line: number): ReportParam {
  const m = PARAM.exec(text.trim());
  if (!m) throw new ReportDefinitionError(`${file}:${line}: a param line reads '-- param: name (type) = default : description'`);
  const [, name, typeText = 'text', def = '', description = ''] = m as unknown as [string, string, string?, string?, string?];
  const t = typeText.trim();
  const type: ParamType = t === 'time' || t === 'int' || t === 'text' ? { kind: t }
    : t.includes('|') ? { kind: 'choice', choices: t.split('|').map((c) => c.trim()) }
    : (() => { throw new ReportDefinitionError(`${file}:${line}: unknown parameter type '${t}' (time, int, text or a|b|c)`); })();
  return { name, type, default: def, description };
}

/** The built-in reports, then each extra folder's `.sql` files; a later report replaces an earlier one of the same name. */
export function loadCatalog(extraDirs: string[] = []): Map<string, Report> {
  const reports = new Map<string, Report>();
  for (const dir of [BUILT_IN_QUERIES, ...extraDirs]) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort();
    } catch (err) {
      throw new ReportDefinitionError(`cannot read queries folder ${dir}: ${(err as Error).message}`);
    }
    for (const n of names) {
      const file = join(dir, n);
      const report = parseReport(readFileSync(file, 'utf8'), file);
      reports.set(report.name, report);
    }
  }
  return reports;
}
