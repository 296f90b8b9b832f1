/** Code systems and identifier systems the generated resources use (one place, no scattered URLs). */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
  nucc: 'http://nucc.org/provider-taxonomy',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
  ombRace: 'urn:oid:2.16.840.1.113883.6.238',
  bcp47: 'urn:ietf:bcp:47',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v2DiagnosticService: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  locationType: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  locationPhysicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  admitSource: 'http://terminology.hl7.org/CodeSystem/admit-source',
  practitionerRole: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
  encounterParticipantType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  serviceplace: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  /** Identifier systems of the generated hospital (medical record numbers, organisations, places). */
  mrn: 'http://hospitium.org/fhir/sid/mrn',
  organizationId: 'http://hospitium.org/fhir/sid/organization',
  locationId: 'http://hospitium.org/fhir/sid/location',
  practitionerRoleId: 'http://hospitium.org/fhir/sid/practitioner-role',
  memberId: 'http://hospitium.org/fhir/sid/member-id',
} as const;

/** US Core extension URLs used on Patient. */
export const EXTENSIONS = {
  race: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  ethnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  birthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
  mothersMaidenName: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName',
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
  geolocation: 'http://hl7.org/fhir/StructureDefinition/geolocation',
} as const;

/** A code in a code system, as the tables hold it. */
export interface Code {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** `{ coding: [code], text: display }`, the CodeableConcept shape Synthea writes. */
export function concept(code: Code): { coding: Code[]; text: string } {
  return { coding: [{ system: code.system, code: code.code, display: code.display }], text: code.display };
}

/** Shorthand for table rows. */
export const snomed = (code: string, display: string): Code => ({ system: SYSTEMS.snomed, code, display });
export const loinc = (code: string, display: string): Code => ({ system: SYSTEMS.loinc, code, display });
export const rxnorm = (code: string, display: string): Code => ({ system: SYSTEMS.rxnorm, code, display });
export const cvx = (code: string, display: string): Code => ({ system: SYSTEMS.cvx, code, display });
