export { expandInputs, importCommand } from './commands/import.js';
export { startServer } from './commands/start.js';
export type { HospitiumConfig } from './config.js';
export { ConfigError, loadConfig } from './config.js';
export type { BundleProcessor, ImportError, ImportSummary } from './import/importer.js';
export { importFiles } from './import/importer.js';
