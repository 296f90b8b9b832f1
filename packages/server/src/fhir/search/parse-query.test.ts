import { OperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { maxPageSize, parseSearchQuery, searchQueryString, splitOrValues } from './parse-query.js';

const q = (s: string) => new URLSearchParams(s);

function rejection(type: string, query: string): OperationOutcomeError {
  try {
    parseSearchQuery(type, q(query));
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err;
    throw err;
  }
  throw new Error(`accepted ${query}`);
}

describe('splitOrValues', () => {
  it('splits on commas and keeps escaped commas literal', () => {
    expect(splitOrValues('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(splitOrValues('Smith\\, John,Doe')).toEqual(['Smith, John', 'Doe']);
    expect(splitOrValues('')).toEqual(['']);
  });

  it('leaves the other escapes for the search engine', () => {
    expect(splitOrValues('http://x\\|y|a')).toEqual(['http://x\\|y|a']);
    expect(splitOrValues('a\\\\,b')).toEqual(['a\\\\', 'b']);
  });
});

describe('parseSearchQuery', () => {
  it('turns repeated parameters into AND filters and commas into OR values', () => {
    const { request } = parseSearchQuery(
      'Observation',
      q(
        'subject=Patient/1&code=http://loinc.org|1234-5,http://loinc.org|2345-7&date=ge2020-01-01&date=lt2021-01-01',
      ),
    );
    expect(request.resourceType).toBe('Observation');
    expect(request.filters).toEqual([
      { code: 'subject', values: ['Patient/1'] },
      { code: 'code', values: ['http://loinc.org|1234-5', 'http://loinc.org|2345-7'] },
      { code: 'date', values: ['ge2020-01-01'] },
      { code: 'date', values: ['lt2021-01-01'] },
    ]);
  });

  it('restores an unencoded + in date offsets (decoded as a space) but not in strings', () => {
    const { request } = parseSearchQuery('Patient', q('birthdate=ge2020-01-01T00:00:00+01:00&name=a+b'));
    expect(request.filters).toEqual([
      { code: 'birthdate', values: ['ge2020-01-01T00:00:00+01:00'] },
      { code: 'name', values: ['a b'] },
    ]);
  });

  it('splits modifiers off the name', () => {
    const { request } = parseSearchQuery('Patient', q('name:exact=Eve&gender:missing=true&_id=a,b'));
    expect(request.filters).toEqual([
      { code: 'name', modifier: 'exact', values: ['Eve'] },
      { code: 'gender', modifier: 'missing', values: ['true'] },
      { code: '_id', values: ['a', 'b'] },
    ]);
  });

  it('reads the paging controls and clamps _count', () => {
    const { request } = parseSearchQuery(
      'Patient',
      q('_count=5000&_offset=40&_sort=-_lastUpdated,name&_total=accurate'),
    );
    expect(request.count).toBe(maxPageSize);
    expect(request.offset).toBe(40);
    expect(request.sort).toEqual([
      { code: '_lastUpdated', descending: true },
      { code: 'name', descending: false },
    ]);
    expect(request.total).toBe('accurate');
    expect(request.filters).toEqual([]);
  });

  it('maps _summary=count to a count-only search and ignores _format and empty parameters', () => {
    const { request } = parseSearchQuery('Patient', q('_summary=count&_format=json&name='));
    expect(request).toEqual({ resourceType: 'Patient', filters: [], count: 0, total: 'accurate' });
  });

  it('rejects unknown parameters with 400 naming them', () => {
    const err = rejection('Patient', 'name=x&colour=blue');
    expect(err.status).toBe(400);
    expect(err.outcome.issue[0].details?.text).toContain("'colour'");
    expect(err.outcome.issue[0].expression).toEqual(['http.colour']);
  });

  it('passes chains and _has to the search engine as written', () => {
    const { request } = parseSearchQuery('Observation', q('patient.name=x,y&_has:Provenance:target:agent=z'));
    expect(request.filters).toEqual([
      { code: 'patient.name', values: ['x', 'y'] },
      { code: '_has', modifier: 'Provenance:target:agent', values: ['z'] },
    ]);
  });

  it('rejects bad _include, bad numbers and bad _total', () => {
    expect(rejection('Observation', '_include=Observation:colour').status).toBe(400);
    expect(rejection('Observation', '_include:deep=Observation:subject').status).toBe(400);
    expect(rejection('Patient', '_count=-1').outcome.issue[0].details?.text).toContain('_count');
    expect(rejection('Patient', '_offset=abc').status).toBe(400);
    expect(rejection('Patient', '_total=some').status).toBe(400);
    expect(rejection('Patient', '_sort=colour').outcome.issue[0].details?.text).toContain('colour');
  });

  it('ignores and lists unknown parameters when lenient', () => {
    const { request, ignored } = parseSearchQuery('Patient', q('colour=blue&name=Eve&x:y=1'), {
      lenient: true,
    });
    expect(request.filters).toEqual([{ code: 'name', values: ['Eve'] }]);
    expect(ignored.map((i) => i.name)).toEqual(['colour', 'x:y']);
  });
});

describe('searchQueryString', () => {
  it('writes the canonical query with escaped commas and the page position', () => {
    const { request } = parseSearchQuery('Patient', q('name=Smith\\, J,Doe&_sort=-birthdate&_count=10'));
    const text = searchQueryString(request, 20);
    const back = new URLSearchParams(text);
    expect(back.get('name')).toBe('Smith\\, J,Doe');
    expect(back.get('_sort')).toBe('-birthdate');
    expect(back.get('_count')).toBe('10');
    expect(back.get('_offset')).toBe('20');
    expect(new URLSearchParams(searchQueryString(request, 0)).has('_offset')).toBe(false);
  });
});
