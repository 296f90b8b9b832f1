import { forbidden } from '@hospitium/fhir';
import type { FhirRequest } from '../../fhir/types.js';
import type { AccessContext } from '../tokens/access-context.js';
import { describeRequest } from './access-request.js';
import { decide } from './policy.js';

/** Throws 403 (OperationOutcome naming the missing permission) unless `access` allows `req`. */
export function authorize(req: FhirRequest, access: AccessContext): void {
  if (access.kind === 'internal') return;
  const request = describeRequest(req);
  if (!request) return;
  const decision = decide(access, request);
  if (!decision.allowed) throw forbidden(decision.reason);
}
