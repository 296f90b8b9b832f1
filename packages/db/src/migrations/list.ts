import { initialSchema } from './001_initial_schema.js';
import type { Migration } from './migration.js';

/** Every migration the code knows, in version order. Append only. */
export const migrations: readonly Migration[] = [initialSchema];
