import type { Migration } from './migration.js';

/**
 * Message-store retention: the worker deletes delivered outbox rows older than the retention
 * period in small batches; this partial index lets each batch find them without scanning the
 * outbox (the message store's own `(status, received_at)` index already serves its side).
 */
export const messageRetention: Migration = {
  version: 14,
  name: 'message_retention',
  sql: `
CREATE INDEX outbox_delivered ON outbox (created_at) WHERE status = 'delivered';
`,
};
