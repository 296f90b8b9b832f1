import { kickOffExport } from '../../bulk/kick-off.js';
import type { FhirHandler } from '../types.js';
import { exportParameters } from './export-parameters.js';
import type { FhirOperation } from './operation.js';

/** `[base]/Patient/$export` — every resource in any patient's compartment (or in `patient`'s). */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'patient-export',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
  name: 'PatientLevelExport',
  title: 'FHIR Bulk Data Patient Level Export',
  status: 'active',
  kind: 'operation',
  code: 'export',
  resource: ['Patient'],
  system: false,
  type: true,
  instance: false,
  parameter: exportParameters(true),
};

/** Kick-off: 202 + Content-Location, or 400 naming the bad parameter. */
const handler: FhirHandler = (req, ctx) => kickOffExport(req, ctx, 'patient');

export const patientExportOperation: FhirOperation = { definition, methods: ['GET', 'POST'], handler };
