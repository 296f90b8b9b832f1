import type { Migration } from './migration.js';

/** Every table that holds rows of a resource: current versions, history and the search indexes. */
const resourceTables = [
  'resources',
  'resource_history',
  'idx_token',
  'idx_string',
  'idx_date',
  'idx_reference',
  'idx_number',
  'idx_quantity',
  'idx_uri',
  'idx_composite',
  'idx_text',
  'idx_position',
] as const;

const triggers = resourceTables
  .map(
    (table) => `
CREATE TRIGGER ${table}_audit_no_update BEFORE UPDATE ON ${table}
  FOR EACH ROW WHEN (OLD.resource_type = 'AuditEvent' OR NEW.resource_type = 'AuditEvent')
  EXECUTE FUNCTION refuse_audit_event_change();
CREATE TRIGGER ${table}_audit_no_delete BEFORE DELETE ON ${table}
  FOR EACH ROW WHEN (OLD.resource_type = 'AuditEvent')
  EXECUTE FUNCTION refuse_audit_event_change();`,
  )
  .join('\n');

/**
 * The audit trail is append-only in the database too: a row of an AuditEvent — its current
 * version, its history and its search-index rows — can be inserted but never updated or deleted,
 * whoever connects (SQLSTATE 42501, insufficient_privilege). The `WHEN` condition is checked
 * without calling the function, so changes to other resource types cost nothing extra.
 * TRUNCATE and DROP, which bypass row triggers, are left to database privileges.
 *
 * The who-viewed report reads AuditEvents by patient through `idx_reference_target_idx`
 * (`AuditEvent`, `patient`, patient id) — no new index is needed.
 */
export const audit: Migration = {
  version: 9,
  name: 'audit',
  sql: `
CREATE FUNCTION refuse_audit_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END
$$;
${triggers}
`,
};
