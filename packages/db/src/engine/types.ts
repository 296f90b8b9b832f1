/** One SQL engine: PGlite (embedded) or a PostgreSQL server, behind the same interface. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** How a statement runs. */
export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection (PostgreSQL server): the next run of the same
   * text skips parsing and planning. For fixed-shape statements that run often (writes, reads by
   * id); never for searches, whose best plan depends on the values.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction (BEGIN … COMMIT, ROLLBACK on throw). Serialised on PGlite. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with the payload of every `NOTIFY channel` (`pg_notify`) committed from
   * now on, by this process or another one on the same database: PostgreSQL delivers a
   * notification only when the transaction that sent it commits, so listeners hear of
   * committed changes only (the live bed board). Resolves with the function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
