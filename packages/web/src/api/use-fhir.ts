import { type DependencyList, useEffect, useState } from 'react';
import { FhirError } from './fhir-error';

/** The state of one FHIR read on a screen. */
export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string; httpStatus: number };

/**
 * Runs `load` when `deps` change and keeps its result; a newer load wins over an older one
 * still in flight. Errors arrive as the server's OperationOutcome in words, with the status,
 * so that a section can say "not available to your role" (403) rather than fail.
 */
export function useFhir<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    load().then(
      (data) => current && setState({ status: 'ok', data }),
      (err: unknown) =>
        current &&
        setState({
          status: 'error',
          message: err instanceof Error ? err.message : String(err),
          httpStatus: err instanceof FhirError ? err.status : 0,
        }),
    );
    return () => {
      current = false;
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  }, deps);
  return state;
}
