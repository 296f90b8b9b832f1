import {
  getSearchParameter,
  getSearchParameters,
  type SearchParamDef,
  type SearchParamType,
} from '@hospitium/fhir';

/** SearchParameter types the db search compiler implements (of `special`, only those listed below). */
export const supportedSearchParamTypes: readonly SearchParamType[] = [
  'token',
  'reference',
  'date',
  'string',
  'uri',
  'number',
  'quantity',
  'composite',
];

/** `special` parameters the search engine runs (`_query` and the rest are not). */
const supportedSpecialParams: ReadonlySet<string> = new Set(['near']);

/** Parameters without a definition to run: `_query` (no named queries are defined here). */
const unsupportedParams: ReadonlySet<string> = new Set(['_query']);

/**
 * `_id`, `_lastUpdated` and `_list` apply to every type and are always supported. `_list` has
 * no SearchParameter resource in R4 (search.html defines it), so no definition URL.
 */
const builtInParams: readonly SearchParamDef[] = [
  {
    code: '_id',
    type: 'token',
    expression: 'Resource.id',
    target: [],
    url: 'http://hl7.org/fhir/SearchParameter/Resource-id',
    description: 'Logical id of this artifact',
  },
  {
    code: '_lastUpdated',
    type: 'date',
    expression: 'Resource.meta.lastUpdated',
    target: [],
    url: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated',
    description: 'When the resource version last changed',
  },
  {
    code: '_list',
    type: 'special',
    expression: undefined,
    target: [],
    url: '',
    description: 'Items of the List with this id (List.entry.item)',
  },
];

function isSupported(def: SearchParamDef): boolean {
  if (unsupportedParams.has(def.code)) return false;
  return def.type === 'special'
    ? supportedSpecialParams.has(def.code)
    : supportedSearchParamTypes.includes(def.type);
}

export type ParamLookup =
  | { status: 'supported'; def: SearchParamDef }
  | { status: 'unsupported'; def: SearchParamDef }
  | { status: 'unknown' };

/** Finds a search parameter of `resourceType` and says whether the search engine can run it. */
export function lookupSearchParameter(resourceType: string, code: string): ParamLookup {
  const builtIn = builtInParams.find((p) => p.code === code);
  if (builtIn) return { status: 'supported', def: builtIn };
  const def = getSearchParameter(resourceType, code);
  if (!def) return { status: 'unknown' };
  return isSupported(def) ? { status: 'supported', def } : { status: 'unsupported', def };
}

/** Every search parameter of `resourceType` that the search engine runs (for the CapabilityStatement). */
export function supportedSearchParameters(resourceType: string): SearchParamDef[] {
  const result = [...builtInParams];
  const seen = new Set(result.map((p) => p.code));
  for (const def of getSearchParameters(resourceType)) {
    if (seen.has(def.code) || !isSupported(def)) continue;
    seen.add(def.code);
    result.push(def);
  }
  return result;
}
