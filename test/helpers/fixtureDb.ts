import { join } from 'node:path';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/index.js';
import { fixture } from './parse.js';

/** A database file holding every fixture, read as the report tests expect: UTC, syslog year 2023. */
export async function buildFixtureDb(dir: string): Promise<string> {
  const path = join(dir, 'fixtures.db');
  const store = await openStore(path);
  try {
    await ingest(store, [fixture('xferlog'), fixture('vsftpd'), fixture('iis')], {
      format: 'auto', tz: 'UTC', year: 2023, maxLineBytes: 65536,
    });
  } finally {
    await store.close();
  }
  return path;
}
