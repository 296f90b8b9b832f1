/**
 * HL7 v2 table codes and the FHIR codes they map to, taken from the HL7 v2-to-FHIR IG concept
 * maps (v2 tables 0001, 0002, 0004, 0063, 0078, 0085, 0123, 0127, 0128, 0200, 0201, 0202,
 * 0003 → Encounter.status). Data only: the mappers look codes up here, so a site that needs a
 * different map changes this file, not the mapping code.
 */

const v3ActCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const v2_0004 = 'http://terminology.hl7.org/CodeSystem/v2-0004';
const v3RoleCode = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const v2_0063 = 'http://terminology.hl7.org/CodeSystem/v2-0063';
const v2_0131 = 'http://terminology.hl7.org/CodeSystem/v2-0131';
const v3Marital = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const v3NullFlavor = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

export interface MappedCoding {
  system: string;
  code: string;
  display: string;
}

/** Table 0001 administrative sex → AdministrativeGender. */
export const administrativeSex: Record<string, string> = {
  F: 'female',
  M: 'male',
  O: 'other',
  U: 'unknown',
  A: 'other',
  N: 'other',
};

/** Table 0004 patient class → Encounter.class (v3 ActCode, or v2-0004 where v3 has none). */
export const patientClass: Record<string, MappedCoding> = {
  E: { system: v3ActCode, code: 'EMER', display: 'emergency' },
  I: { system: v3ActCode, code: 'IMP', display: 'inpatient encounter' },
  O: { system: v3ActCode, code: 'AMB', display: 'ambulatory' },
  P: { system: v3ActCode, code: 'PRENC', display: 'pre-admission' },
  R: { system: v2_0004, code: 'R', display: 'Recurring patient' },
  B: { system: v2_0004, code: 'B', display: 'Obstetrics' },
  C: { system: v2_0004, code: 'C', display: 'Commercial Account' },
  N: { system: v2_0004, code: 'N', display: 'Not Applicable' },
  U: { system: v2_0004, code: 'U', display: 'Unknown' },
};

/**
 * Trigger event (table 0003) → Encounter.status. The IG maps A04 to `planned`; a registered
 * outpatient visit has begun, so Hospitium follows the IG's A01 reading (`in-progress`) for A04,
 * and A08 (which conveys no status) is decided from PV1-44/45 by the mapper.
 */
export const eventEncounterStatus: Record<string, string> = {
  A01: 'in-progress',
  A02: 'in-progress',
  A03: 'finished',
  A04: 'in-progress',
  A05: 'planned',
  A06: 'in-progress',
  A07: 'in-progress',
  A11: 'cancelled',
  A12: 'in-progress',
  A13: 'in-progress',
  A17: 'in-progress',
};

/** Table 0002 marital status → v3 MaritalStatus. */
export const maritalStatus: Record<string, MappedCoding> = {
  A: { system: v3Marital, code: 'L', display: 'Legally Separated' },
  D: { system: v3Marital, code: 'D', display: 'Divorced' },
  M: { system: v3Marital, code: 'M', display: 'Married' },
  S: { system: v3Marital, code: 'S', display: 'Never Married' },
  W: { system: v3Marital, code: 'W', display: 'Widowed' },
  C: { system: v3Marital, code: 'C', display: 'Common Law' },
  G: { system: v3Marital, code: 'T', display: 'Domestic partner' },
  P: { system: v3Marital, code: 'T', display: 'Domestic partner' },
  R: { system: v3Marital, code: 'T', display: 'Domestic partner' },
  E: { system: v3Marital, code: 'L', display: 'Legally Separated' },
  N: { system: v3Marital, code: 'A', display: 'Annulled' },
  I: { system: v3Marital, code: 'I', display: 'Interlocutory' },
  B: { system: v3Marital, code: 'U', display: 'unmarried' },
  U: { system: v3NullFlavor, code: 'UNK', display: 'Unknown' },
  O: { system: v3NullFlavor, code: 'OTH', display: 'Other' },
  T: { system: v3NullFlavor, code: 'NAVU', display: 'Not available' },
};

/** Table 0063 relationship → RelatedPerson.relationship. */
export const relationship: Record<string, MappedCoding> = {
  SEL: { system: v3RoleCode, code: 'ONESELF', display: 'self' },
  SPO: { system: v3RoleCode, code: 'SPS', display: 'spouse' },
  DOM: { system: v3RoleCode, code: 'SIGOTHR', display: 'significant other' },
  CHD: { system: v3RoleCode, code: 'CHILD', display: 'child' },
  GCH: { system: v3RoleCode, code: 'GRNDCHILD', display: 'grandchild' },
  NCH: { system: v3RoleCode, code: 'NCHILD', display: 'natural child' },
  SCH: { system: v3RoleCode, code: 'STPCHLD', display: 'step child' },
  FCH: { system: v3RoleCode, code: 'CHLDFOST', display: 'foster child' },
  DEP: { system: v2_0063, code: 'DEP', display: 'Handicapped dependent' },
  WRD: { system: v2_0063, code: 'WRD', display: 'Ward of court' },
  PAR: { system: v3RoleCode, code: 'PRN', display: 'parent' },
  MTH: { system: v3RoleCode, code: 'MTH', display: 'mother' },
  FTH: { system: v3RoleCode, code: 'FTH', display: 'father' },
  CGV: { system: v2_0063, code: 'CGV', display: 'Care giver' },
  GRD: { system: v2_0063, code: 'GRD', display: 'Guardian' },
  GRP: { system: v3RoleCode, code: 'GRPRN', display: 'grandparent' },
  EXF: { system: v3RoleCode, code: 'EXT', display: 'extended family member' },
  SIB: { system: v3RoleCode, code: 'SIB', display: 'sibling' },
  BRO: { system: v3RoleCode, code: 'BRO', display: 'brother' },
  SIS: { system: v3RoleCode, code: 'SIS', display: 'sister' },
  FND: { system: v3RoleCode, code: 'FRND', display: 'friend' },
  OAD: { system: v2_0063, code: 'OAD', display: 'Other adult' },
  EME: { system: v2_0063, code: 'EME', display: 'Employee' },
  EMR: { system: v2_0131, code: 'E', display: 'Employer' },
  ASC: { system: v2_0063, code: 'ASC', display: 'Associate' },
  EMC: { system: v2_0131, code: 'C', display: 'Emergency Contact' },
  OWN: { system: v2_0063, code: 'OWN', display: 'Owner' },
  TRA: { system: v2_0063, code: 'TRA', display: 'Trainer' },
  MGR: { system: v2_0063, code: 'MGR', display: 'Manager' },
  NON: { system: v2_0063, code: 'NON', display: 'None' },
  UNK: { system: v2_0131, code: 'U', display: 'Unknown' },
  OTH: { system: v2_0131, code: 'O', display: 'Other' },
};

/** Table 0078 abnormal flags → v3 ObservationInterpretation (same codes where mapped). */
export const interpretationCodes: ReadonlySet<string> = new Set([
  '<',
  '>',
  'A',
  'AA',
  'AC',
  'B',
  'CAR',
  'D',
  'DET',
  'E',
  'EX',
  'EXP',
  'H',
  'HH',
  'HU',
  'I',
  'IE',
  'IND',
  'L',
  'LL',
  'LU',
  'N',
  'NCL',
  'ND',
  'NEG',
  'NR',
  'NS',
  'POS',
  'R',
  'RR',
  'S',
  'SDD',
  'SYN-R',
  'SYN-S',
  'U',
  'UNE',
  'W',
]);
export const interpretationSystem = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** Table 0085 observation result status → Observation.status. */
export const observationStatus: Record<string, string> = {
  A: 'amended',
  C: 'corrected',
  D: 'entered-in-error',
  F: 'final',
  I: 'registered',
  P: 'preliminary',
  X: 'cancelled',
  W: 'entered-in-error',
  R: 'preliminary',
  S: 'preliminary',
  U: 'final',
  V: 'final',
  B: 'amended',
};

/** Table 0123 result status → DiagnosticReport.status. */
export const reportStatus: Record<string, string> = {
  O: 'registered',
  I: 'registered',
  S: 'registered',
  A: 'partial',
  P: 'preliminary',
  C: 'corrected',
  R: 'partial',
  F: 'final',
  X: 'cancelled',
  M: 'corrected',
  N: 'partial',
};

/** Table 0127 allergen type → AllergyIntolerance.category. */
export const allergenCategory: Record<string, string> = {
  DA: 'medication',
  FA: 'food',
  EA: 'environment',
  AA: 'biologic',
  PA: 'environment',
  LA: 'environment',
};

/** Table 0128 allergy severity → AllergyIntolerance.criticality (`MI` mild is low, `SV` severe high). */
export const allergyCriticality: Record<string, string> = {
  SV: 'high',
  MO: 'low',
  MI: 'low',
  U: 'unable-to-assess',
};

/** Table 0128 allergy severity → AllergyIntolerance.reaction.severity. */
export const reactionSeverity: Record<string, string> = { SV: 'severe', MO: 'moderate', MI: 'mild' };

/** Table 0200 name type → HumanName.use. */
export const nameUse: Record<string, string> = {
  BAD: 'old',
  D: 'usual',
  L: 'official',
  M: 'maiden',
  MSK: 'anonymous',
  N: 'nickname',
  NAV: 'temp',
  R: 'official',
  TEMP: 'temp',
  NOUSE: 'old',
};

/** Table 0201 telecom use → ContactPoint.use. */
export const telecomUse: Record<string, string> = {
  PRN: 'home',
  ORN: 'home',
  VHN: 'home',
  WPN: 'work',
  PRS: 'mobile',
};

/** Table 0202 telecom equipment → ContactPoint.system (CP is a phone used as mobile). */
export const telecomSystem: Record<string, string> = {
  PH: 'phone',
  FX: 'fax',
  MD: 'other',
  CP: 'phone',
  SAT: 'other',
  BP: 'pager',
  Internet: 'email',
  'X.400': 'email',
  TDD: 'other',
  TTY: 'other',
};

/** Table 0190 address type → Address.use / Address.type. */
export const addressUse: Record<string, { use?: string; type?: string }> = {
  H: { use: 'home' },
  B: { use: 'work' },
  O: { use: 'work' },
  C: { use: 'temp' },
  BA: { use: 'old' },
  M: { type: 'postal' },
  SH: { type: 'postal' },
  BI: { use: 'billing' },
};
