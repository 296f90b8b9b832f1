import { getSearchParameter, type Resource, type SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { evaluateExpression, type TypedValue } from './fhirpath-values.js';
import { dateHasValue, dateMatches, type GeLeReading } from './match/date.js';
import { nearMatches, positionHasValue } from './match/position.js';
import { numberSatisfies, quantityFacts, quantityHasValue, quantityMatches } from './match/quantity.js';
import { referenceHasValue, referenceMatches, referenceText, uriMatches } from './match/reference.js';
import { stringHasValue, stringMatches } from './match/string.js';
import { type TextReading, tokenHasValue, tokenMatches, tokenTextMatches } from './match/token.js';

/** Alternative readings of R4 rules (default: R4 as written). */
export interface SearchReading {
  dateGeLe?: GeLeReading;
  /** `#contained` references count as no value (for `:missing`). */
  localReferencesAbsent?: boolean;
  tokenText?: TextReading;
  /** Number and quantity `eq`/`ne` bounds computed in binary floating point. */
  floatBounds?: boolean;
}

/** The parameter types this proof covers (what the SQL engine supports today). */
export const coveredTypes = new Set([
  'token',
  'string',
  'date',
  'reference',
  'quantity',
  'number',
  'uri',
  'special',
]);

/**
 * An independent search engine over resources held in memory: each SearchParameter's FHIRPath
 * expression is evaluated with HL7's `fhirpath`, then the R4 matching rules are applied here.
 * It shares nothing with the SQL path but the SearchParameter definitions.
 */
export class InMemorySearch {
  private readonly byType = new Map<string, Resource[]>();
  private readonly values = new Map<string, Map<string, TypedValue[]>>();

  constructor(resources: readonly Resource[]) {
    for (const r of resources) {
      const list = this.byType.get(r.resourceType) ?? [];
      list.push(r);
      this.byType.set(r.resourceType, list);
    }
  }

  get resourceCount(): number {
    let n = 0;
    for (const list of this.byType.values()) n += list.length;
    return n;
  }

  resources(resourceType: string): readonly Resource[] {
    return this.byType.get(resourceType) ?? [];
  }

  /** The definition of `code` on `resourceType`; throws for parameters the proof does not cover. */
  definition(resourceType: string, code: string): SearchParamDef {
    const def = getSearchParameter(resourceType, code);
    if (!def?.expression || !coveredTypes.has(def.type))
      throw new Error(`${resourceType}.${code} is not covered by the in-memory search`);
    return def;
  }

  /** The items `code`'s expression yields on one resource (cached per type, parameter and id). */
  itemsOf(resource: Resource, code: string): TypedValue[] {
    const key = `${resource.resourceType}.${code}`;
    let perResource = this.values.get(key);
    if (!perResource) {
      perResource = new Map();
      this.values.set(key, perResource);
    }
    const id = resource.id ?? '';
    let items = perResource.get(id);
    if (!items) {
      const def = this.definition(resource.resourceType, code);
      items = evaluateExpression(resource, def.expression ?? '');
      perResource.set(id, items);
    }
    return items;
  }

  /**
   * Ids of the resources of `resourceType` matching every filter (AND), each filter's values
   * OR-ed. `reading` replaces an R4 rule by another reading, to recognise a known discrepancy.
   */
  search(resourceType: string, filters: readonly SearchFilter[], reading: SearchReading = {}): Set<string> {
    const ids = new Set<string>();
    for (const r of this.resources(resourceType)) {
      if (filters.every((f) => this.matchesFilter(r, f, reading))) ids.add(r.id ?? '');
    }
    return ids;
  }

  /** `Type/id` of every item of List/`id` (R4 search.html `_list`: List.entry.item). */
  listItems(id: string): Set<string> {
    const list = this.resources('List').find((l) => l.id === id);
    const entries = (list?.entry ?? []) as { item?: { reference?: unknown } }[];
    return new Set(entries.flatMap((e) => (typeof e.item?.reference === 'string' ? [e.item.reference] : [])));
  }

  private matchesFilter(resource: Resource, filter: SearchFilter, reading: SearchReading): boolean {
    if (filter.code === '_list') {
      return filter.values.some((id) => this.listItems(id).has(`${resource.resourceType}/${resource.id}`));
    }
    const def = this.definition(resource.resourceType, filter.code);
    const items = this.itemsOf(resource, filter.code);
    if (filter.modifier === 'missing') {
      const present = items.some(
        (item) =>
          hasValue(def, item) &&
          !(
            reading.localReferencesAbsent &&
            def.type === 'reference' &&
            referenceText(item)?.startsWith('#')
          ),
      );
      return filter.values.some((v) => (v === 'true' ? !present : present));
    }
    if (def.type === 'token' && filter.modifier === 'not') {
      return !filter.values.some((v) => items.some((item) => tokenMatches(item, v)));
    }
    return filter.values.some((v) =>
      items.some((item) => matchesValue(def, item, v, filter.modifier, reading)),
    );
  }
}

function hasValue(def: SearchParamDef, item: TypedValue): boolean {
  switch (def.type) {
    case 'token':
      return tokenHasValue(item);
    case 'string':
      return stringHasValue(item);
    case 'date':
      return dateHasValue(item);
    case 'reference':
      return referenceHasValue(item);
    case 'quantity':
    case 'number':
      return quantityHasValue(item);
    case 'uri':
      return typeof item.value === 'string';
    case 'special':
      return positionHasValue(item);
    default:
      return false;
  }
}

function matchesValue(
  def: SearchParamDef,
  item: TypedValue,
  value: string,
  modifier: string | undefined,
  reading: SearchReading,
): boolean {
  switch (def.type) {
    case 'token':
      if (modifier === 'text') return tokenTextMatches(item, value, reading.tokenText);
      if (modifier === undefined) return tokenMatches(item, value);
      break;
    case 'string':
      if (modifier === undefined || modifier === 'exact' || modifier === 'contains')
        return stringMatches(item, value, modifier);
      break;
    case 'date':
      if (modifier === undefined) return dateMatches(item, value, reading.dateGeLe);
      break;
    case 'reference':
      if (modifier === undefined || /^[A-Z]/.test(modifier))
        return referenceMatches(item, value, modifier, def.target);
      break;
    case 'quantity':
      if (modifier === undefined) return quantityMatches(item, value, reading.floatBounds);
      break;
    case 'number':
      if (modifier === undefined)
        return quantityFacts(item).some((q) => numberSatisfies(value, q.value, reading.floatBounds));
      break;
    case 'uri':
      if (modifier === undefined || modifier === 'below' || modifier === 'above')
        return uriMatches(item, value, modifier);
      break;
    case 'special':
      if (def.code === 'near' && modifier === undefined) return nearMatches(item, value);
      break;
  }
  throw new Error(`the in-memory search has no rule for ${def.type} :${modifier}`);
}
