export * from './browser.js';
export * from './fhir.js';
export * from './server.js';
export * from './sign-in.js';
