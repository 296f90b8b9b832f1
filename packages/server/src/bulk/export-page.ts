import type { Queryable } from '@hospitium/db';
import { patientCompartmentParams } from '@hospitium/fhir';

/** Which resources of one type a page is read from. */
export interface PageScope {
  resourceType: string;
  /** Keyset position: only rows with a larger rid. */
  afterRid: string;
  /** Only resources updated after this instant (`_since`). */
  since?: string;
  /** Only resources updated at or before this instant (the job's transactionTime). */
  until: string;
  /**
   * Patient scope of a patient or group export: `'all'` = in any patient's compartment, a list
   * = in the compartment of one of these Patient ids. Undefined for a system export.
   */
  patients?: 'all' | readonly string[];
}

export interface PageRow {
  rid: string;
  id: string;
  text: string;
}

/**
 * One page of current, non-deleted resources of a type in rid order (keyset pagination on the
 * `(resource_type, rid)` index: the cost of a page does not grow with the position, unlike
 * OFFSET). For a patient scope, a resource is in when one of its Patient-compartment reference
 * parameters (CompartmentDefinition `patient`) points at a Patient in scope, or when it is
 * itself such a Patient. Returns no rows for a type outside the compartment.
 */
export async function readPage(db: Queryable, scope: PageScope, limit: number): Promise<PageRow[]> {
  const params: unknown[] = [scope.resourceType, scope.afterRid, scope.until, limit];
  const conditions = [
    'r.resource_type = $1',
    'r.rid > $2::bigint',
    'NOT r.deleted',
    'r.last_updated <= $3::timestamptz',
  ];
  if (scope.since !== undefined) {
    params.push(scope.since);
    conditions.push(`r.last_updated > $${params.length}::timestamptz`);
  }
  if (scope.patients !== undefined) {
    const patientList = scope.patients === 'all' ? undefined : [...scope.patients];
    if (patientList?.length === 0) return [];
    const ors: string[] = [];
    if (scope.resourceType === 'Patient' && patientList) {
      params.push(patientList);
      ors.push(`r.id = ANY($${params.length}::text[])`);
    } else if (scope.resourceType === 'Patient') {
      ors.push('true');
    }
    const compartmentParams = patientCompartmentParams(scope.resourceType);
    if (compartmentParams.length > 0 && !ors.includes('true')) {
      params.push(compartmentParams);
      const paramsAt = params.length;
      let target = '';
      if (patientList) {
        params.push(patientList);
        target = ` AND x.target_id = ANY($${params.length}::text[])`;
      }
      ors.push(
        `EXISTS (SELECT 1 FROM idx_reference x WHERE x.rid = r.rid AND x.resource_type = $1
           AND x.param = ANY($${paramsAt}::text[]) AND x.target_type = 'Patient'${target})`,
      );
    }
    if (ors.length === 0) return [];
    conditions.push(`(${ors.join(' OR ')})`);
  }
  const result = await db.query<{ rid: string | number; id: string; content_text: string }>(
    `SELECT r.rid, r.id, r.content_text FROM resources r
      WHERE ${conditions.join(' AND ')}
      ORDER BY r.rid
      LIMIT $4`,
    params,
  );
  return result.rows.map((row) => ({ rid: String(row.rid), id: row.id, text: row.content_text }));
}
