/**
 * The roles a hospital assigns to staff accounts. Closed: the policy and the CLI accept these
 * codes only. `patient` is the portal account of a patient (linked to a Patient resource).
 */
export const roles = [
  'registrar',
  'nurse',
  'physician',
  'pharmacist',
  'lab-tech',
  'radiology-tech',
  'biller',
  'coder',
  'supply',
  'biomed',
  'interface-analyst',
  'it-admin',
  'patient',
] as const;
export type Role = (typeof roles)[number];

/** Roles whose accounts must sign in with a second factor (TOTP). */
export const adminRoles: readonly Role[] = ['it-admin', 'interface-analyst'];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** True when any of `userRoles` requires a second factor. */
export function requiresSecondFactor(userRoles: readonly Role[]): boolean {
  return userRoles.some((r) => adminRoles.includes(r));
}
