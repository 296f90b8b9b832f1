import { type IssueCode, OperationOutcomeError, operationOutcome } from '@hospitium/fhir';
import { type ErrorLocation, formatLocation } from '@hospitium/hl7v2';

/**
 * A message that cannot be applied, as the one error type the server throws. The v2 location
 * travels as the issue's expression (`PID[1]-3`), so the engine can name segment and field in
 * the ACK's ERR-2 and the HTTP API can show the same outcome.
 */
export function mappingError(
  location: ErrorLocation,
  text: string,
  code: IssueCode = 'value',
): OperationOutcomeError {
  return new OperationOutcomeError(
    operationOutcome([
      {
        severity: 'error',
        code,
        details: { text },
        expression: [formatLocation({ ...location, sequence: location.sequence ?? 1 })],
      },
    ]),
    { status: 422 },
  );
}
