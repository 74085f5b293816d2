import type { Connection } from './connection.js';
import { localName } from './schema.js';

/** Where rows of the store live: the servers to run a mutation on, and whether their tables are a Distributed one's shards. */
export interface Layout {
  servers: string[];
  distributed: boolean;
}

/**
 * Deletes rows with a mutation on each server's own table (ALTER … DELETE, which a Distributed table
 * does not take), then waits until the server has applied it: once this returns, no query sees them.
 */
export async function deleteRows(conn: Connection, layout: Layout, table: string, where: string): Promise<void> {
  const local = localName(table, layout.distributed);
  for (const server of layout.servers) {
    const c = server === conn.server ? conn : conn.onServer(server);
    try {
      await c.command(`ALTER TABLE ${local} DELETE WHERE ${where}`);
      for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
        if ((await c.count(`SELECT count() FROM system.mutations WHERE database = '${conn.target.database}' AND table = '${local}' AND is_done = 0`)) === 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      if (c !== conn) await c.close();
    }
  }
}
