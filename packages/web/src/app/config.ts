/**
 * Codes and systems the screens use, in one place (codes are configuration, not literals in
 * components). They match what the server and the demo hospital write.
 */
export const hospitalConfig = {
  /** The hospital's medical record number system (the demo generator assigns MRNs in it). */
  mrnSystem: 'http://hospitium.org/fhir/sid/mrn',
  /** Other identifiers a registrar may take at the desk. */
  identifierTypes: [
    { system: 'http://hl7.org/fhir/sid/us-ssn', code: 'SS', label: 'Social Security number' },
    { system: 'urn:oid:2.16.840.1.113883.4.3.25', code: 'DL', label: "Driver's licence" },
  ],
  /** The v2-0203 identifier type system. */
  identifierTypeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** Code status (resuscitation orders): LOINC codes of an Observation, or any active Flag with these codes. */
  codeStatusCodes: [
    'http://loinc.org|75320-2',
    'http://loinc.org|100822-6',
    'http://snomed.info/sct|304253006',
  ],
  /** Vital signs and laboratory categories (observation-category). */
  vitalSignsCategory: 'vital-signs',
  laboratoryCategory: 'laboratory',
  /** Encounter participant type of the attending physician (v3 ParticipationType). */
  attendingParticipantType: 'ATND',
  /** Location physical type of a bed. */
  bedPhysicalType: 'bd',
} as const;
