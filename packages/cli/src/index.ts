export { expandInputs, importCommand } from './commands/import.js';
export { parseSeedFlags, seedCommand } from './commands/seed.js';
export { startServer } from './commands/start.js';
export type { HospitiumConfig } from './config.js';
export { ConfigError, loadConfig } from './config.js';
export type { BundleProcessor, ImportError, ImportSummary } from './import/importer.js';
export { importBundles, importFiles } from './import/importer.js';
