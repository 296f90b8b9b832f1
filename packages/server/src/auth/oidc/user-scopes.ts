import { parseResourceScope } from '../smart/scopes.js';
import type { User } from '../users/user-store.js';

/**
 * Scopes a user may be granted whatever the app asks: nobody gets `system/` through a browser
 * sign-in, and a patient's account gets only `patient/` scopes (its own record).
 */
export function userMayHold(user: User, scope: string): boolean {
  const parsed = parseResourceScope(scope);
  if (!parsed) return true;
  if (parsed.context === 'system') return false;
  const isPatient = user.roles.includes('patient') || user.fhirUser?.startsWith('Patient/') === true;
  return !isPatient || parsed.context === 'patient';
}
