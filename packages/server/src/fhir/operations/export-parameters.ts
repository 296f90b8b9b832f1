/**
 * The kick-off parameters the three `$export` OperationDefinitions share (Bulk Data Access IG
 * v2: export, patient-export, group-export). `patient` exists only at Patient and Group level.
 */
export function exportParameters(withPatient: boolean): Record<string, unknown>[] {
  const param = (name: string, type: string, max: string, documentation: string) => ({
    name,
    use: 'in',
    min: 0,
    max,
    type,
    documentation,
  });
  return [
    param('_outputFormat', 'string', '1', 'application/fhir+ndjson (also application/ndjson, ndjson)'),
    param('_since', 'instant', '1', 'Only resources changed after this instant'),
    param('_type', 'string', '*', 'Comma-separated resource types to export'),
    param(
      '_typeFilter',
      'string',
      '*',
      'Search queries ([type]?[params]) that exported resources must match',
    ),
    ...(withPatient
      ? [param('patient', 'Reference', '*', 'Export only these patients (POST Parameters body)')]
      : []),
    {
      name: 'return',
      use: 'out',
      min: 0,
      max: '1',
      type: 'Binary',
      documentation: '202 Accepted with Content-Location: the status URL to poll for the manifest',
    },
  ];
}
