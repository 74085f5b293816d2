import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, parseBytes } from '../helpers/parse.js';

// Every fixture read as it is, and again as editors, terminals and `cat` leave logs: each line with
// spaces and tabs after its end, and (where a file carries no state from one line to the next: no
// year roll-over, no #Fields header) the file twice over with its own byte order mark in between.
const FIXTURES: Array<[string, { year?: number }, boolean]> = [
  ['xferlog/xferlog', {}, true], ['vsftpd/vsftpd.log', {}, true], ['vsftpd/auth-syslog.log', { year: 2023 }, false],
  ['iis/u_ex240305.log', {}, false], ['iis/ex240305.log', {}, false], ['same-night/vsftpd-protocol.log', { year: 2024 }, true],
];

describe('blanks at the line ends and a byte order mark mid-stream change nothing', () => {
  it.each(FIXTURES)('%s', (rel, opts, concatenates) => {
    const clean = readFileSync(fixture(rel));
    const asIs = parseBytes(clean, opts);
    const text = clean.toString('utf8');
    const crlf = text.includes('\r\n');
    const messy = text.split(crlf ? '\r\n' : '\n').map((l, i) => (l === '' ? l : l + [' ', '\t', '  \t '][i % 3])).join(crlf ? '\r\n' : '\n');
    const trailing = parseBytes(messy, opts);
    expect(trailing.events).toEqual(asIs.events);
    expect(trailing.rejects.map((r) => r.lineNo)).toEqual(asIs.rejects.map((r) => r.lineNo));
    if (!concatenates) return;

    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = clean.subarray(0, 3).equals(bom) ? clean : Buffer.concat([bom, clean]);
    const twice = parseBytes(Buffer.concat([body, text.endsWith('\n') ? Buffer.alloc(0) : Buffer.from('\n'), body]), opts);
    expect(twice.events).toEqual([...asIs.events, ...asIs.events]);
  });
});
