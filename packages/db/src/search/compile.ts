import type { Expression, SelectQuery } from './ast.js';

/**
 * The text-search configuration of every stored vector and every query: 'simple' (lower case,
 * no stemming, no stop words); see "Full-text search" in the db README for why.
 */
export const TEXT_SEARCH_CONFIG = 'simple';

/** IUGG mean Earth radius, km: the haversine sphere (error under 0.5 % against WGS84). */
export const EARTH_RADIUS_KM = 6371.0088;

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

const identifier = /^[a-z_][a-z0-9_]*$/;

function name(value: string): string {
  // Names come from code, not requests; this is the last line of defence if that ever changes.
  if (!identifier.test(value)) throw new Error(`Unsafe SQL identifier: ${value}`);
  return value;
}

/** Compiles a select tree to PostgreSQL text with `$n` placeholders, in one left-to-right pass. */
export function compile(query: SelectQuery): CompiledQuery {
  const params: unknown[] = [];
  const sql = compileSelect(query, params);
  return { sql, params };
}

function compileSelect(query: SelectQuery, params: unknown[]): string {
  const columns = query.columns.map((c) => `${compileExpression(c.expression, params)} AS ${name(c.alias)}`);
  const table = `${name(query.from.table)} ${name(query.from.alias)}`;
  const where = query.where ? ` WHERE ${compileExpression(query.where, params)}` : '';
  // The fenced form keeps the outer alias, so ORDER BY terms compile the same either way.
  let sql = query.matchesFirst
    ? `SELECT ${columns.join(', ')} FROM (SELECT * FROM ${table}${where} OFFSET 0) ${name(query.from.alias)}`
    : `SELECT ${columns.join(', ')} FROM ${table}${where}`;
  if (query.orderBy && query.orderBy.length > 0) {
    const terms = query.orderBy.map(
      (o) => `${compileExpression(o.expression, params)} ${o.descending ? 'DESC' : 'ASC'} NULLS LAST`,
    );
    sql += ` ORDER BY ${terms.join(', ')}`;
  }
  if (query.limit !== undefined) sql += ` LIMIT ${integer(query.limit)}`;
  if (query.offset !== undefined && query.offset > 0) sql += ` OFFSET ${integer(query.offset)}`;
  return sql;
}

function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Invalid LIMIT/OFFSET: ${value}`);
  return value;
}

function compileExpression(node: Expression, params: unknown[]): string {
  switch (node.kind) {
    case 'column':
      return `${name(node.table)}.${name(node.name)}`;
    case 'param':
      params.push(node.value);
      return `$${params.length}::${node.cast}`;
    case 'literal':
      return node.value ? 'TRUE' : 'FALSE';
    case 'compare':
      return `${compileExpression(node.left, params)} ${node.op} ${compileExpression(node.right, params)}`;
    case 'like':
      return `${compileExpression(node.left, params)} LIKE ${compileExpression(node.pattern, params)}`;
    case 'isNull':
      return `${compileExpression(node.operand, params)} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'and':
    case 'or': {
      if (node.operands.length === 0) return node.kind === 'and' ? 'TRUE' : 'FALSE';
      const parts = node.operands.map((o) => compileExpression(o, params));
      return `(${parts.join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      return `NOT (${compileExpression(node.operand, params)})`;
    case 'in':
      return `${compileExpression(node.left, params)} IN (${compileSelect(node.query, params)})`;
    case 'anyOf':
      params.push([...node.values]);
      return `${compileExpression(node.left, params)} = ANY($${params.length}::text[])`;
    case 'exists':
      return `EXISTS (${compileSelect(node.query, params)})`;
    case 'subquery':
      return `(${compileSelect(node.query, params)})`;
    case 'call': {
      const args =
        node.name === 'count' && node.args.length === 0
          ? '*'
          : node.args.map((a) => compileExpression(a, params)).join(', ');
      return `${node.name}(${args})`;
    }
    case 'countDistinct':
      return `count(DISTINCT ${compileExpression(node.operand, params)})`;
    case 'textMatch': {
      const queries = node.queries.map((q) => {
        params.push(q);
        return `websearch_to_tsquery('${TEXT_SEARCH_CONFIG}', $${params.length}::text)`;
      });
      return `${compileExpression(node.vector, params)} @@ (${queries.join(' || ')})`;
    }
    case 'distanceKm': {
      params.push(node.from.latitude);
      const lat = `$${params.length}::float8`;
      params.push(node.from.longitude);
      const lon = `$${params.length}::float8`;
      const rowLat = compileExpression(node.latitude, params);
      const rowLon = compileExpression(node.longitude, params);
      // Haversine on a sphere of the mean Earth radius; least() guards asin against rounding past 1.
      return (
        `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(power(sin(radians(${rowLat} - ${lat}) / 2), 2) + ` +
        `cos(radians(${lat})) * cos(radians(${rowLat})) * power(sin(radians(${rowLon} - ${lon}) / 2), 2)))))`
      );
    }
  }
}
