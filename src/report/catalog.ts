import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../store/index.js';

/** How a parameter's value is checked: a time, a whole number, one of a list, or any text. */
/** `addresses`: the path of a file of addresses, one a line (`#` comments); bound as a JSON array of them. */
export type ParamType = { kind: 'time' } | { kind: 'int' } | { kind: 'text' } | { kind: 'addresses' } | { kind: 'choice'; choices: string[] };

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
  /** The report's SQL for each store it runs on. */
  sql: Partial<Record<Dialect, string>>;
  file: string;
}

export const DIALECTS: readonly Dialect[] = ['sqlite', 'clickhouse'];

/** A report file whose header or body cannot be used. */
export class ReportDefinitionError extends Error {
  override name = 'ReportDefinitionError';
}

export const BUILT_IN_QUERIES = fileURLToPath(new URL('../../queries/', import.meta.url));

const HEADER = /^--\s*(name|title|description|param|stores):\s*(.*)$/;
const PARAM = /^([a-z_][a-z0-9_]*)\s*(?:\(([^)]*)\))?\s*=\s*(\S*)\s*(?::\s*(.*))?$/;

/** Shared pieces of SQL (`fragments/<name>.sql` beside the reports), by name. */
export type Fragments = ReadonlyMap<string, string>;

const USE = /\{\{([a-z0-9][a-z0-9-]*)((?:\s+[a-z_]+=[A-Za-z0-9_]+)*)\s*\}\}/g;

/**
 * Puts fragments into a report body: `{{hourly-window}}` becomes the fragment's SQL, and
 * `{{activity-window table=rollup_users column=username}}` also fills its `{table}` and `{column}`.
 * Values are plain identifiers, so nothing but names can be spliced in.
 */
export function expandFragments(sql: string, fragments: Fragments, file: string, using: readonly string[] = []): string {
  return sql.replace(USE, (_all, name: string, args: string) => {
    const body = fragments.get(name);
    if (body === undefined) throw new ReportDefinitionError(`${file}: no fragment named '${name}' (fragments/${name}.sql)`);
    if (using.includes(name)) throw new ReportDefinitionError(`${file}: fragment '${name}' puts in itself (${[...using, name].join(' > ')})`);
    const values = new Map(args.trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    // A hole is `{key}`, not the inside of another fragment's `{{name}}`, which is put in after.
    const filled = body.replace(/(?<!\{)\{([a-z_]+)\}(?!\})/g, (_hole, key: string) => {
      const v = values.get(key);
      if (v === undefined) throw new ReportDefinitionError(`${file}: fragment '${name}' needs ${key}=…`);
      return v;
    });
    return expandFragments(filled, fragments, file, [...using, name]);
  });
}

/**
 * Reads a report file: a comment header (`-- name:`, `-- title:`, `-- description:`, one
 * `-- param: name (type) = default : text` per parameter, and `-- stores: sqlite, clickhouse` when
 * its SQL runs on more than SQLite) and then one SELECT using the parameters as `:name`, and
 * fragments as `{{name}}`.
 */
export function parseReport(text: string, file: string, fragments: Fragments = new Map()): Report {
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
  const sql = reportBody(lines.slice(body).join('\n'), file, fragments, params);
  const stores = (fields.stores ?? 'sqlite').split(/[\s,]+/).filter(Boolean);
  for (const s of stores) {
    if (!(DIALECTS as readonly string[]).includes(s)) throw new ReportDefinitionError(`${file}: '-- stores:' names ${DIALECTS.join(' and ')}, not '${s}'`);
  }
  return { name, title: fields.title ?? name, description: fields.description ?? '', params, sql: Object.fromEntries(stores.map((s) => [s, sql])), file };
}

/** A report's SQL with its fragments put in, checked to use only the parameters it declares. */
function reportBody(text: string, file: string, fragments: Fragments, params: ReportParam[]): string {
  const sql = expandFragments(text.trim().replace(/;\s*$/, ''), fragments, file);
  if (!sql) throw new ReportDefinitionError(`${file}: no SELECT after the header`);
  for (const used of new Set([...sql.matchAll(/(?<![:\w]):([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))) {
    if (!params.some((p) => p.name === used)) throw new ReportDefinitionError(`${file}: :${used} is used but has no '-- param: ${used} = …' line`);
  }
  return sql;
}

/** Comment lines say what a file is for; they are not part of the SQL it holds. */
function withoutComments(text: string): string {
  return text.split(/\r?\n/).filter((l) => !l.trimStart().startsWith('--')).join('\n').trim();
}

function parseParam(text: string, file: string, line: number): ReportParam {
  const m = PARAM.exec(text.trim());
  if (!m) throw new ReportDefinitionError(`${file}:${line}: a param line reads '-- param: name (type) = default : description'`);
  const [, name, typeText = 'text', def = '', description = ''] = m as unknown as [string, string, string?, string?, string?];
  const t = typeText.trim();
  const type: ParamType = t === 'time' || t === 'int' || t === 'text' || t === 'addresses' ? { kind: t }
    : t.includes('|') ? { kind: 'choice', choices: t.split('|').map((c) => c.trim()) }
    : (() => { throw new ReportDefinitionError(`${file}:${line}: unknown parameter type '${t}' (time, int, text, addresses or a|b|c)`); })();
  return { name, type, default: def, description };
}

function sqlFiles(dir: string, required: boolean): string[] {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.sql')).sort().map((n) => join(dir, n));
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ReportDefinitionError(`cannot read queries folder ${dir}: ${(err as Error).message}`);
  }
}

/** The fragments in `fragments/` below each folder, a later folder's replacing an earlier one's of the same name. */
function loadFragments(dirs: string[]): Map<string, string> {
  const fragments = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of sqlFiles(join(dir, 'fragments'), false)) fragments.set(basename(file, '.sql'), withoutComments(readFileSync(file, 'utf8')));
  }
  return fragments;
}

/**
 * The built-in reports, then each extra folder's `.sql` files; a later report (or fragment)
 * replaces an earlier one of the same name. Fragments come from each folder's `fragments/`. A
 * report's text for another store is `<store>/<name>.sql` beside it (with that store's fragments in
 * `<store>/fragments/`): the same parameters, the SQL that store speaks.
 */
export function loadCatalog(extraDirs: string[] = []): Map<string, Report> {
  const dirs = [BUILT_IN_QUERIES, ...extraDirs];
  const fragments = loadFragments(dirs);
  const reports = new Map<string, Report>();
  for (const dir of dirs) {
    for (const file of sqlFiles(dir, true)) {
      const report = parseReport(readFileSync(file, 'utf8'), file, fragments);
      reports.set(report.name, report);
    }
  }
  for (const dialect of DIALECTS.filter((d) => d !== 'sqlite')) {
    const own = loadFragments(dirs.map((d) => join(d, dialect)));
    for (const dir of dirs) {
      for (const file of sqlFiles(join(dir, dialect), false)) {
        const report = reports.get(basename(file, '.sql'));
        if (!report) throw new ReportDefinitionError(`${file}: no report ${basename(file)} in ${dir} or before it for this ${dialect} text to go with`);
        report.sql[dialect] = reportBody(withoutComments(readFileSync(file, 'utf8')), file, own, report.params);
      }
    }
  }
  return reports;
}
