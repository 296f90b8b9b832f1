export { conditionalReference, type Ref } from './bundle/transaction.js';
export { type Code, EXTENSIONS, SYSTEMS } from './codes/systems.js';
export {
  type CensusPatient,
  type CensusSummary,
  censusPatient,
  demoCensus,
} from './hospital/census.js';
export {
  type Bed,
  type DemoHospital,
  type DemoStaff,
  type DemoUser,
  demoBeds,
  demoHospital,
} from './hospital/demo-hospital.js';
export { BED_STATUS, BED_STATUS_SYSTEM, UNITS } from './hospital/layout.js';
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
