/**
 * A small, immutable SQL AST for search queries (after Kysely's operation nodes). Builders return
 * frozen nodes; `compile()` turns a tree into `{ sql, params }`. Values only ever travel as
 * parameters; table and column names come from this file's closed sets, never from a request.
 */

/** The tables a search may read. */
export type TableName =
  | 'resources'
  | 'idx_token'
  | 'idx_string'
  | 'idx_date'
  | 'idx_reference'
  | 'idx_number'
  | 'idx_quantity'
  | 'idx_uri'
  | 'idx_composite'
  | 'idx_text'
  | 'idx_position';

/** Casts a parameter may carry, so both engines infer the same type. */
export type SqlType = 'text' | 'bigint' | 'integer' | 'numeric' | 'timestamptz' | 'boolean' | 'float8';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Expression =
  | Readonly<{ kind: 'column'; table: string; name: string }>
  | Readonly<{ kind: 'param'; value: unknown; cast: SqlType }>
  | Readonly<{ kind: 'literal'; value: boolean }>
  | Readonly<{ kind: 'compare'; op: CompareOp; left: Expression; right: Expression }>
  | Readonly<{ kind: 'like'; left: Expression; pattern: Expression }>
  | Readonly<{ kind: 'isNull'; operand: Expression; negated: boolean }>
  | Readonly<{ kind: 'and' | 'or'; operands: readonly Expression[] }>
  | Readonly<{ kind: 'not'; operand: Expression }>
  | Readonly<{ kind: 'in'; left: Expression; query: SelectQuery }>
  | Readonly<{ kind: 'anyOf'; left: Expression; values: readonly string[] }>
  | Readonly<{ kind: 'exists'; query: SelectQuery }>
  | Readonly<{ kind: 'subquery'; query: SelectQuery }>
  | Readonly<{ kind: 'call'; name: AggregateOrFunction; args: readonly Expression[] }>
  | Readonly<{ kind: 'countDistinct'; operand: Expression }>
  | Readonly<{ kind: 'textMatch'; vector: Expression; queries: readonly string[] }>
  | Readonly<{
      kind: 'distanceKm';
      latitude: Expression;
      longitude: Expression;
      from: Readonly<{ latitude: number; longitude: number }>;
    }>;

/** Functions the compiler may emit. */
export type AggregateOrFunction = 'min' | 'max' | 'count' | 'lower' | 'starts_with';

export interface SelectColumn {
  readonly expression: Expression;
  readonly alias: string;
}

export interface OrderTerm {
  readonly expression: Expression;
  readonly descending: boolean;
}

export interface SelectQuery {
  readonly kind: 'select';
  readonly columns: readonly SelectColumn[];
  readonly from: Readonly<{ table: TableName; alias: string }>;
  readonly where?: Expression;
  readonly orderBy?: readonly OrderTerm[];
  readonly limit?: number;
  readonly offset?: number;
  /**
   * Find every match first, then order and cut the page: the WHERE runs in a subquery fenced
   * with `OFFSET 0`, which PostgreSQL plans for all its rows (from the index tables), never as an
   * index walk in ORDER BY order that probes each row and stops at LIMIT. For a filter known to
   * match few rows; see "Search plans" in the db README.
   */
  readonly matchesFirst?: boolean;
}

const freeze = <T extends object>(node: T): Readonly<T> => Object.freeze(node);

export const column = (table: string, name: string): Expression => freeze({ kind: 'column', table, name });

export const param = (value: unknown, cast: SqlType = 'text'): Expression =>
  freeze({ kind: 'param', value, cast });

export const literal = (value: boolean): Expression => freeze({ kind: 'literal', value });

export const compare = (left: Expression, op: CompareOp, right: Expression): Expression =>
  freeze({ kind: 'compare', op, left, right });

/** `left = value` with the value as a parameter. */
export const eq = (left: Expression, value: unknown, cast: SqlType = 'text'): Expression =>
  compare(left, '=', param(value, cast));

export const like = (left: Expression, pattern: string): Expression =>
  freeze({ kind: 'like', left, pattern: param(pattern) });

export const isNull = (operand: Expression, negated = false): Expression =>
  freeze({ kind: 'isNull', operand, negated });

/** AND of the operands; one operand is returned as is, none is TRUE. */
export const and = (...operands: Expression[]): Expression =>
  operands.length === 1 ? operands[0] : freeze({ kind: 'and', operands: Object.freeze([...operands]) });

/** OR of the operands; one operand is returned as is, none is FALSE. */
export const or = (...operands: Expression[]): Expression =>
  operands.length === 1 ? operands[0] : freeze({ kind: 'or', operands: Object.freeze([...operands]) });

export const not = (operand: Expression): Expression => freeze({ kind: 'not', operand });

export const inSubquery = (left: Expression, query: SelectQuery): Expression =>
  freeze({ kind: 'in', left, query });

/** `left = ANY($n::text[])`: one parameter for a list (the types of a system-wide search). */
export const anyOf = (left: Expression, values: readonly string[]): Expression =>
  values.length === 1
    ? eq(left, values[0])
    : freeze({ kind: 'anyOf', left, values: Object.freeze([...values]) });

export const exists = (query: SelectQuery): Expression => freeze({ kind: 'exists', query });

export const subquery = (query: SelectQuery): Expression => freeze({ kind: 'subquery', query });

export const call = (name: AggregateOrFunction, ...args: Expression[]): Expression =>
  freeze({ kind: 'call', name, args: Object.freeze([...args]) });

/**
 * `vector @@ (websearch_to_tsquery(q1) || websearch_to_tsquery(q2) …)`: any of the queries (the
 * OR-ed values of one parameter) matches; one GIN lookup for them all.
 */
export const textMatch = (vector: Expression, queries: readonly string[]): Expression =>
  freeze({ kind: 'textMatch', vector, queries: Object.freeze([...queries]) });

/** The great-circle (haversine) distance in km from a fixed point to the point in two columns. */
export const distanceKm = (
  latitude: Expression,
  longitude: Expression,
  from: { latitude: number; longitude: number },
): Expression => freeze({ kind: 'distanceKm', latitude, longitude, from: freeze({ ...from }) });

/** `count(DISTINCT operand)`. */
export const countDistinct = (operand: Expression): Expression => freeze({ kind: 'countDistinct', operand });

export function select(
  from: { table: TableName; alias: string },
  columns: SelectColumn[],
  rest: {
    where?: Expression;
    orderBy?: OrderTerm[];
    limit?: number;
    offset?: number;
    matchesFirst?: boolean;
  } = {},
): SelectQuery {
  return freeze({
    kind: 'select',
    columns: Object.freeze([...columns]),
    from: freeze({ ...from }),
    ...(rest.where ? { where: rest.where } : {}),
    ...(rest.orderBy ? { orderBy: Object.freeze([...rest.orderBy]) } : {}),
    ...(rest.limit !== undefined ? { limit: rest.limit } : {}),
    ...(rest.offset !== undefined ? { offset: rest.offset } : {}),
    ...(rest.matchesFirst ? { matchesFirst: true } : {}),
  });
}

/** A copy of the query with some parts replaced (nodes are never mutated). */
export function withParts(
  query: SelectQuery,
  parts: Partial<Omit<SelectQuery, 'kind' | 'from'>>,
): SelectQuery {
  return freeze({ ...query, ...parts });
}
