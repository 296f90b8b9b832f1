export * from './corpus.js';
export * from './prng.js';
