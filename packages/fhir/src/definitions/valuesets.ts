import { readDefinitionFile } from './load.js';
import { allStructures } from './structures.js';

/**
 * Expansions of the value sets that R4 binds with strength `required`, computed from the core
 * definition files only (valuesets.json, and v3-codesystems.json for HL7 v3 code systems).
 * A value set is expandable when its compose lists concepts, or includes whole code systems
 * (content `complete`) found in those files, or other expandable value sets. Filters, external code
 * systems (SNOMED CT, UCUM, BCP-47 …) and incomplete code systems make it unexpandable: callers
 * then skip the binding.
 */

export interface ValueSetCodes {
  /** Every code of the expansion, whatever its system (for `code` elements). */
  readonly codes: ReadonlySet<string>;
  /** Codes by code system (for Coding and CodeableConcept). */
  readonly systems: ReadonlyMap<string, ReadonlySet<string>>;
}

interface RawConcept {
  code: string;
  concept?: RawConcept[];
}

interface RawInclude {
  system?: string;
  concept?: { code: string }[];
  filter?: unknown[];
  valueSet?: string[];
}

interface RawTerminologyResource {
  resourceType: string;
  url?: string;
  content?: string;
  concept?: RawConcept[];
  compose?: { include?: RawInclude[]; exclude?: RawInclude[] };
}

interface RawBundle {
  entry?: { resource?: RawTerminologyResource }[];
}

type Expansion = Map<string, Set<string>>;

class TerminologyIndex {
  private readonly valueSets = new Map<string, RawTerminologyResource>();
  private readonly codeSystems = new Map<string, RawTerminologyResource>();
  private v3Loaded = false;

  constructor() {
    this.add(readDefinitionFile<RawBundle>('valuesets.json'));
  }

  private add(bundle: RawBundle): void {
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (!r?.url) continue;
      if (r.resourceType === 'ValueSet' && !this.valueSets.has(r.url)) this.valueSets.set(r.url, r);
      if (r.resourceType === 'CodeSystem' && !this.codeSystems.has(r.url)) this.codeSystems.set(r.url, r);
    }
  }

  /** HL7 v3 terminology sits in its own 7 MB file: read it only when a binding needs it. */
  private find(map: 'valueSets' | 'codeSystems', url: string): RawTerminologyResource | undefined {
    let found = this[map].get(url);
    if (!found && !this.v3Loaded && url.startsWith('http://terminology.hl7.org/')) {
      this.v3Loaded = true;
      this.add(readDefinitionFile<RawBundle>('v3-codesystems.json'));
      found = this[map].get(url);
    }
    return found;
  }

  /** A CodeSystem of the core files (v3 ones loaded on demand). */
  codeSystem(url: string): RawTerminologyResource | undefined {
    return this.find('codeSystems', url);
  }

  expandValueSet(url: string, seen: ReadonlySet<string> = new Set()): Expansion | undefined {
    const vs = this.find('valueSets', url);
    if (!vs?.compose?.include || seen.has(url)) return undefined;
    const path = new Set(seen).add(url);
    const result: Expansion = new Map();
    for (const include of vs.compose.include) {
      const part = this.expandInclude(include, path);
      if (!part) return undefined;
      for (const [system, codes] of part) addAll(result, system, codes);
    }
    for (const exclude of vs.compose.exclude ?? []) {
      const part = this.expandInclude(exclude, path);
      if (!part) return undefined;
      for (const [system, codes] of part) for (const code of codes) result.get(system)?.delete(code);
    }
    return result;
  }

  private expandInclude(include: RawInclude, seen: ReadonlySet<string>): Expansion | undefined {
    if (include.filter && include.filter.length > 0) return undefined;
    let result: Expansion | undefined;
    if (include.system) {
      const codes = include.concept
        ? include.concept.map((c) => c.code)
        : this.codeSystemCodes(include.system);
      if (!codes) return undefined;
      result = new Map([[include.system, new Set(codes)]]);
    }
    for (const url of include.valueSet ?? []) {
      const part = this.expandValueSet(url.split('|')[0], seen);
      if (!part) return undefined;
      // system + valueSet in one include means the intersection (ValueSet.compose rules).
      result = result ? intersect(result, part) : part;
    }
    return result;
  }

  private codeSystemCodes(url: string): string[] | undefined {
    const cs = this.find('codeSystems', url);
    if (cs?.content !== 'complete' || !cs.concept) return undefined;
    const codes: string[] = [];
    const walk = (concepts: RawConcept[]): void => {
      for (const c of concepts) {
        codes.push(c.code);
        if (c.concept) walk(c.concept);
      }
    };
    walk(cs.concept);
    return codes;
  }
}

function addAll(target: Expansion, system: string, codes: Iterable<string>): void {
  let set = target.get(system);
  if (!set) {
    set = new Set();
    target.set(system, set);
  }
  for (const code of codes) set.add(code);
}

function intersect(a: Expansion, b: Expansion): Expansion {
  const result: Expansion = new Map();
  for (const [system, codes] of a) {
    const other = b.get(system);
    if (other) result.set(system, new Set([...codes].filter((c) => other.has(c))));
  }
  return result;
}

let expansions: Map<string, ValueSetCodes | null> | undefined;

/**
 * Expands every required-binding value set of R4 in one pass on first use, then keeps only the code
 * sets, so the parsed terminology files are not pinned in memory by this module.
 */
function loadExpansions(): Map<string, ValueSetCodes | null> {
  const urls = new Set<string>();
  for (const structure of allStructures()) {
    for (const el of structure.elements) if (el.requiredBinding) urls.add(el.requiredBinding);
  }
  const terminology = new TerminologyIndex();
  const result = new Map<string, ValueSetCodes | null>();
  for (const url of urls) {
    const expansion = terminology.expandValueSet(url);
    if (!expansion) {
      result.set(url, null);
      continue;
    }
    const codes = new Set<string>();
    for (const set of expansion.values()) for (const code of set) codes.add(code);
    result.set(url, { codes, systems: expansion });
  }
  return result;
}

/** The codes of a required-binding value set, or undefined when it cannot be expanded from the core files. */
export function requiredValueSetCodes(url: string): ValueSetCodes | undefined {
  expansions ??= loadExpansions();
  return expansions.get(url) ?? undefined;
}

let terminology: TerminologyIndex | undefined;

/**
 * Any core ValueSet (not only required bindings) expanded from the definition files, for the
 * search modifiers `:in` / `:not-in`; undefined when unknown or not expandable (filters, external
 * code systems).
 */
export function expandCoreValueSet(url: string): ReadonlyMap<string, ReadonlySet<string>> | undefined {
  terminology ??= new TerminologyIndex();
  return terminology.expandValueSet(url.split('|')[0]);
}

/**
 * A code and its descendants (`below`) or ancestors (`above`) in the concept hierarchy of a core
 * CodeSystem, for the token modifiers `:below` / `:above`; undefined when the code system is not
 * in the core files or does not define the code.
 */
export function codeSystemSubsumption(
  system: string,
  code: string,
  direction: 'above' | 'below',
): string[] | undefined {
  terminology ??= new TerminologyIndex();
  const cs = terminology.codeSystem(system);
  if (!cs?.concept) return undefined;
  let found: string[] | undefined;
  const walk = (concepts: RawConcept[], ancestors: string[]): void => {
    for (const c of concepts) {
      if (found) return;
      if (c.code === code) {
        found = direction === 'above' ? [...ancestors, c.code] : [c.code, ...descendants(c.concept ?? [])];
        return;
      }
      if (c.concept) walk(c.concept, [...ancestors, c.code]);
    }
  };
  walk(cs.concept, []);
  return found;
}

function descendants(concepts: RawConcept[]): string[] {
  return concepts.flatMap((c) => [c.code, ...descendants(c.concept ?? [])]);
}
