import { describe, expect, it } from 'vitest';
import { xferlog } from '../../src/formats/xferlog.js';
import type { LineResult } from '../../src/formats/types.js';

const STAMP = 'Tue Mar  5 14:03:27 2024';
const parse = (rest: string): LineResult =>
  xferlog.createParser({ tz: 'UTC', referenceDate: new Date('2024-06-01T00:00:00Z') }).parse(`${STAMP} ${rest}`);
const event = (rest: string) => {
  const r = parse(rest);
  if (r.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r.event;
};

// Where the fields are found by scanning from both ends of the line, and where by tokens.
describe('xferlog fields and spacing', () => {
  it('keeps runs of spaces inside a filename and finds the tail from the end', () => {
    const e = event('2 203.0.113.9 52344 /pub/Quarterly  Reports/a b _ o.csv b _ o r alice ftp 0 * c');
    expect(e).toMatchObject({ path: '/pub/Quarterly  Reports/a b _ o.csv', username: 'alice', bytes: 52344, command: 'RETR', outcome: 'ok' });
  });

  it('reads a field the server left empty between single spaces as empty, not as a shift of the tail', () => {
    const e = event('2 203.0.113.9 52344 /pub/a.iso b _ o r carol  0 * c');
    expect(e).toMatchObject({ username: 'carol', detail: 'real ', path: '/pub/a.iso', outcome: 'ok' });
  });

  it('takes one token after a valid tail as the server address', () => {
    const e = event('5 2001:db8::42 700000 /srv/up load.csv b _ i r bob ftps 0 * c 192.0.2.10');
    expect(e).toMatchObject({ server: '192.0.2.10', path: '/srv/up load.csv', command: 'STOR', clientIp: '2001:db8::42', detail: 'real ftps' });
  });

  it('does not count spaces between the filename and the tail as part of the filename', () => {
    expect(event('5 203.0.113.9 7 /srv/data.csv   b _ i r bob ftp 0 * c').path).toBe('/srv/data.csv');
    expect(event('5 203.0.113.9 7 /srv/data.csv  b _ i r bob ftp 0 * c 192.0.2.10')).toMatchObject({ path: '/srv/data.csv', server: '192.0.2.10' });
  });

  it('reads tab- and multi-space-separated fields like single-spaced ones', () => {
    const single = event('2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * i');
    expect(event('2\t203.0.113.9  52344 /pub/a.iso\tb _ o r alice ftp 0 * i')).toEqual(single);
    expect(event(' 2 203.0.113.9 52344  /pub/a.iso b _ o r alice ftp 0 * i')).toEqual(single);
    expect(single).toMatchObject({ outcome: 'fail', detail: 'real ftp incomplete', durationMs: 2000 });
  });

  it('rejects a line whose tail is not one, with the reason, whichever path read it', () => {
    expect(parse('2 203.0.113.9 52344 /pub/a.iso x _ o r alice ftp 0 * c')).toEqual({ type: 'reject', reason: "xferlog: transfer type 'x' is not a or b" });
    expect(parse('2 203.0.113.9 52344 /pub/a.iso b _ o r alice ftp 0 * c extra more')).toEqual({ type: 'reject', reason: "xferlog: transfer type 'o' is not a or b" });
    expect(parse('2 203.0.113.9 52344 b _ o r alice ftp 0 * c')).toEqual({ type: 'reject', reason: 'xferlog: 17 fields, expected at least 18' });
    expect(parse('two 203.0.113.9 52344 /a b _ o r alice ftp 0 * c')).toEqual({ type: 'reject', reason: "xferlog: transfer time 'two' is not a whole number of seconds" });
  });

  it('takes only a, g or r as the access mode, not a name every object has', () => {
    for (const mode of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const reason = `xferlog: access mode '${mode}' is not a, g or r`;
      expect(parse(`2 203.0.113.9 52344 /pub/a.iso b _ o ${mode} alice ftp 0 * c`)).toEqual({ type: 'reject', reason });
      expect(parse(`2  203.0.113.9 52344 /pub/a.iso b _ o ${mode} alice ftp 0 * c`)).toEqual({ type: 'reject', reason });
    }
  });
});

describe('xferlog detail text', () => {
  it('spells out access mode, service, ascii, action and incomplete for every combination, line after line', () => {
    // More combinations than the parser keeps built texts for, each seen twice in a row and again
    // later, so texts handed out again and texts built anew must both be right.
    const combos: Array<[string, string, string, string, string]> = [];
    for (const access of ['a', 'g', 'r']) {
      for (const type of ['a', 'b']) {
        for (const action of ['_', 'C', 'T']) for (const status of ['c', 'i']) combos.push([type, action, access, 'ftp', status]);
      }
    }
    combos.push(['b', '_', 'r', 'sftp', 'c'], ['b', '_', 'r', 'ftps', 'i']);
    const expected = ([type, action, access, service, status]: [string, string, string, string, string]) =>
      `${{ a: 'anonymous', g: 'guest', r: 'real' }[access]} ${service}${type === 'a' ? ' ascii' : ''}${action === '_' ? '' : ` action=${action}`}${status === 'i' ? ' incomplete' : ''}`;
    expect(combos.length).toBe(38);
    for (const c of [...combos, ...combos.slice().reverse(), ...combos]) {
      const [type, action, access, service, status] = c;
      const line = `1 203.0.113.9 10 /pub/a.iso ${type} ${action} o ${access} alice ${service} 0 * ${status}`;
      for (let k = 0; k < 2; k++) expect(event(line).detail, line).toBe(expected(c));
    }
  });
});
