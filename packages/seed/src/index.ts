export { conditionalReference, type Ref } from './bundle/transaction.js';
export { type Code, EXTENSIONS, SYSTEMS } from './codes/systems.js';
export {
  DEFAULT_AS_OF,
  DEFAULT_SEED,
  generatePopulation,
  MAX_PATIENTS,
  type Population,
  type PopulationOptions,
  populationDirectory,
} from './population.js';
export { type PopulationProfile, profilePopulation, type ValueSpread } from './profile/profile.js';
export type {
  Directory,
  Facility,
  Payer,
  StaffMember,
} from './shared/directory.js';
export { locationRef, organizationRef, payerRef, practitionerRef } from './shared/references.js';
