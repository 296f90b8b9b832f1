import { getSearchParameters, type SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../../../repository/types.js';
import type { TypedValue } from '../fhirpath-values.js';
import { coveredTypes, type InMemorySearch } from '../in-memory-search.js';
import {
  type Candidate,
  dateForms,
  nearForms,
  quantityForms,
  referenceForms,
  stringForms,
  tokenForms,
  uriForms,
} from './forms.js';
import { Random } from './random.js';

/** One generated search: `resourceType?filters`. */
export interface GeneratedQuery {
  resourceType: string;
  filters: SearchFilter[];
}

/** `Observation?code:not=x,y&date=ge2020` (values as sent, escapes included). */
export function queryLabel(q: GeneratedQuery): string {
  const params = q.filters.map((f) => `${f.code}${f.modifier ? `:${f.modifier}` : ''}=${f.values.join(',')}`);
  return `${q.resourceType}?${params.join('&')}`;
}

type Forms = (rng: Random, def: SearchParamDef, items: TypedValue[]) => Candidate[];

const formsByType: Record<string, Forms> = {
  token: tokenForms,
  string: stringForms,
  date: dateForms,
  reference: referenceForms,
  quantity: quantityForms,
  number: quantityForms,
  uri: uriForms,
  special: nearForms,
};

/** Parameters left out: `phonetic` has no defined matching rule, `_id` gets its own forms. */
const skipped = new Set(['phonetic', '_id']);

export interface GenerateOptions {
  seed: number;
  /** Queries per parameter that has data (parameters without data get one `:missing`). */
  perParameter: number;
  /** AND combinations of two queries per resource type. */
  combinationsPerType: number;
  /** Leave out parameters no resource has a value for (else they get one `:missing` query). */
  skipEmptyParameters?: boolean;
}

/**
 * Generates searches over the loaded data, deterministically for a seed and a load order: for
 * every covered SearchParameter of each type, values sampled from what its expression yields
 * (existing codes, names' prefixes, dates near real ones, quantities with their units), a few
 * that match nothing, `:missing`, OR lists, AND repetitions, `_id` lists.
 */
export function generateQueries(
  store: InMemorySearch,
  resourceTypes: readonly string[],
  options: GenerateOptions,
): GeneratedQuery[] {
  const rng = new Random(options.seed);
  const queries: GeneratedQuery[] = [];
  for (const resourceType of resourceTypes) {
    const resources = store.resources(resourceType);
    if (resources.length === 0) continue;
    const singles: Candidate[] = [];
    for (const def of getSearchParameters(resourceType)) {
      if (!def.expression || !coveredTypes.has(def.type) || skipped.has(def.code)) continue;
      const items = resources.flatMap((r) => store.itemsOf(r, def.code));
      if (items.length === 0 && options.skipEmptyParameters) continue;
      const forms = formsByType[def.type](rng, def, items);
      // forms[0] is the :missing query; parameters with no data only get that one.
      // `near` has data only in a few examples: every form, so its distances and units are all tried.
      const chosen =
        items.length === 0
          ? [forms[0]]
          : def.type === 'special'
            ? forms
            : rng.sample(forms, options.perParameter);
      singles.push(...chosen);
    }
    const ids = resources.map((r) => r.id ?? '');
    singles.push([{ code: '_id', values: rng.sample(ids, 1 + rng.int(3)) }]);
    singles.push([{ code: '_id', values: ['no-such-id'] }]);
    // `_list`: a List holding items of this type, if one is loaded, and a List that does not exist.
    const list = store
      .resources('List')
      .find((l) => [...store.listItems(l.id ?? '')].some((ref) => ref.startsWith(`${resourceType}/`)));
    if (list?.id) singles.push([{ code: '_list', values: [list.id] }]);
    singles.push([{ code: '_list', values: ['no-such-list'] }]);
    const valued = singles.filter((c) => c.every((f) => f.modifier !== 'missing'));
    for (let i = 0; i < options.combinationsPerType && valued.length > 1; i++) {
      const [a, b] = rng.sample(valued, 2);
      singles.push([...a, ...b]);
    }
    for (const filters of singles) queries.push({ resourceType, filters });
  }
  return queries;
}
