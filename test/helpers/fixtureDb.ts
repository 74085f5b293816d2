import { join } from 'node:path';
import { ingest } from '../../src/ingest/ingest.js';
import { openForWrite } from '../../src/store/db.js';
import { fixture } from './parse.js';

/** A database file holding every fixture, read as the report tests expect: UTC, syslog year 2023. */
export async function buildFixtureDb(dir: string): Promise<string> {
  const path = join(dir, 'fixtures.db');
  const db = openForWrite(path);
  try {
    await ingest(db, [fixture('xferlog'), fixture('vsftpd'), fixture('iis')], {
      format: 'auto', tz: 'UTC', year: 2023, maxLineBytes: 65536,
    });
  } finally {
    db.close();
  }
  return path;
}
