import { initialSchema } from './001_initial_schema.js';
import { searchEngine } from './002_search_engine.js';
import { bulkExport } from './003_bulk_export.js';
import { specialSearch } from './004_special_search.js';
import { identity } from './005_identity.js';
import { compositeThirdComponent } from './006_composite_third_component.js';
import { hl7Messages } from './007_hl7_messages.js';
import { countIndexes } from './008_count_indexes.js';
import { audit } from './009_audit.js';
import { emergencyAccess } from './010_emergency_access.js';
import { outbox } from './011_outbox.js';
import { accountState } from './012_account_state.js';
import { messageRetention } from './014_message_retention.js';
import type { Migration } from './migration.js';

/** Every migration the code knows, in version order. Append only. */
export const migrations: readonly Migration[] = [
  initialSchema,
  searchEngine,
  bulkExport,
  specialSearch,
  identity,
  compositeThirdComponent,
  hl7Messages,
  countIndexes,
  audit,
  emergencyAccess,
  outbox,
  accountState,
  messageRetention,
];
