import { adtOperations } from '../../modules/adt/operations/index.js';
import { patientMatch } from '../../modules/registration/operations/match.js';
import { patientBreakTheGlass } from './break-the-glass.js';
import { patientEverything } from './everything.js';
import { exportOperation } from './export.js';
import { groupExportOperation, groupExportWithoutIdOperation } from './export-group.js';
import { patientExportOperation } from './export-patient.js';
import type { FhirOperation } from './operation.js';
import { patientWhoViewed } from './who-viewed.js';

/**
 * Every FHIR operation the server implements, in one list: the router dispatches `$name`
 * segments through it and the CapabilityStatement declares it. Add a line per operation file.
 */
export const operations: readonly FhirOperation[] = [
  patientEverything,
  patientBreakTheGlass,
  exportOperation,
  patientExportOperation,
  groupExportOperation,
  groupExportWithoutIdOperation,
  patientWhoViewed,
  ...adtOperations,
  patientMatch,
];

export type { FhirOperation } from './operation.js';

/** Operations by code and level; `type` is the resource type for type/instance level. */
export function findOperation(
  code: string,
  level: 'system' | 'type' | 'instance',
  type?: string,
): FhirOperation | undefined {
  return operations.find(
    (op) =>
      op.definition.code === code &&
      op.definition[level] &&
      (level === 'system' || !op.definition.resource || op.definition.resource.includes(type ?? '')),
  );
}
