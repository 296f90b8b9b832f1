import { kickOffExport } from '../../bulk/kick-off.js';
import type { FhirHandler } from '../types.js';
import { exportParameters } from './export-parameters.js';
import type { FhirOperation } from './operation.js';

/** `[base]/$export` — every resource on the server (Bulk Data Access IG v2 system-level export). */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'export',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
  name: 'BulkDataExport',
  title: 'FHIR Bulk Data System Level Export',
  status: 'active',
  kind: 'operation',
  code: 'export',
  system: true,
  type: false,
  instance: false,
  parameter: exportParameters(false),
};

/** Kick-off: 202 + Content-Location, or 400 naming the bad parameter. */
const handler: FhirHandler = (req, ctx) => kickOffExport(req, ctx, 'system');

export const exportOperation: FhirOperation = { definition, methods: ['GET', 'POST'], handler };
