export * from './definitions/load.js';
export { type TopLevelElements, topLevelElements } from './definitions/summary.js';
export * from './outcome/outcome.js';
export * from './search/index.js';
export * from './types.js';
export * from './validation/index.js';
