import { describe, expect, it } from 'vitest';
import { and, column, compare, eq, exists, inSubquery, isNull, like, not, or, param, select } from './ast.js';
import { compile } from './compile.js';

describe('compile', () => {
  it('numbers parameters left to right and casts each one', () => {
    const q = select({ table: 'resources', alias: 'r' }, [{ expression: column('r', 'id'), alias: 'id' }], {
      where: and(
        eq(column('r', 'resource_type'), 'Patient'),
        or(eq(column('r', 'id'), 'a'), eq(column('r', 'id'), 'b')),
      ),
      limit: 21,
      offset: 40,
    });
    expect(compile(q)).toEqual({
      sql: 'SELECT r.id AS id FROM resources r WHERE (r.resource_type = $1::text AND (r.id = $2::text OR r.id = $3::text)) LIMIT 21 OFFSET 40',
      params: ['Patient', 'a', 'b'],
    });
  });

  it('never puts a value into the SQL text', () => {
    const hostile = "x'); DROP TABLE resources; --";
    const q = select(
      { table: 'idx_string', alias: 'i' },
      [{ expression: column('i', 'rid'), alias: 'rid' }],
      {
        where: and(like(column('i', 'value'), `${hostile}%`), eq(column('i', 'exact'), hostile)),
      },
    );
    const { sql, params } = compile(q);
    expect(sql).not.toContain('DROP');
    expect(params).toEqual([`${hostile}%`, hostile]);
  });

  it('nests subqueries and keeps parameter order across them', () => {
    const inner = select(
      { table: 'idx_token', alias: 'i' },
      [{ expression: column('i', 'rid'), alias: 'rid' }],
      {
        where: and(eq(column('i', 'param'), 'code'), isNull(column('i', 'system'))),
      },
    );
    const q = select(
      { table: 'resources', alias: 'r' },
      [{ expression: column('r', 'content_text'), alias: 'content_text' }],
      {
        where: and(
          eq(column('r', 'resource_type'), 'Observation'),
          inSubquery(column('r', 'rid'), inner),
          not(exists(inner)),
          compare(column('r', 'last_updated'), '>=', param('2024-01-01T00:00:00.000Z', 'timestamptz')),
        ),
        orderBy: [{ expression: column('r', 'id'), descending: true }],
      },
    );
    const { sql, params } = compile(q);
    expect(sql).toBe(
      'SELECT r.content_text AS content_text FROM resources r WHERE (r.resource_type = $1::text AND ' +
        'r.rid IN (SELECT i.rid AS rid FROM idx_token i WHERE (i.param = $2::text AND i.system IS NULL)) AND ' +
        'NOT (EXISTS (SELECT i.rid AS rid FROM idx_token i WHERE (i.param = $3::text AND i.system IS NULL))) AND ' +
        'r.last_updated >= $4::timestamptz) ORDER BY r.id DESC NULLS LAST',
    );
    expect(params).toEqual(['Observation', 'code', 'code', '2024-01-01T00:00:00.000Z']);
  });

  it('refuses identifiers that are not plain names', () => {
    const q = select({ table: 'resources', alias: 'r' }, [
      { expression: column('r', 'id; DROP'), alias: 'id' },
    ]);
    expect(() => compile(q)).toThrow(/Unsafe SQL identifier/);
  });

  it('builds frozen nodes', () => {
    const node = eq(column('r', 'id'), 'x');
    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(and(node, node))).toBe(true);
  });
});
