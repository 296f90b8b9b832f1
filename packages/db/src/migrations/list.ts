import { initialSchema } from './001_initial_schema.js';
import { searchEngine } from './002_search_engine.js';
import { bulkExport } from './003_bulk_export.js';
import { identity } from './005_identity.js';
import type { Migration } from './migration.js';

/** Every migration the code knows, in version order. Append only. */
export const migrations: readonly Migration[] = [initialSchema, searchEngine, bulkExport, identity];
