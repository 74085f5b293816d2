import { describe, expect, it } from 'vitest';
import { classifyReply, isReplyCode, outcomeOfReply, REPLY_CODES } from '../../src/codes/replyCodes.js';

// Every code the two reference documents list (shared/seeds/), typed in from the documents.
const SEED000 = [110, 120, 125, 150, 200, 202, 211, 212, 213, 214, 215, 220, 221, 225, 226, 227, 230, 250, 257,
  331, 332, 350, 421, 425, 426, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532, 550, 551, 552, 553];
const SEED001 = [110, 120, 125, 150, 202, 211, 212, 213, 214, 215, 220, 221, 225, 226, 227, 228, 229, 230, 231, 232,
  250, 257, 331, 332, 350, 421, 425, 426, 430, 434, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532, 550, 551, 552,
  553, 631, 632, 633];

describe('reply-code table', () => {
  it.each(SEED000)('%i is present with a meaning from seed 000', (code) => {
    const meanings = REPLY_CODES.get(code);
    expect(meanings?.some((m) => m.sources.includes('seed000'))).toBe(true);
  });

  it.each(SEED001)('%i is present with a meaning from seed 001', (code) => {
    const meanings = REPLY_CODES.get(code);
    expect(meanings?.some((m) => m.sources.includes('seed001'))).toBe(true);
  });

  it('holds nothing the documents do not list', () => {
    expect([...REPLY_CODES.keys()].sort()).toEqual([...new Set([...SEED000, ...SEED001])].sort());
  });

  it('keeps both wordings where the documents differ, each citing its own', () => {
    for (const code of [110, 215, 452, 120, 500]) {
      const meanings = REPLY_CODES.get(code)!;
      expect(meanings.map((m) => m.sources)).toEqual([['seed000'], ['seed001']]);
    }
    expect(REPLY_CODES.get(215)![0]!.text).toContain('Assigned Numbers');
    expect(REPLY_CODES.get(215)![1]!.text).toContain('IANA');
    expect(REPLY_CODES.get(110)![1]!.text).toContain('MARK yyyy = mmmm');
  });

  it('merges identical wordings into one meaning citing both', () => {
    expect(REPLY_CODES.get(530)).toEqual([{ text: 'Not logged in.', sources: ['seed000', 'seed001'] }]);
    expect(REPLY_CODES.get(430)).toEqual([{ text: 'Invalid username or password', sources: ['seed001'] }]);
    expect(REPLY_CODES.get(200)).toEqual([{ text: 'Command okay.', sources: ['seed000'] }]);
  });
});

describe('classifyReply', () => {
  const CLASS_NAMES = ['', 'positive preliminary', 'positive completion', 'positive intermediate',
    'transient negative completion', 'permanent negative completion', 'protected'];
  const GROUP_NAMES = ['syntax', 'information', 'connections', 'authentication and accounting', 'unspecified',
    'file system', 'unassigned', 'unassigned', 'unassigned', 'unassigned'];

  it('classifies every number from 100 to 699 by its digits', () => {
    for (let code = 100; code <= 699; code++) {
      const info = classifyReply(code)!;
      const first = Math.floor(code / 100);
      const second = Math.floor(code / 10) % 10;
      expect(info.code).toBe(code);
      expect(info.replyClass).toBe(first);
      expect(info.className).toBe(CLASS_NAMES[first]);
      expect(info.group).toBe(second);
      expect(info.groupName).toBe(GROUP_NAMES[second]);
      expect(info.meanings).toEqual(REPLY_CODES.get(code) ?? []);
    }
  });

  it('says an unlisted but well-formed code has no meaning rather than inventing one', () => {
    expect(classifyReply(599)).toMatchObject({ replyClass: 5, group: 9, meanings: [] });
  });

  it.each([0, 1, 99, 700, 999, 1000, 10054, -530, 530.5, NaN])('%d is no FTP reply', (n) => {
    expect(isReplyCode(n)).toBe(false);
    expect(classifyReply(n)).toBeNull();
  });

  it('derives outcome from the class', () => {
    expect([150, 226, 331, 421, 530, 631].map(outcomeOfReply)).toEqual(['pending', 'ok', 'pending', 'fail', 'fail', 'pending']);
  });
});
