import { outcomeMessage } from './operation-outcome';

/** A failed FHIR call: its HTTP status and a message fit to show on screen. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The OperationOutcome (or other body) the server sent, for detail views. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'FhirError';
  }

  static fromResponse(status: number, body: unknown): FhirError {
    return new FhirError(status, outcomeMessage(body, status), body);
  }
}
