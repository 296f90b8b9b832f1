export * from './definitions/load.js';
export * from './outcome/outcome.js';
export * from './search/index.js';
export * from './types.js';
export * from './validation/index.js';
