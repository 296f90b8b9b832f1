import { describe, expect, it } from 'vitest';
import { compare } from './operators.js';

describe('assert operators', () => {
  it('equals / notEquals compare the whole value', () => {
    expect(compare('equals', ['200'], '200')).toBe(true);
    expect(compare('equals', ['201'], '200')).toBe(false);
    expect(compare('equals', [], '200')).toBe(false);
    expect(compare('equals', ['a', 'b'], 'a,b')).toBe(true);
    expect(compare('notEquals', ['404'], '200')).toBe(true);
    expect(compare('notEquals', ['200'], '200')).toBe(false);
    expect(compare('notEquals', [], '200')).toBe(true);
  });

  it('in / notIn take a comma-separated list', () => {
    expect(compare('in', ['204'], '200, 204')).toBe(true);
    expect(compare('in', ['500'], '200,204')).toBe(false);
    expect(compare('in', [], '200')).toBe(false);
    expect(compare('notIn', ['404'], '500,501,502')).toBe(true);
    expect(compare('notIn', ['502'], '500,501,502')).toBe(false);
  });

  it('greaterThan / lessThan are numeric for numbers and textual for dates', () => {
    expect(compare('greaterThan', ['10'], '9')).toBe(true);
    expect(compare('greaterThan', ['9'], '10')).toBe(false);
    expect(compare('lessThan', ['2024-01-01'], '2024-02-01')).toBe(true);
    expect(compare('lessThan', ['2024-03-01'], '2024-02-01')).toBe(false);
    expect(compare('greaterThan', ['1', '2'], '0')).toBe(false);
  });

  it('empty / notEmpty look at presence', () => {
    expect(compare('empty', [], undefined)).toBe(true);
    expect(compare('empty', [''], undefined)).toBe(true);
    expect(compare('empty', ['x'], undefined)).toBe(false);
    expect(compare('notEmpty', ['x'], undefined)).toBe(true);
    expect(compare('notEmpty', [], undefined)).toBe(false);
  });

  it('contains / notContains match substrings', () => {
    expect(compare('contains', ['application/fhir+json; charset=utf-8'], 'fhir+json')).toBe(true);
    expect(compare('contains', ['text/html'], 'fhir+json')).toBe(false);
    expect(compare('contains', [], 'x')).toBe(false);
    expect(compare('notContains', ['text/html'], 'fhir')).toBe(true);
    expect(compare('notContains', ['fhir'], 'fhir')).toBe(false);
  });

  it('eval needs a single true; matchesRegex tests the text', () => {
    expect(compare('eval', ['true'], undefined)).toBe(true);
    expect(compare('eval', ['false'], undefined)).toBe(false);
    expect(compare('eval', ['true', 'true'], undefined)).toBe(false);
    expect(compare('matchesRegex', ['{"resourceType":"Bundle"}'], '"resourceType"\\s*:\\s*"Bundle"')).toBe(
      true,
    );
    expect(compare('matchesRegex', ['{"resourceType":"Patient"}'], '"Bundle"')).toBe(false);
  });

  it('an operator that needs a value fails without one instead of passing', () => {
    expect(compare('equals', ['x'], undefined)).toBe(false);
    expect(compare('notEquals', ['x'], undefined)).toBe(false);
    expect(compare('contains', ['x'], undefined)).toBe(false);
  });
});
