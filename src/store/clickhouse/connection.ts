import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { QueryError, StoreError } from '../errors.js';
import type { ResultSet, RowStream } from '../index.js';
import { tsvReader, tsvUnescape } from './tsv.js';
import { describeTarget, type ClickHouseTarget } from './url.js';

/** Queries that read many rows take their time; a batch insert too. */
const REQUEST_TIMEOUT_MS = 600_000;

/**
 * One ClickHouse server over HTTP (@clickhouse/client), in the subset that Debian's 18.16 and a
 * current server both speak: no server-side parameters, TabSeparated in and out.
 */
export class Connection {
  private readonly client: ClickHouseClient;

  /** How messages name the store: the URL the user gave, without its password. */
  private readonly label: string;

  constructor(readonly target: ClickHouseTarget, readonly server: string, private readonly settings: ClickHouseSettings = {}, label?: string) {
    this.label = label ?? describeTarget(target);
    this.client = createClient({
      url: server, username: target.username, password: target.password, database: target.database,
      request_timeout: REQUEST_TIMEOUT_MS, compression: { request: false, response: false }, clickhouse_settings: settings,
      // Its warnings go to stdout; every failure reaches ftplog as an error, which says it once on stderr.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /** The same server in the server's `default` database (to create the store's own). */
  withoutDatabase(): Connection {
    return new Connection({ ...this.target, database: 'default' }, this.server, this.settings, this.label);
  }

  /** The same database and settings on another server (a shard). */
  onServer(server: string): Connection {
    return new Connection(this.target, server, this.settings);
  }

  /** A statement that returns nothing (DDL, ALTER). */
  async command(sql: string): Promise<void> {
    await this.run(() => this.client.command({ query: sql }));
  }

  /** The one number a `SELECT count() …` returns. */
  async count(sql: string): Promise<number> {
    return Number((await this.select(sql)).rows[0]![0]);
  }

  /** Rows of a SELECT, typed by the columns' ClickHouse types. */
  async select(sql: string): Promise<ResultSet> {
    const { columns, rows } = await this.stream(sql);
    const all: unknown[][] = [];
    for await (const row of rows) all.push(row);
    return { columns, rows: all };
  }

  /** Rows of a SELECT as the server sends them: the column names and types come first. */
  async stream(sql: string): Promise<RowStream> {
    const result = await this.run(() => this.client.query({ query: sql.replace(/;\s*$/, ''), format: 'TabSeparatedWithNamesAndTypes' }));
    const lines = (async function* () {
      try {
        for await (const batch of result.stream()) for (const row of batch) yield row.text;
      } catch (err) {
        throw new QueryError(serverMessage(err));
      }
    })();
    const names = await lines.next();
    const types = await lines.next();
    if (names.done || types.done) throw new QueryError('the server sent no column names');
    const columns = names.value.split('\t').map(tsvUnescape);
    const readers = types.value.split('\t').map((t) => tsvReader(tsvUnescape(t)));
    return {
      columns,
      rows: (async function* () {
        for await (const line of lines) {
          const fields = line.split('\t');
          yield fields.map((f, i) => readers[i]!(f));
        }
      })(),
    };
  }

  /** One INSERT of TabSeparated text; `queryId` makes a second send of the same batch fail while the first runs. */
  async insert(table: string, columns: readonly string[], tsv: ReadonlyArray<string | Buffer>, queryId: string): Promise<void> {
    await this.run(() => this.client.insert({
      table, columns: columns as [string, ...string[]], values: Readable.from(tsv, { objectMode: false }), format: 'TabSeparated', query_id: queryId,
    }));
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** A refusal by the server is a QueryError with its message; no answer at all says which server and why. */
  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as { code?: string; type?: string; message?: string };
      // The server's own refusals carry its error code; anything else is the way to it failing.
      if (e.type !== undefined || /^\d+$/.test(String(e.code ?? '')) || /\bCode: \d+/.test(String(e.message))) throw new QueryError(serverMessage(err));
      throw new StoreError(`cannot reach ClickHouse at ${this.label}: ${e.message ?? String(err)}`);
    }
  }
}

function serverMessage(err: unknown): string {
  return ((err as Error).message ?? String(err)).replace(/\s+/g, ' ').trim();
}
