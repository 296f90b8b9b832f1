/**
 * Order codes (ORC, TQ1, RXR) and the FHIR codes they map to, from the HL7 v2-to-FHIR IG concept
 * maps OrderControlCode → ServiceRequest.status, OrderStatus (table 0038), Priority (table 0485),
 * RouteOfAdministration (table 0162) and RepeatPattern (table 0335). Data only, like
 * `v2-tables.ts`: a site with other codes changes this file, not the mappers.
 */

/** Request status (ServiceRequest.status) by ORC-1 order control (table 0119). */
export const orderControlStatus: Record<string, string> = {
  NW: 'active',
  OK: 'active',
  XO: 'active',
  XX: 'active',
  XR: 'active',
  RO: 'active',
  RP: 'active',
  RL: 'active',
  CH: 'active',
  PA: 'active',
  CA: 'revoked',
  CR: 'revoked',
  OC: 'revoked',
  DC: 'revoked',
  DR: 'revoked',
  OD: 'revoked',
  UA: 'revoked',
  DE: 'entered-in-error',
  HD: 'on-hold',
  HR: 'on-hold',
  OH: 'on-hold',
  RE: 'completed',
  OE: 'completed',
  OR: 'completed',
};

/** Request status by ORC-5 order status (table 0038); takes precedence over ORC-1 when sent. */
export const orderStatus: Record<string, string> = {
  CA: 'revoked',
  CM: 'completed',
  DC: 'revoked',
  ER: 'entered-in-error',
  HD: 'on-hold',
  IP: 'active',
  RP: 'revoked',
  SC: 'active',
};

/**
 * ORC-1 codes that act on an order the receiver already has (cancel, discontinue, change, hold,
 * release): the order must be known by its placer (or filler) number, else the message is AE.
 */
export const ordersOnExisting: ReadonlySet<string> = new Set(['CA', 'DC', 'XO', 'HD', 'RL', 'OC', 'OD']);

/** MedicationRequest.status for a request status (its value set has no `revoked`). */
export const medicationStatus: Record<string, string> = {
  active: 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  'entered-in-error': 'entered-in-error',
  revoked: 'cancelled',
};
/** ORC-1/ORC-5 codes that stop a medication order that had started, rather than cancel it. */
export const medicationStopped: ReadonlySet<string> = new Set(['DC', 'OD', 'DR']);

/** Table 0485 priority (TQ1-9, ORC-7.6, OBR-5) → request priority. */
export const orderPriority: Record<string, string> = {
  S: 'stat',
  A: 'asap',
  R: 'routine',
  P: 'urgent',
  T: 'urgent',
  C: 'routine',
};

const v2_0162 = 'http://terminology.hl7.org/CodeSystem/v2-0162';
const v3Route = 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration';

/**
 * Table 0162 route → the IG's target code: v3 RouteOfAdministration where the IG maps one
 * (ID, IM, IV, PO, SC, TD), otherwise the v2 code itself.
 */
export const routeOfAdministration: Record<string, { system: string; code: string; display: string }> = {
  ID: { system: v3Route, code: 'IDINJ', display: 'Injection, intradermal' },
  IM: { system: v3Route, code: 'IM', display: 'Injection, intramuscular' },
  IV: { system: v3Route, code: 'IVINJ', display: 'Injection, intravenous' },
  PO: { system: v3Route, code: 'PO', display: 'Swallow, oral' },
  SC: { system: v3Route, code: 'SQ', display: 'Injection, subcutaneous' },
  TD: { system: v3Route, code: 'TRNSDERM', display: 'Transdermal' },
  ...Object.fromEntries(
    [
      ['AP', 'Apply Externally'],
      ['B', 'Buccal'],
      ['DT', 'Dental'],
      ['EP', 'Epidural'],
      ['ET', 'Endotrachial Tube'],
      ['GTT', 'Gastrostomy Tube'],
      ['GU', 'GU Irrigant'],
      ['IA', 'Intra-arterial'],
      ['IB', 'Intrabursal'],
      ['IC', 'Intracardiac'],
      ['ICV', 'Intracervical (uterus)'],
      ['IH', 'Inhalation'],
      ['IHA', 'Intrahepatic Artery'],
      ['IMR', 'Immerse (Soak) Body Part'],
      ['IN', 'Intranasal'],
      ['IO', 'Intraocular'],
      ['IP', 'Intraperitoneal'],
      ['IS', 'Intrasynovial'],
      ['IT', 'Intrathecal'],
      ['IU', 'Intrauterine'],
      ['MM', 'Mucous Membrane'],
      ['MTH', 'Mouth/Throat'],
      ['NG', 'Nasogastric'],
      ['NP', 'Nasal Prongs'],
      ['NS', 'Nasal'],
      ['NT', 'Nasotrachial Tube'],
      ['OP', 'Ophthalmic'],
      ['OT', 'Otic'],
      ['OTH', 'Other/Miscellaneous'],
      ['PF', 'Perfusion'],
      ['PR', 'Rectal'],
      ['RM', 'Rebreather Mask'],
      ['SD', 'Soaked Dressing'],
      ['SL', 'Sublingual'],
      ['TL', 'Translingual'],
      ['TP', 'Topical'],
      ['TRA', 'Tracheostomy'],
      ['UR', 'Urethral'],
      ['VG', 'Vaginal'],
      ['VM', 'Ventimask'],
      ['WND', 'Wound'],
    ].map(([code, display]) => [code, { system: v2_0162, code, display }]),
  ),
};

/** Fixed repeat patterns (table 0335) → Timing.repeat; `Q<n>H`, `Q<n>D`, `Q<n>W`, `Q<n>M` are read by pattern. */
export const repeatPatterns: Record<string, { frequency: number; period: number; periodUnit: string }> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  DAILY: { frequency: 1, period: 1, periodUnit: 'd' },
  QAM: { frequency: 1, period: 1, periodUnit: 'd' },
  QPM: { frequency: 1, period: 1, periodUnit: 'd' },
  QHS: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  ONCE: { frequency: 1, period: 1, periodUnit: 'd' },
};
/** `Q<n><unit>` repeat patterns: the v2 unit letter → UCUM time unit. */
export const repeatUnits: Record<string, string> = { S: 's', M: 'min', H: 'h', D: 'd', W: 'wk', L: 'mo' };
