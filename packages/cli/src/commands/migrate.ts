import { schemaStatus } from '@hospitium/db';
import type { HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';

/** `hospitium migrate`: applies pending migrations (opening the database does) and prints the version. */
export async function migrateCommand(config: HospitiumConfig): Promise<void> {
  const opened = await openConfiguredDatabase(config, 'hospitium migrate');
  try {
    const status = await schemaStatus(opened.db);
    process.stdout.write(
      `${opened.description}: schema version ${status.current} (code knows ${status.latest})\n`,
    );
  } finally {
    await opened.close();
  }
}
