import {
  getSearchParameter,
  getSearchParameters,
  type SearchParamDef,
  type SearchParamType,
} from '@hospitium/fhir';

/** SearchParameter types the db search compiler implements (special is not). */
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

/** `_id` and `_lastUpdated` apply to every type and are always supported, registry or not. */
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
];

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
  return supportedSearchParamTypes.includes(def.type)
    ? { status: 'supported', def }
    : { status: 'unsupported', def };
}

/** Every search parameter of `resourceType` that the search engine runs (for the CapabilityStatement). */
export function supportedSearchParameters(resourceType: string): SearchParamDef[] {
  const result = [...builtInParams];
  const seen = new Set(result.map((p) => p.code));
  for (const def of getSearchParameters(resourceType)) {
    if (seen.has(def.code) || !supportedSearchParamTypes.includes(def.type)) continue;
    seen.add(def.code);
    result.push(def);
  }
  return result;
}
