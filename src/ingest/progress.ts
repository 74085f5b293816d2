/**
 * A one-line progress display on a terminal's stderr: bytes and percent of the sizes known up
 * front, lines per second, the current file. Silent when stderr is no terminal (cron) or on --quiet.
 */
export interface Progress {
  update(bytes: number, lines: number, current: string): void;
  done(): void;
}

export const silentProgress: Progress = { update() {}, done() {} };

export function terminalProgress(stream: NodeJS.WriteStream, totalBytes: number, intervalMs = 250): Progress {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(bytes, lines, current) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const pct = totalBytes > 0 ? ` (${Math.min(100, (100 * bytes) / totalBytes).toFixed(0)}%)` : '';
      const of = totalBytes > 0 ? ` / ${mb(totalBytes)}` : '';
      const text = `ftplog: ${mb(bytes)}${of}${pct}  ${Math.round(lines / seconds).toLocaleString('en-US')} lines/s  ${current}`;
      const width = stream.columns ? stream.columns - 1 : 120;
      stream.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
