import { badRequest, isResourceType, multipleMatches } from '@hospitium/fhir';
import { criteriaQuery, findMatches } from '../../conditional/match.js';
import type { FhirContext } from '../../types.js';
import type { PlannedEntry } from './entries.js';

/** A `reference` element found in an entry's resource that points inside the bundle or at a search. */
export interface FoundReference {
  holder: Record<string, unknown>;
  value: string;
  entryIndex: number;
}

/**
 * Every `reference` string (Reference.reference) in the entries' resources that must be
 * resolved before storing: `urn:uuid:`/`urn:oid:` placeholders, conditional references
 * (`Patient?identifier=x|y`), and any other fullUrl of an entry (`targets` keys).
 */
export function findBundleReferences(
  entries: readonly PlannedEntry[],
  targets: ReadonlyMap<string, string>,
): FoundReference[] {
  const found: FoundReference[] = [];
  const visit = (node: unknown, entryIndex: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) visit(item, entryIndex);
      return;
    }
    const obj = node as Record<string, unknown>;
    for (const key in obj) {
      const value = obj[key];
      if (typeof value === 'object' && value !== null) visit(value, entryIndex);
      else if (key === 'reference' && typeof value === 'string' && needsResolution(value, targets)) {
        found.push({ holder: obj, value, entryIndex });
      }
    }
  };
  for (const entry of entries) if (entry.resource) visit(entry.resource, entry.index);
  return found;
}

function needsResolution(value: string, targets: ReadonlyMap<string, string>): boolean {
  return value.startsWith('urn:') || targets.has(value) || isConditionalReference(value);
}

function isConditionalReference(value: string): boolean {
  const q = value.indexOf('?');
  return q > 0 && !value.slice(0, q).includes('/');
}

/** Why resolving one reference failed, with the entry whose resource holds it. */
export class ReferenceFailure {
  constructor(
    readonly entryIndex: number,
    readonly error: unknown,
  ) {}
}

/**
 * Resolves conditional references by searching (exactly one match, else 400 for none and
 * 412 for several); each distinct criteria string is searched once. Results go into `targets`.
 * Returns the failures (the caller decides: transaction fails, batch fails those entries).
 */
export async function resolveConditionalReferences(
  references: readonly FoundReference[],
  targets: Map<string, string>,
  ctx: FhirContext,
): Promise<ReferenceFailure[]> {
  const failures: ReferenceFailure[] = [];
  const failed = new Map<string, unknown>();
  for (const ref of references) {
    if (targets.has(ref.value) || !isConditionalReference(ref.value)) continue;
    const known = failed.get(ref.value);
    if (known !== undefined) {
      failures.push(new ReferenceFailure(ref.entryIndex, known));
      continue;
    }
    try {
      targets.set(ref.value, await resolveConditionalReference(ref.value, ctx));
    } catch (err) {
      failed.set(ref.value, err);
      failures.push(new ReferenceFailure(ref.entryIndex, err));
    }
  }
  return failures;
}

async function resolveConditionalReference(value: string, ctx: FhirContext): Promise<string> {
  const type = value.slice(0, value.indexOf('?'));
  if (!isResourceType(type))
    throw badRequest(`Conditional reference '${value}' names unknown type '${type}'`);
  const matches = await findMatches(type, criteriaQuery(value, type), ctx);
  if (matches.length === 0) throw badRequest(`Conditional reference '${value}' matches no ${type}`);
  if (matches.length > 1)
    throw multipleMatches(`Conditional reference '${value}' matches more than one ${type}`);
  return `${type}/${matches[0].id}`;
}

/**
 * Rewrites every found reference to its target (`Patient/<assigned id>`). References to a
 * `urn:` that no entry declares fail their entry (400). Returns the failures.
 */
export function rewriteReferences(
  references: readonly FoundReference[],
  targets: ReadonlyMap<string, string>,
  skip: ReadonlySet<number> = new Set(),
): ReferenceFailure[] {
  const failures: ReferenceFailure[] = [];
  for (const ref of references) {
    if (skip.has(ref.entryIndex)) continue;
    const target = targets.get(ref.value);
    if (target !== undefined) ref.holder.reference = target;
    else if (ref.value.startsWith('urn:')) {
      failures.push(
        new ReferenceFailure(
          ref.entryIndex,
          badRequest(`Reference '${ref.value}' does not match the fullUrl of any entry in the bundle`),
        ),
      );
    }
  }
  return failures;
}
