/**
 * Document codes (TXA, tables 0270–0275) and the DocumentReference codes they map to. Data only,
 * like `v2-tables.ts`.
 */

/** Table 0271 document completion status (TXA-17) → DocumentReference.docStatus. */
export const documentCompletion: Record<string, string> = {
  AU: 'final',
  LA: 'final',
  PA: 'final',
  DI: 'preliminary',
  DO: 'preliminary',
  IN: 'preliminary',
  IP: 'preliminary',
};

/** Table 0273 document availability status (TXA-19) → DocumentReference.status. */
export const documentAvailability: Record<string, string> = {
  AV: 'current',
  UN: 'current',
  OB: 'superseded',
  CA: 'entered-in-error',
};

/** Table 0272 document confidentiality status (TXA-18) → v3 Confidentiality (security label). */
export const documentConfidentiality: Record<string, { code: string; display: string }> = {
  V: { code: 'V', display: 'very restricted' },
  R: { code: 'R', display: 'restricted' },
  U: { code: 'N', display: 'normal' },
};
