/**
 * The few FHIR R4 shapes the screens read, typed loosely on purpose: the server validates
 * resources, the app only displays them, so every field is optional as in the specification.
 */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Reference {
  reference?: string;
  display?: string;
}
export interface Identifier {
  system?: string;
  value?: string;
  type?: CodeableConcept;
  use?: string;
}
export interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  text?: string;
  prefix?: string[];
}
export interface Address {
  line?: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  use?: string;
}
export interface ContactPoint {
  system?: string;
  value?: string;
  use?: string;
}
export interface Period {
  start?: string;
  end?: string;
}
export interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}
export interface Extension {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueDecimal?: number;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { lastUpdated?: string; versionId?: string };
  [key: string]: unknown;
}

export interface Patient extends Resource {
  resourceType: 'Patient';
  identifier?: Identifier[];
  name?: HumanName[];
  gender?: string;
  birthDate?: string;
  deceasedBoolean?: boolean;
  deceasedDateTime?: string;
  address?: Address[];
  telecom?: ContactPoint[];
  active?: boolean;
}

export interface BundleEntry<T extends Resource = Resource> {
  fullUrl?: string;
  resource?: T;
  search?: { mode?: string; score?: number; extension?: Extension[] };
}

export interface Bundle<T extends Resource = Resource> extends Resource {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  entry?: BundleEntry<T>[];
}
