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
  close(): Promise<void>;
}
