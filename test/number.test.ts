import { describe, expect, it } from 'vitest';
import { numberAt } from '../src/number.js';

describe('numberAt', () => {
  const texts = ['0', '7', '007', '52344', '999999999999999', '9007199254740993', '123456789012345678901', '', ' ', ' 5', '5 ',
    '+5', '-3', '1.5', '.5', '5.', '1e3', '0x1A', '0b11', 'Infinity', 'abc', '12a', '١٢', '１２', '\t7'];

  it.each(texts)('reads %j as Number() does', (text) => {
    expect(numberAt(text)).toBe(Number(text));
  });

  it('reads a range of a longer text as Number() reads that slice', () => {
    const line = 'x 52344 1.5 - 0x1A';
    for (const [start, end] of [[2, 7], [8, 11], [12, 13], [14, 18], [2, 2], [0, 18]]) {
      expect(numberAt(line, start, end)).toBe(Number(line.slice(start, end)));
    }
  });
});
