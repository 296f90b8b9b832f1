import { badRequest } from '@hospitium/fhir';
import { and, type Expression, eq, or } from '../ast.js';
import type { PredicateContext } from '../predicate.js';
import { hasIndexRow, hasNoIndexRow, indexColumn } from './index-match.js';

/** A token condition of a functional list: the parameter and the codes that count. */
interface StatusRule {
  param: string;
  codes: readonly string[];
}

interface FunctionalList {
  /** The resource types the list holds. */
  types: readonly string[];
  /** The resource has one of these codes. */
  include: StatusRule;
  /** And none of these (a refuted or mistaken record is not current). */
  exclude?: StatusRule;
}

const notRefuted: StatusRule = { param: 'verification-status', codes: ['refuted', 'entered-in-error'] };

/**
 * The functional lists of R4 (list.html#functional) Hospitium defines, as conditions on the
 * indexed status codes (combine with `patient=` for one patient's list):
 * `$current-problems` — Conditions whose clinical status is active, recurrence or relapse;
 * `$current-allergies` — AllergyIntolerances with clinical status active; neither refuted nor
 * entered in error; `$current-medications` — MedicationRequests and MedicationStatements with
 * status active.
 */
export const functionalLists: Readonly<Record<string, FunctionalList>> = {
  '$current-problems': {
    types: ['Condition'],
    include: { param: 'clinical-status', codes: ['active', 'recurrence', 'relapse'] },
    exclude: notRefuted,
  },
  '$current-allergies': {
    types: ['AllergyIntolerance'],
    include: { param: 'clinical-status', codes: ['active'] },
    exclude: notRefuted,
  },
  '$current-medications': {
    types: ['MedicationRequest', 'MedicationStatement'],
    include: { param: 'status', codes: ['active'] },
  },
};

const codeIn = (codes: readonly string[]): Expression => or(...codes.map((c) => eq(indexColumn('code'), c)));

/** The condition of one functional list; 400 for an unknown one or a type it does not hold. */
export function functionalListPredicate(ctx: PredicateContext, name: string): Expression {
  const list = functionalLists[name];
  if (!list) {
    throw badRequest(
      `Functional list '${name}' is not defined here (use ${Object.keys(functionalLists).join(', ')}, or the id of a List)`,
      'http._list',
    );
  }
  const types = ctx.resourceTypes ?? [ctx.resourceType];
  const others = types.filter((t) => !list.types.includes(t));
  if (others.length > 0) {
    throw badRequest(
      `Functional list '${name}' holds ${list.types.join(' and ')}, not ${others.join(', ')}`,
      'http._list',
    );
  }
  const conditions = [hasIndexRow('idx_token', ctx, list.include.param, codeIn(list.include.codes))];
  if (list.exclude) {
    conditions.push(hasNoIndexRow('idx_token', ctx, list.exclude.param, codeIn(list.exclude.codes)));
  }
  return and(...conditions);
}
