import { isOperationOutcomeError, type SearchParamDef } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import type { SearchRequest } from '../repository/types.js';
import { buildSearch, MAX_PAGE_SIZE, type SearchParameterLookup } from './build-query.js';

const defs: Record<string, SearchParamDef> = {
  code: { code: 'code', type: 'token', expression: 'Observation.code', target: [], url: '' },
  subject: {
    code: 'subject',
    type: 'reference',
    expression: 'Observation.subject',
    target: ['Patient', 'Group'],
    url: '',
  },
  patient: {
    code: 'patient',
    type: 'reference',
    expression: 'Observation.subject',
    target: ['Patient'],
    url: '',
  },
  date: { code: 'date', type: 'date', expression: 'Observation.effective', target: [], url: '' },
  'code-value-quantity': {
    code: 'code-value-quantity',
    type: 'composite',
    expression: undefined,
    target: [],
    url: '',
  },
};
const lookup: SearchParameterLookup = (_type, code) => defs[code];
const build = (request: Partial<SearchRequest>) =>
  buildSearch({ resourceType: 'Observation', filters: [], ...request }, lookup);

function badRequestText(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (isOperationOutcomeError(err) && err.status === 400) return err.outcome.issue[0].details?.text ?? '';
    throw err;
  }
  throw new Error('expected a 400');
}

describe('buildSearch', () => {
  it('restricts to the type and live resources, pages with one extra row, orders by id', () => {
    const { page, count, pageSize } = build({});
    expect(pageSize).toBe(20);
    expect(page?.sql).toBe(
      'SELECT r.content_text AS content_text FROM resources r WHERE (r.resource_type = $1::text AND r.deleted = $2::boolean) ORDER BY r.id ASC NULLS LAST LIMIT 21',
    );
    expect(page?.params).toEqual(['Observation', false]);
    expect(count.sql).toBe(
      'SELECT count(*) AS total FROM resources r WHERE (r.resource_type = $1::text AND r.deleted = $2::boolean)',
    );
  });

  it('adds one semi-join per filter (AND) with the values OR-ed inside it', () => {
    const { page } = build({
      filters: [
        { code: 'code', values: ['http://loinc.org|1234-5', '999'] },
        { code: 'patient', values: ['p1'] },
      ],
    });
    expect(page?.sql.match(/r\.rid IN \(SELECT/g)).toHaveLength(2);
    expect(page?.sql).toContain('AND ((i.code = $5::text AND i.system = $6::text) OR i.code = $7::text))');
    // A bare id takes the parameter's only target type.
    expect(page?.params).toEqual([
      'Observation',
      false,
      'Observation',
      'code',
      '1234-5',
      'http://loinc.org',
      '999',
      'Observation',
      'patient',
      'p1',
      'Patient',
    ]);
  });

  it('leaves a bare id untyped when the parameter has several targets', () => {
    const { page } = build({ filters: [{ code: 'subject', values: ['p1'] }] });
    expect(page?.params).toEqual(['Observation', false, 'Observation', 'subject', 'p1']);
  });

  it('never counts in the page query: the total is a count query of its own', () => {
    expect(build({}).page?.sql).not.toContain('OVER');
    expect(build({ total: 'accurate' }).page?.sql).not.toContain('count(');
    expect(build({ total: 'accurate' }).wantTotal).toBe(true);
  });

  it('counts one index filter from its index table alone, distinct rids', () => {
    const { count } = build({ filters: [{ code: 'code', values: ['http://loinc.org|8302-2'] }] });
    expect(count.sql).toBe(
      'SELECT count(DISTINCT i.rid) AS total FROM idx_token i WHERE (i.resource_type = $1::text AND i.param = $2::text AND (i.code = $3::text AND i.system = $4::text))',
    );
    expect(count.params).toEqual(['Observation', 'code', '8302-2', 'http://loinc.org']);
  });

  it('counts over the resources when there is more than one filter, a :not, or several types', () => {
    const two = build({
      filters: [
        { code: 'code', values: ['8302-2'] },
        { code: 'date', values: ['ge2020'] },
      ],
    });
    expect(two.count.sql).toMatch(/^SELECT count\(\*\) AS total FROM resources r WHERE/);
    const negated = build({ filters: [{ code: 'code', modifier: 'not', values: ['8302-2'] }] });
    expect(negated.count.sql).toMatch(/^SELECT count\(\*\) AS total FROM resources r WHERE/);
    const estimate = build({ filters: [{ code: 'code', values: ['8302-2'] }], total: 'estimate' });
    expect(estimate.count.sql).toMatch(/^SELECT count\(\*\) AS total FROM resources r WHERE/);
  });

  it('offers a matches-first page (fenced WHERE) only when there is a filter', () => {
    expect(build({}).matchesFirstPage).toBeUndefined();
    const { page, matchesFirstPage } = build({
      filters: [{ code: 'code', values: ['8302-2'] }],
      count: 5,
    });
    expect(matchesFirstPage?.sql).toBe(
      'SELECT r.content_text AS content_text FROM (SELECT * FROM resources r WHERE (r.resource_type = $1::text AND r.deleted = $2::boolean AND r.rid IN (SELECT i.rid AS rid FROM idx_token i WHERE (i.resource_type = $3::text AND i.param = $4::text AND i.code = $5::text))) OFFSET 0) r ORDER BY r.id ASC NULLS LAST LIMIT 6',
    );
    expect(matchesFirstPage?.params).toEqual(page?.params);
  });

  it('caps _count, skips the page query for _count=0, and rejects negatives', () => {
    expect(build({ count: 5000 }).pageSize).toBe(MAX_PAGE_SIZE);
    expect(build({ count: 0 }).page).toBeUndefined();
    expect(badRequestText(() => build({ count: -1 }))).toMatch(/_count/);
    expect(badRequestText(() => build({ offset: 1.5 }))).toMatch(/_offset/);
  });

  it('sorts by a parameter through a correlated min/max subquery, then by id', () => {
    const asc = build({ sort: [{ code: 'date', descending: false }] }).page?.sql;
    expect(asc).toContain('ORDER BY (SELECT min(s.start_at) AS v FROM idx_date s WHERE (s.rid = r.rid');
    expect(asc).toMatch(/ASC NULLS LAST, r\.id ASC NULLS LAST LIMIT/);
    expect(build({ sort: [{ code: 'date', descending: true }] }).page?.sql).toContain('max(s.end_at)');
    expect(build({ sort: [{ code: '_id', descending: true }] }).page?.sql).toMatch(
      /ORDER BY r\.id DESC NULLS LAST LIMIT/,
    );
  });

  it('names the parameter in every 400', () => {
    expect(badRequestText(() => build({ filters: [{ code: 'colour', values: ['red'] }] }))).toMatch(
      /'colour'/,
    );
    expect(
      badRequestText(() => build({ filters: [{ code: 'code-value-quantity', values: ['x'] }] })),
    ).toMatch(/'code-value-quantity'/);
    expect(
      badRequestText(() => build({ filters: [{ code: 'code', modifier: 'contains', values: ['x'] }] })),
    ).toMatch(/:contains.*'code'/);
    expect(
      badRequestText(() => build({ filters: [{ code: 'code', modifier: 'below', values: ['x'] }] })),
    ).toMatch(/'code:below' needs system\|code/);
    expect(badRequestText(() => build({ filters: [{ code: 'date', values: ['ge20240101'] }] }))).toMatch(
      /'ge20240101'.*'date'/,
    );
    expect(badRequestText(() => build({ sort: [{ code: 'colour', descending: false }] }))).toMatch(
      /'colour'/,
    );
    expect(
      badRequestText(() => build({ sort: [{ code: 'code-value-quantity', descending: false }] })),
    ).toMatch(/not sortable/);
  });
});
