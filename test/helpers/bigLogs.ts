import { writeFileSync } from 'node:fs';

/**
 * A big xferlog with a reject every 97 lines and a blank every 101, so every kind of line is in each
 * batch: all on 2024-03-05 (each line a second on, round the clock).
 */
export function bigXferlog(path: string, lines: number): void {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    if (i % 101 === 0) out.push('');
    else if (i % 97 === 0) out.push(`broken line ${i}`);
    else out.push(`Tue Mar  5 ${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} 2024 ${i % 7} 198.51.100.${i % 250} ${i * 13} /data/file ${i}.bin b _ ${i % 3 ? 'o' : 'i'} r user${i % 50} ftp 0 * ${i % 11 ? 'c' : 'i'}`);
  }
  writeFileSync(path, out.join('\n') + '\n');
}
