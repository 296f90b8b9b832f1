import { badRequest } from '@hospitium/fhir';
import { kickOffExport } from '../../bulk/kick-off.js';
import type { FhirHandler } from '../types.js';
import { exportParameters } from './export-parameters.js';
import type { FhirOperation } from './operation.js';

/** `[base]/Group/[id]/$export` — the compartments of the Group's (active) member patients. */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'group-export',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
  name: 'GroupLevelExport',
  title: 'FHIR Bulk Data Group Level Export',
  status: 'active',
  kind: 'operation',
  code: 'export',
  resource: ['Group'],
  system: false,
  type: false,
  instance: true,
  parameter: exportParameters(true),
};

/** Kick-off: 202 + Content-Location; 404/410 when the Group does not exist. */
const handler: FhirHandler = (req, ctx) => kickOffExport(req, ctx, 'group');

export const groupExportOperation: FhirOperation = { definition, methods: ['GET', 'POST'], handler };

/**
 * `[base]/Group/$export` (no id): answered with a 400 that names the right URL rather than a
 * 404, so clients (and conformance suites) see that group export exists. The same definition at
 * type level; the CapabilityStatement lists it once.
 */
export const groupExportWithoutIdOperation: FhirOperation = {
  definition: { ...definition, type: true, instance: false },
  methods: ['GET', 'POST'],
  handler: async () => {
    throw badRequest('Group export runs on one Group: Group/[id]/$export', 'http.id');
  },
};
