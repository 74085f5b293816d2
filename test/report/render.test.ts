import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/report/render.js';

const result = {
  columns: ['user', 'n', 'note'],
  rows: [
    ['=HYPERLINK("http://x","y")', 3, 'a, "quoted" note'],
    ['@SUM(1)', -4, 'line\nbreak'],
    ['+1', 0.5, null],
    ['-x', 1, '\tTAB'],
    ['plain', 2, '|pipe|'],
  ],
};

describe('render', () => {
  it('csv: header, RFC 4180 quoting, formulas neutralised, numbers left alone', () => {
    const out = render(result, 'csv');
    const back = parse(out, { columns: true }) as Array<Record<string, string>>;
    expect(back).toEqual([
      { user: `'=HYPERLINK("http://x","y")`, n: '3', note: 'a, "quoted" note' },
      { user: "'@SUM(1)", n: '-4', note: 'line\nbreak' },
      { user: "'+1", n: '0.5', note: '' },
      { user: "'-x", n: '1', note: "'\tTAB" },
      { user: 'plain', n: '2', note: '|pipe|' },
    ]);
  });

  it('csv: --no-csv-safe keeps cells as they are; --excel adds a BOM', () => {
    const raw = render(result, 'csv', { csvSafe: false, excel: true });
    expect(raw.startsWith('\ufeffuser,n,note\n')).toBe(true);
    expect((parse(raw.slice(1), { columns: true }) as Array<Record<string, string>>)[0]!.user).toBe('=HYPERLINK("http://x","y")');
  });

  it('json: an array of objects with the columns as keys, in order', () => {
    const back = JSON.parse(render(result, 'json'));
    expect(back[0]).toEqual({ user: '=HYPERLINK("http://x","y")', n: 3, note: 'a, "quoted" note' });
    expect(Object.keys(back[2])).toEqual(['user', 'n', 'note']);
    expect(back[2].note).toBeNull();
  });

  it('markdown: a GitHub table, pipes escaped, numbers right-aligned', () => {
    const lines = render(result, 'markdown').trimEnd().split('\n');
    expect(lines[0]).toBe('| user | n | note |');
    expect(lines[1]).toBe('| --- | ---: | --- |');
    expect(lines[3]).toBe('| @SUM(1) | -4 | line<br>break |');
    expect(lines[6]).toBe('| plain | 2 | \\|pipe\\| |');
  });

  it('table: aligned columns, numbers right-aligned, cut to the width given', () => {
    const wide = render(result, 'table').split('\n');
    // the user column is as wide as the HYPERLINK cell (26), n as wide as '0.5'
    expect(wide[0]).toBe(`${'user'.padEnd(26)}    n  note`);
    expect(wide[3]).toBe(`${'@SUM(1)'.padEnd(26)}   -4  line break`);
    // Only free text gives way (note: by its name), down to 12 characters; a user name is not cut.
    const narrow = render(result, 'table', { width: 24 }).trimEnd().split('\n');
    expect(narrow[0]).toBe(`${'user'.padEnd(26)}    n  note`);
    expect(narrow[2]).toBe(`${'=HYPERLINK("http://x","y")'}    3  a, "quoted"…`);
  });

  it('table: never cuts numbers, addresses, times or codes; lines run past a narrow terminal instead', () => {
    const r = {
      columns: ['client_ip', 'bytes', 'last_ts', 'reply_code', 'path'],
      rows: [['2001:db8:ffff:ffff:ffff:ffff:ffff:1234', 168571234567, '2024-03-05T14:03:27Z', 426, '/pub/a very long path name/with spaces/file.iso']],
    };
    const lines = render(r, 'table', { width: 60 }).split('\n');
    expect(lines[2]).toContain('2001:db8:ffff:ffff:ffff:ffff:ffff:1234');
    expect(lines[2]).toContain('168571234567');
    expect(lines[2]).toContain('2024-03-05T14:03:27Z');
    expect(lines[2]).toContain('426');
    expect(lines[2]).toContain('/pub/a very…');
    expect(render(r, 'table').split('\n')[2]).toContain('/pub/a very long path name/with spaces/file.iso');
  });

  it('table: says so when there are no rows', () => {
    expect(render({ columns: ['a'], rows: [] }, 'table')).toBe('a\n-\n(no rows)\n');
  });
});
