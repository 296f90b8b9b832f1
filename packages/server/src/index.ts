export { ImportAuditTrail } from './audit/import-trail.js';
export { AuditRecorder } from './audit/recorder.js';
export {
  type AppAuth,
  type AuthServer,
  type AuthServerSetup,
  type BootstrapInput,
  type BootstrapReport,
  bootstrapIdentity,
  createAuthServer,
} from './auth/auth-server.js';
export { type ClientRegistration, ClientStore, parseClientPair } from './auth/clients/client-store.js';
export { SecretBox } from './auth/secrets/secret-box.js';
export {
  loadSecretKey,
  SecretKeyError,
  type SecretKeyOrigin,
  secretKeyFileName,
} from './auth/secrets/secret-key.js';
export { type AuthSettings, defaultAuthSettings } from './auth/settings.js';
export { type AccessContext, internalAccess } from './auth/tokens/access-context.js';
export {
  createTestAuthority,
  type TestAuthority,
  type TestTokenClaims,
} from './auth/tokens/test-authority.js';
export { type Role, roles } from './auth/users/roles.js';
export { currentTotp } from './auth/users/totp.js';
export {
  type AccountResult,
  commandLineRequester,
  UserAdministration,
} from './auth/users/user-admin.js';
export { type User, UserStore } from './auth/users/user-store.js';
export { type ProcessBundleOptions, processBundle } from './fhir/interactions/bundle/process-bundle.js';
export { buildCapabilityStatement } from './fhir/interactions/capabilities.js';
export { handleFhirRequest } from './fhir/router.js';
export type { FhirContext, FhirHandler, FhirLogger, FhirRequest, FhirResponse } from './fhir/types.js';
export { type AppOptions, createApp } from './http/app.js';
export { defaultBodyLimit, type ServerConfig } from './http/config.js';
export { type WebAppOptions, webAppCsp } from './http/web-app.js';
export { bedBoardListener, combineListeners } from './modules/adt/live/notify.js';
export {
  accepts,
  defaultChannel,
  type InboundChannel,
  parseChannels,
} from './modules/interfaces/channels/channel.js';
export {
  type ChannelsConfig,
  type OutboundChannel,
  outboundMessages,
  parseChannelsFile,
  parseOutboundChannels,
} from './modules/interfaces/channels/outbound-channel.js';
export { InterfaceEngine, type Receipt } from './modules/interfaces/engine/engine.js';
export {
  Interfaces,
  type InterfacesOptions,
  type ListeningChannel,
} from './modules/interfaces/interfaces.js';
export { supportedMessages } from './modules/interfaces/mapping/map-message.js';
export { OutboundWorker } from './modules/interfaces/outbound/worker.js';
