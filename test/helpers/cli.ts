import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: a child process, no TTY, its own exit status. */
export function runCli(args: string[], opts: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
    ...opts,
    // The machine's zone is the default for reading logs and showing times: UTC unless a test names one.
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...opts.env },
  });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
