import type { QueryStore, Store } from './index.js';
import { openQueryStore as openSqliteQueryStore, openStore as openSqliteStore } from './sqlite/store.js';
import { openClickHouseQueryStore, openClickHouseStore } from './clickhouse/store.js';
import { parseTarget } from './clickhouse/url.js';

/** How a store is opened beyond where it is: a ClickHouse cluster to spread new tables over. */
export interface StoreOptions {
  /** ClickHouse: the cluster (from the servers' remote_servers) whose shards get local tables under a Distributed one. */
  cluster?: string;
}

/** `--db clickhouse://host:8123/database` names a ClickHouse store; anything else is a SQLite file. */
export function isClickHouse(db: string): boolean {
  return /^clickhouse:\/\//i.test(db);
}

/** Throws a StoreError when `db` is a ClickHouse URL that cannot be read (a file name is any name). */
export function checkStoreName(db: string): void {
  if (isClickHouse(db)) parseTarget(db);
}

/** The store `db` names, opened for ingest (created on first use). */
export async function openStore(db: string, options: StoreOptions = {}): Promise<Store> {
  return isClickHouse(db) ? openClickHouseStore(db, options) : openSqliteStore(db);
}

/** The store `db` names, opened for reading only. */
export async function openQueryStore(db: string): Promise<QueryStore> {
  return isClickHouse(db) ? openClickHouseQueryStore(db) : openSqliteQueryStore(db);
}

/** The store as output names it: a ClickHouse URL without its password. */
export function storeLabel(db: string): string {
  return isClickHouse(db) ? db.replace(/^(clickhouse:\/\/[^:@/]*):[^@/]*@/i, '$1@') : db;
}
