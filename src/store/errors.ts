/** The store's errors: a leaf, so that every engine and the callers of the store interface share them. */

/** Another ingest has moved this source's position since this one started reading it. */
export class SourceTakenError extends Error {
  override name = 'SourceTakenError';
}

/** A query the store refused or could not run (not a statement that returns rows, a syntax error). */
export class QueryError extends Error {
  override name = 'QueryError';
}

/** The store could not be opened as an ftplog store. */
export class StoreError extends Error {
  override name = 'StoreError';
}
