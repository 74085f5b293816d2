/**
 * Shell-style patterns on a file name, as `find -name` reads them: `*` any run of characters, `?` one
 * character, `[abc]`, `[a-z]` and `[!abc]` one of a set, `{log,txt}` one of several words; `\` makes
 * the next character plain. A pattern matches the whole name.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, close);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      re += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) {
        re += '\\{';
        continue;
      }
      re += `(?:${pattern.slice(i + 1, close).split(',').map((w) => w.split('').map(escape).join('')).join('|')})`;
      i = close;
    } else re += escape(c);
  }
  const compiled = new RegExp(`^${re}$`, 's');
  return (name) => compiled.test(name);
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
