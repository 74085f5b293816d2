import { StoreError } from '../errors.js';

/** Where a ClickHouse store is: its servers' HTTP addresses, the database, and who connects. */
export interface ClickHouseTarget {
  /** `http://host:8123` of each server named; the first answers queries and ingests, the others are shards that need tables. */
  servers: string[];
  database: string;
  username: string;
  password: string;
}

/**
 * Reads `clickhouse://[user[:password]@]host[:port][,host[:port]…]/database`. The user and password
 * come from the URL or else from FTPLOG_CLICKHOUSE_USER and FTPLOG_CLICKHOUSE_PASSWORD; no message ever
 * shows the password (see `describeTarget`).
 */
export function parseTarget(url: string, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  const m = /^clickhouse:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/([A-Za-z_][A-Za-z0-9_]*)\/?$/i.exec(url);
  if (!m) throw new StoreError('a ClickHouse store is named clickhouse://[user[:password]@]host[:port][,host2[:port]]/database (a database name of letters, digits and _)');
  const [, user, password, hosts = "", database = ""] = m;
  const servers = hosts.split(',').map((h) => {
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(h)) throw new StoreError(`'${h}' is not a host[:port] of a ClickHouse server`);
    return `http://${/:\d+$/.test(h) && !h.endsWith(']') ? h : `${h}:8123`}`;
  });
  return {
    servers,
    database,
    username: user ? decodeURIComponent(user) : (env.FTPLOG_CLICKHOUSE_USER ?? 'default'),
    password: password !== undefined ? decodeURIComponent(password) : (env.FTPLOG_CLICKHOUSE_PASSWORD ?? ''),
  };
}

/** The store as messages name it: servers and database, never the password. */
export function describeTarget(t: ClickHouseTarget): string {
  return `clickhouse://${t.username}@${t.servers.map((s) => s.replace(/^http:\/\//, '')).join(',')}/${t.database}`;
}
