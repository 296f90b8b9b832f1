export { type ProcessBundleOptions, processBundle } from './fhir/interactions/bundle/process-bundle.js';
export { buildCapabilityStatement } from './fhir/interactions/capabilities.js';
export { handleFhirRequest } from './fhir/router.js';
export type { FhirContext, FhirHandler, FhirLogger, FhirRequest, FhirResponse } from './fhir/types.js';
export { type AppOptions, createApp } from './http/app.js';
export { defaultBodyLimit, type ServerConfig } from './http/config.js';
export {
  accepts,
  defaultChannel,
  type InboundChannel,
  parseChannels,
} from './modules/interfaces/channels/channel.js';
export { InterfaceEngine, type Receipt } from './modules/interfaces/engine/engine.js';
export {
  Interfaces,
  type InterfacesOptions,
  type ListeningChannel,
} from './modules/interfaces/interfaces.js';
export { supportedMessages } from './modules/interfaces/mapping/map-message.js';
