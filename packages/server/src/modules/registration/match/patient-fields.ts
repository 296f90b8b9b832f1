import type { Resource } from '@hospitium/fhir';

/**
 * The Patient fields matching compares, typed as FHIR R4 defines them (all optional). The
 * resource itself was validated by the repository or by `$match`'s input check.
 */
export interface HumanName {
  use?: string;
  text?: string;
  family?: string;
  given?: string[];
}
export interface Address {
  line?: string[];
  city?: string;
  state?: string;
  postalCode?: string;
}
export interface ContactPoint {
  system?: string;
  value?: string;
}
export interface Identifier {
  system?: string;
  value?: string;
}
export interface Patient extends Resource {
  resourceType: 'Patient';
  name?: HumanName[];
  birthDate?: string;
  gender?: string;
  address?: Address[];
  telecom?: ContactPoint[];
  identifier?: Identifier[];
}
