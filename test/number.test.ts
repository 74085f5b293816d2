import { describe, expect, it } from 'vitest';
import { wholeNumberAt } from '../src/number.js';

describe('wholeNumberAt', () => {
  it.each([['0', 0], ['7', 7], ['007', 7], ['52344', 52344], ['999999999999999', 999999999999999], ['9007199254740991', 9007199254740991]])(
    'reads %j as %d', (text, n) => {
      expect(wholeNumberAt(text)).toBe(n);
    });

  it.each(['', ' ', ' 5', '5 ', '+5', '-3', '-5', '1.5', '.5', '5.', '1e3', '0x1A', '0x10', '0b11', 'Infinity', 'abc', '12a', '١٢', '１２',
    '\t7', '9007199254740992', '99999999999999999999999'])('reads %j as no number', (text) => {
    expect(wholeNumberAt(text)).toBeNull();
  });

  it('reads a range of a longer text', () => {
    const line = 'x 52344 1.5 - 0x1A';
    expect([[2, 7], [8, 11], [12, 13], [14, 18], [2, 2]].map(([s, e]) => wholeNumberAt(line, s, e))).toEqual([52344, null, null, null, null]);
  });
});
