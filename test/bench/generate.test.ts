import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the benchmark is plain JavaScript, without types
import { generate, generateParts } from '../../bench/generate.mjs';
import { tempDir } from '../helpers/tmp.js';

const linesOf = (path: string, eol: string) => readFileSync(path, 'utf8').split(eol).slice(0, -1);

describe('bench generator: the same lines in several files (--files)', () => {
  it.each([['xferlog', '\n'], ['vsftpd', '\n'], ['iis', '\r\n']])('%s: cuts the lines generate() writes into files of near-equal counts', async (format, eol) => {
    const dir = tempDir();
    await generate(format, 1000, join(dir, 'one.log'));
    const partsDir = join(dir, 'parts');
    mkdirSync(partsDir);
    const paths: string[] = await generateParts(format, 1000, partsDir, 7);
    expect(paths.map((p) => p.slice(partsDir.length + 1))).toEqual(['000', '001', '002', '003', '004', '005', '006'].map((n) => `part_${n}.log`));
    const parts = paths.map((p) => linesOf(p, eol));
    const whole = linesOf(join(dir, 'one.log'), eol);
    // An IIS file starts with its header block; every later part repeats the block in force, as IIS does in each new file.
    const header = format === 'iis' ? whole.slice(0, 4) : [];
    expect(header.map((l) => l.split(':')[0])).toEqual(format === 'iis' ? ['#Software', '#Version', '#Date', '#Fields'] : []);
    expect(parts.map((p) => p.length)).toEqual([143, 143, 143, 143, 143, 143, 142].map((n, i) => n + (i > 0 ? header.length : 0)));
    for (const p of parts.slice(1)) expect(p.slice(0, header.length)).toEqual(header);
    expect(parts.flatMap((p, i) => (i > 0 ? p.slice(header.length) : p))).toEqual(whole);
  });
});
