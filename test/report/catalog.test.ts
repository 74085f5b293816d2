import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, parseReport, ReportDefinitionError } from '../../src/report/catalog.js';
import { tempDir } from '../helpers/tmp.js';

const HEAD = '-- name: t\n-- param: since (time) = 1970-01-01 : from\n';

describe('report catalog', () => {
  it('reads the header: name, title, description lines, typed parameters', () => {
    const r = parseReport([
      '-- name: big', '-- title: Big ones', '-- description: first line', '-- description: second line',
      '-- param: min (int) = 10 : smallest', '-- param: by (a|b) = a', 'SELECT :min AS m, :by AS b;',
    ].join('\n'), 'big.sql');
    expect(r).toMatchObject({ name: 'big', title: 'Big ones', description: 'first line second line', sql: { sqlite: "SELECT :min AS m, :by AS b" } });
    expect(r.params).toEqual([
      { name: 'min', type: { kind: 'int' }, default: '10', description: 'smallest' },
      { name: 'by', type: { kind: 'choice', choices: ['a', 'b'] }, default: 'a', description: '' },
    ]);
  });

  it('refuses a parameter used but not declared, and a bad name or type', () => {
    expect(() => parseReport('-- name: x\nSELECT :nope', 'x.sql')).toThrow("x.sql: :nope is used but has no '-- param: nope = …' line");
    expect(() => parseReport('-- name: Bad Name\nSELECT 1', 'x.sql')).toThrow(ReportDefinitionError);
    expect(() => parseReport('-- name: x\n-- param: a (float) = 1\nSELECT :a', 'x.sql')).toThrow("unknown parameter type 'float'");
  });

  it('puts fragments in, filling their holes with the names given', () => {
    const fragments = new Map([['win', 'w AS (SELECT * FROM {table} WHERE ts >= :since)']]);
    const r = parseReport(`${HEAD}WITH {{win table=events}} SELECT count(*) FROM w`, 't.sql', fragments);
    expect(r.sql.sqlite).toBe('WITH w AS (SELECT * FROM events WHERE ts >= :since) SELECT count(*) FROM w');
    expect(() => parseReport(`${HEAD}WITH {{nope}} SELECT 1`, 't.sql', fragments)).toThrow("no fragment named 'nope'");
    expect(() => parseReport(`${HEAD}WITH {{win}} SELECT 1`, 't.sql', fragments)).toThrow("fragment 'win' needs table=…");
  });

  it('checks the parameters of the SQL a fragment brings in', () => {
    const fragments = new Map([['f', 'f AS (SELECT :until AS u)']]);
    expect(() => parseReport(`${HEAD}WITH {{f}} SELECT * FROM f`, 't.sql', fragments)).toThrow(':until is used');
  });

  it('lets a user folder add reports that use the built-in fragments and fragments of its own', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'fragments'));
    writeFileSync(join(dir, 'fragments', 'fails.sql'), '-- only failures\nf AS (SELECT * FROM r WHERE outcome = \'fail\')');
    writeFileSync(join(dir, 'night-fails.sql'), [
      '-- name: night-fails', '-- param: since (time) = 1970-01-01', '-- param: until (time) = 9999-12-31',
      'WITH {{hourly-window}}, {{fails}} SELECT sum(events) AS n FROM f',
    ].join('\n'));
    const reports = loadCatalog([dir]);
    expect(reports.get('night-fails')!.sql.sqlite).toContain("FROM rollup_hourly, b WHERE hour >= b.h_from");
    expect(reports.get('night-fails')!.sql.sqlite).toContain("f AS (SELECT * FROM r WHERE outcome = 'fail')");
    expect(reports.get('night-fails')!.sql.sqlite).not.toContain('only failures');
  });

  it('gives a report a text per store: one SQL for both with -- stores, or clickhouse/<name>.sql beside it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'clickhouse', 'fragments'), { recursive: true });
    const head = ['-- param: since (time) = 1970-01-01', '-- param: until (time) = 9999-12-31'];
    writeFileSync(join(dir, 'plain.sql'), ['-- name: plain', '-- stores: sqlite, clickhouse', ...head, "SELECT count(*) AS n FROM events WHERE kind = 'login'"].join('\n'));
    writeFileSync(join(dir, 'lite.sql'), ['-- name: lite', ...head, 'SELECT count(*) AS n FROM event_rows WHERE ts_unix >= unixepoch(:since)'].join('\n'));
    writeFileSync(join(dir, 'split.sql'), ['-- name: split', ...head, 'SELECT count(*) AS n FROM event_rows WHERE ts_unix < unixepoch(:until)'].join('\n'));
    writeFileSync(join(dir, 'clickhouse', 'fragments', 'win.sql'), '-- the window\nts >= :since AND ts < :until');
    writeFileSync(join(dir, 'clickhouse', 'split.sql'), '-- ClickHouse\nSELECT count() AS n FROM events WHERE {{win}}');
    const reports = loadCatalog([dir]);
    expect(reports.get('plain')!.sql).toEqual({ sqlite: "SELECT count(*) AS n FROM events WHERE kind = 'login'", clickhouse: "SELECT count(*) AS n FROM events WHERE kind = 'login'" });
    expect(Object.keys(reports.get('lite')!.sql)).toEqual(['sqlite']);
    expect(reports.get('split')!.sql.clickhouse).toBe('SELECT count() AS n FROM events WHERE ts >= :since AND ts < :until');
    // Every built-in report runs on both.
    for (const r of loadCatalog().values()) expect(Object.keys(r.sql).sort(), r.name).toEqual(['clickhouse', 'sqlite']);
  });

  it('refuses a store it does not know, a ClickHouse text without its report, and parameters the report does not declare', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.sql'), '-- name: x\n-- stores: sqlite, duckdb\nSELECT 1');
    expect(() => loadCatalog([dir])).toThrow("'-- stores:' names sqlite and clickhouse, not 'duckdb'");
    const other = tempDir();
    mkdirSync(join(other, 'clickhouse'));
    writeFileSync(join(other, 'clickhouse', 'lonely.sql'), 'SELECT 1');
    expect(() => loadCatalog([other])).toThrow('no report lonely.sql');
    const third = tempDir();
    mkdirSync(join(third, 'clickhouse'));
    writeFileSync(join(third, 'y.sql'), '-- name: y\nSELECT 1');
    writeFileSync(join(third, 'clickhouse', 'y.sql'), 'SELECT :limit');
    expect(() => loadCatalog([third])).toThrow(":limit is used but has no '-- param: limit = …' line");
  });

  it('refuses a queries folder that does not exist', () => {
    expect(() => loadCatalog([join(tempDir(), 'nope')])).toThrow('cannot read queries folder');
  });
});
