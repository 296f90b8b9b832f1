export { type ProcessBundleOptions, processBundle } from './fhir/interactions/bundle/process-bundle.js';
export { buildCapabilityStatement } from './fhir/interactions/capabilities.js';
export { handleFhirRequest } from './fhir/router.js';
export type { FhirContext, FhirHandler, FhirLogger, FhirRequest, FhirResponse } from './fhir/types.js';
export { type AppOptions, createApp } from './http/app.js';
export { defaultBodyLimit, type ServerConfig } from './http/config.js';
