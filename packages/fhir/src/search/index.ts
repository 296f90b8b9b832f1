// PLACEHOLDER: replaced by the search-parameter registry and index extraction work.
import type { Resource } from '../types.js';
import type { IndexRows, SearchParamDef } from './types.js';

export type * from './types.js';

export function getSearchParameter(_resourceType: string, _code: string): SearchParamDef | undefined {
  return undefined;
}

export function getSearchParameters(_resourceType: string): SearchParamDef[] {
  return [];
}

export function extractIndexes(_resource: Resource): IndexRows {
  return { token: [], string: [], date: [], reference: [], number: [], quantity: [], uri: [] };
}
