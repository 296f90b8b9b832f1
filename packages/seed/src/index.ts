export {
  DEFAULT_AS_OF,
  DEFAULT_SEED,
  generatePopulation,
  MAX_PATIENTS,
  type Population,
  type PopulationOptions,
} from './population.js';
export { type PopulationProfile, profilePopulation, type ValueSpread } from './profile/profile.js';
