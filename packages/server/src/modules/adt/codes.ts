/**
 * The codes ADT writes and reads, in one place (codes are configuration): bed status from
 * HL7 v2 table 0116 as `Location.operationalStatus`, the FHIR terminology for encounter class,
 * admit source, discharge disposition and participant type, and Hospitium's own code for the
 * housekeeping Task.
 */
export const adtSystems = {
  bedStatus: 'http://terminology.hl7.org/CodeSystem/v2-0116',
  physicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  admitSource: 'http://terminology.hl7.org/CodeSystem/admit-source',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  participantType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  task: 'http://hospitium.org/fhir/CodeSystem/task-code',
  mrn: 'http://hospitium.org/fhir/sid/mrn',
} as const;

/** v2-0116 bed status codes as Hospitium uses them. */
export const bedStatusCodes = {
  occupied: { code: 'O', display: 'Occupied' },
  clean: { code: 'U', display: 'Unoccupied' },
  dirty: { code: 'H', display: 'Housekeeping' },
  closed: { code: 'C', display: 'Closed' },
  isolated: { code: 'I', display: 'Isolated' },
  contaminated: { code: 'K', display: 'Contaminated' },
} as const;

export type BedStatusCode = (typeof bedStatusCodes)[keyof typeof bedStatusCodes]['code'];

/** The Task code of a housekeeping job on a bed. */
export const bedCleaningCode = {
  system: adtSystems.task,
  code: 'bed-cleaning',
  display: 'Bed cleaning',
} as const;

/**
 * Why a bed became dirty when a patient left it (the cleaning Task's `reasonCode`, with the
 * encounter in `Task.encounter`): the board offers to cancel a discharge from the dirty bed.
 */
export const vacatedSystem = 'http://hospitium.org/fhir/CodeSystem/bed-vacated';
export type VacatedReason =
  | 'discharge'
  | 'transfer'
  | 'admission-cancelled'
  | 'transfer-cancelled'
  | 'admitted';

/** Admit sources (http://hl7.org/fhir/ValueSet/encounter-admit-source) plus the two admission kinds a registrar names. */
export const admitSources: Readonly<Record<string, string>> = {
  hosp_trans: 'Transferred from other hospital',
  emd: 'From accident/emergency department',
  outp: 'From outpatient department',
  born: 'Born in hospital',
  gp: 'General Practitioner referral',
  mp: 'Medical Practitioner/physician referral',
  nursing: 'From nursing home',
  psych: 'From psychiatric hospital',
  rehab: 'From rehabilitation facility',
  other: 'Other',
};

/** Discharge dispositions (http://hl7.org/fhir/ValueSet/encounter-discharge-disposition). */
export const dischargeDispositions: Readonly<Record<string, string>> = {
  home: 'Home',
  'alt-home': 'Alternative home',
  'other-hcf': 'Other healthcare facility',
  hosp: 'Hospice',
  long: 'Long-term care',
  aadvice: 'Left against advice',
  exp: 'Expired',
  psy: 'Psychiatric hospital',
  rehab: 'Rehabilitation',
  snf: 'Skilled nursing facility',
  oth: 'Other',
};

/** Encounter classes (v3 ActCode) that are an inpatient stay. */
export const inpatientClasses: ReadonlySet<string> = new Set(['IMP', 'ACUTE', 'NONAC']);

/** Statuses of an encounter that holds a bed: the patient is in it or on leave from it. */
export const bedHoldingStatuses = ['in-progress', 'onleave'] as const;

/**
 * The Task code of a request to move an inpatient (a pending transfer on the board): `focus` the
 * Encounter, `location` the unit or bed wanted; one open request per stay, completed by `$transfer`.
 */
export const bedTransferRequestCode = {
  system: adtSystems.task,
  code: 'bed-transfer-request',
  display: 'Bed transfer request',
} as const;

/**
 * Where an expected discharge is kept on the Encounter (FHIR R4 has no element for it): a complex
 * extension with `time` (valueDateTime) and an optional `note` (valueString).
 */
export const expectedDischargeExtension = 'http://hospitium.org/fhir/StructureDefinition/expected-discharge';
