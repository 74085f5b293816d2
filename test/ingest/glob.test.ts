import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/ingest/glob.js';

describe('file name patterns (--include, --exclude)', () => {
  const matches = (pattern: string, names: string[]) => names.filter(globMatcher(pattern));

  it('reads *, ?, sets, ranges, negated sets and alternatives over the whole name', () => {
    const names = ['vsftpd.log', 'vsftpd.log.1', 'vsftpd.log.2.gz', 'xferlog', 'u_ex240305.log', 'logo.png', 'a.log.bak'];
    expect(matches('*.log', names)).toEqual(['vsftpd.log', 'u_ex240305.log']);
    expect(matches('*.log.?', names)).toEqual(['vsftpd.log.1']);
    expect(matches('*.log.[0-9]*', names)).toEqual(['vsftpd.log.1', 'vsftpd.log.2.gz']);
    expect(matches('*.log.[!0-9]*', names)).toEqual(['a.log.bak']);
    expect(matches('*.{png,bak}', names)).toEqual(['logo.png', 'a.log.bak']);
    expect(matches('xferlog', names)).toEqual(['xferlog']);
  });

  it('takes regular-expression characters and an escaped star literally', () => {
    expect(globMatcher('a+b(1).log')('a+b(1).log')).toBe(true);
    expect(globMatcher('a+b(1).log')('aab1.log')).toBe(false);
    expect(globMatcher('star\\*.log')('star*.log')).toBe(true);
    expect(globMatcher('star\\*.log')('starry.log')).toBe(false);
    expect(globMatcher('[abc')('[abc')).toBe(true);
  });
});
